"""Shippers' complaints: filed against the fee line in force, handled by the bureau to a published outcome."""
