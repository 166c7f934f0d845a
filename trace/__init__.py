"""Tracemark core: identifiers, crypto, ledger, domain, storage, services, API and CLI.

This top-level package shadows the standard library's rarely used ``trace`` module;
nothing in the stack imports that module. Never run ``python -m trace``.
"""
