"""The upload fixtures of the hostile corpus: an operator, its staff signed in, and a draft to upload over."""

from tests.hostile.test_corpus import existing_draft, operator, signed_in, staff  # noqa: F401
