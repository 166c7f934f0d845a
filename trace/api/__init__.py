"""trace.api."""
