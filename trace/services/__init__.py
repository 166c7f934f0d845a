"""Use cases and transaction boundaries (no FastAPI, no Jinja2)."""
