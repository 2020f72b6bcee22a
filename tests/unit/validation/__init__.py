"""Tests of the pure validation core: parsers, name index, every rule, the engine."""
