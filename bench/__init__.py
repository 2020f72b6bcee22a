"""Benchmarks: each module prints its figures beside the floor measured in the same run (`make bench`)."""
