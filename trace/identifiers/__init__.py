"""trace.identifiers."""
