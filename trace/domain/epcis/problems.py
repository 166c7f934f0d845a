"""What is wrong with an EPCIS document, and where: problems found, collected, then raised once.

A capture client fixing a rejected document wants every problem at once, each with the
exact place it sits, not the first one and a retry loop. Every check in this package
therefore returns :class:`EpcisProblem` values; :func:`raise_problems` sorts them and raises
one :class:`~trace.errors.EpcisValidationError` carrying them all.

References: RFC 6901 (JSON Pointer).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trace.errors import EpcisValidationError

__all__ = ["EVENT_LIST_POINTER", "EpcisProblem", "event_index_of", "pointer", "raise_problems"]

EVENT_LIST_POINTER = "/epcisBody/eventList"


@dataclass(frozen=True, slots=True)
class EpcisProblem:
    """One problem: the event it is in (None outside events), where, and what is wrong.

    >>> problem = EpcisProblem(3, "/epcisBody/eventList/3/eventTime", "'eventTime' is a required property")
    >>> str(problem)
    "event 3 /epcisBody/eventList/3/eventTime: 'eventTime' is a required property"
    """

    event_index: int | None
    pointer: str
    """RFC 6901 JSON pointer into the document (or into the event, for a single event)."""
    message: str

    def __str__(self) -> str:
        where = self.pointer or "/"
        return f"{where}: {self.message}" if self.event_index is None else (
            f"event {self.event_index} {where}: {self.message}"
        )

    def sort_key(self) -> tuple[int, tuple[tuple[int, int | str], ...], str]:
        """Document order: outside events first, then by event, then by path (numbers as numbers)."""
        tokens = tuple(
            (0, int(token)) if token.isdigit() else (1, token)
            for token in self.pointer.split("/")[1:]
        )
        return (-1 if self.event_index is None else self.event_index, tokens, self.message)


def pointer(*tokens: str | int) -> str:
    """The RFC 6901 pointer made of ``tokens`` (``~`` and ``/`` escaped).

    >>> pointer("epcisBody", "eventList", 3, "example:a/b")
    '/epcisBody/eventList/3/example:a~1b'
    """
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in tokens)


def event_index_of(json_pointer: str) -> int | None:
    """The event index a document pointer falls in, or None.

    >>> event_index_of("/epcisBody/eventList/12/epcList/0")
    12
    """
    prefix = EVENT_LIST_POINTER + "/"
    if not json_pointer.startswith(prefix):
        return None
    head = json_pointer[len(prefix):].split("/", 1)[0]
    return int(head) if head.isdigit() else None


def raise_problems(problems: Iterable[EpcisProblem], *, what: str = "EPCIS document") -> None:
    """Raise one ``EpcisValidationError`` with every distinct problem, sorted; do nothing if none.

    The message names the first problem and counts the others, e.g.
    ``invalid EPCIS document: event 3 /epcisBody/eventList/3/eventTime: 'eventTime' is a
    required property``.
    """
    unique = sorted(set(problems), key=EpcisProblem.sort_key)
    if not unique:
        return
    more = len(unique) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    raise EpcisValidationError(f"invalid {what}: {unique[0]}{suffix}", tuple(unique))
