"""trace.crypto."""
