"""Operators' fee catalogues: drafts, submissions, published versions and their fee lines."""
