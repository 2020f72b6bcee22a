"""Tests of the workbook adapter: guard, reader, writer and layout."""
