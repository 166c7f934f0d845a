"""Entities, states and roles (pure: no storage, no framework)."""
