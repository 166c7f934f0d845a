"""trace.domain."""
