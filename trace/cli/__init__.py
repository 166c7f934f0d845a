"""trace.cli."""
