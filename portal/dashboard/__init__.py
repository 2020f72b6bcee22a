"""The bureau's dashboard: compliance at a glance, read-only, with charts rendered on the server as SVG."""
