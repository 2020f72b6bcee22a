"""Hostile and malformed workbooks run through the real upload path (issue #8)."""
