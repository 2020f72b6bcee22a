"""Shippers' tools: compare a service, estimate a shipment, check an invoice (no sign-in)."""
