"""The audit trail: who changed what, before and after, in the same transaction as the change."""
