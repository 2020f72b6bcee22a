"""The public single window: look-up pages, comparisons, estimates and open data (no sign-in)."""
