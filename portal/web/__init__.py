"""Shared HTTP plumbing: locale, error pages, template filters, security headers. Imports no feature."""
