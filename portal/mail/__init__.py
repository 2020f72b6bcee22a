"""Mail the portal sends (invitations, password resets): written to an outbox, never sent from a request."""
