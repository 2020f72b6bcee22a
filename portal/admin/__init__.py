"""The bureau administrators' area (/admin): accounts, operators, identity change requests, the audit log."""
