"""trace.services."""
