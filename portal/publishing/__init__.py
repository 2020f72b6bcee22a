"""Publication: immutable editions as plain data, and the outputs made from them (pages, PDFs, exports, API)."""
