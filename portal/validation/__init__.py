"""The pure compliance core: reads fee lists as written and judges them against the government list."""
