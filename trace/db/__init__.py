"""trace.db."""
