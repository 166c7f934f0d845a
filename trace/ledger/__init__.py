"""trace.ledger."""
