"""The errors readers raise beyond :mod:`trace.errors`.

Bad scanned text is :class:`~trace.errors.InvalidInput` (an :class:`~trace.errors.IdentifierError`
when it looks like an identifier but is not a valid one); a bad station file is a
:class:`~trace.errors.ConfigurationError`. What is left is hardware and protocol trouble,
which a station operator branches on differently: the device is missing, a reader spoke
something other than the protocol, a tag could not be written.
"""

from __future__ import annotations

from trace.errors import TraceError

__all__ = ["ReaderError"]


class ReaderError(TraceError):
    """A reader device cannot be opened, broke the protocol, or refused a command."""

    code = "reader_error"
