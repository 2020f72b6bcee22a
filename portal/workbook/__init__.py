"""The prescribed disclosure format <-> xlsx: upload guard, reader and writer (no Flask, no database)."""
