"""Validation against the official EPCIS 2.0 JSON Schema, reporting every problem with its place.

The schema (``EPCIS-JSON-Schema.json`` beside this module, GS1's file unchanged) is loaded
and compiled once, on first use. It relies on the ``uri`` and ``date-time`` formats, which
``jsonschema`` only checks when an optional package is installed; without them every
string would pass as a URI (so ``"shiping"`` would be an acceptable "extension" bizStep)
and every string as a timestamp. The two checkers below make the formats binding.

What the schema leaves open (and other modules of this package check): it accepts any
absolute URI as a bizStep, disposition or type, so a typo in the ``urn:epcglobal:cbv:`` or
``https://ref.gs1.org/cbv/`` namespaces only fails when the value starts with
``urn:epcglobal:cbv`` (which it rejects even for standard values, see
:mod:`~trace.domain.epcis.vocabulary`); it does not look inside EPC URIs.

References: EPCIS 2.0 (GS1, 2022), JSON/JSON-LD binding and the JSON Schema GS1 publishes
with it; RFC 3986 (URI), RFC 3339 (date-time); RFC 6901 (JSON Pointer).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft7Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from trace.domain.epcis.problems import EpcisProblem, event_index_of, pointer, raise_problems

__all__ = ["is_uri", "schema_problems", "validate_document", "validate_event"]

SCHEMA_FILE = "EPCIS-JSON-Schema.json"

# RFC 3986 absolute URI: a scheme, ":", then only URI characters (reserved, unreserved and
# well-formed percent escapes). Strict enough to tell a URI from a bare word.
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
)
# RFC 3339 date-time (section 5.6); the offset is mandatory, the fraction of any length.
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)


def is_uri(value: object) -> bool:
    """True for an absolute URI (RFC 3986 section 4.3), e.g. ``urn:epc:id:sgln:0614141.07346.1234``.

    >>> is_uri("example:myField"), is_uri("shipping"), is_uri("https://a.example/x y")
    (True, False, False)
    """
    return isinstance(value, str) and _URI.fullmatch(value) is not None


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the "type" keyword judges non-strings
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    date, time, offset = match.groups()
    try:
        datetime.fromisoformat(f"{date}T{time}{'+00:00' if offset in 'Zz' else offset}")
    except ValueError:
        return False
    return True


def _format_checker() -> FormatChecker:
    checker = FormatChecker(())
    checker.checks("uri")(lambda value: not isinstance(value, str) or is_uri(value))
    checker.checks("date-time")(_is_date_time)
    return checker


# Speed: most of the schema's cost is re-checking the same short strings in every event
# (each property name against the event's ``propertyNames`` alternatives, each bizStep
# against its ``anyOf``). Whether a string matches a given subschema never changes, so
# the (subschema, string) pairs found valid are remembered: a 100-event document then
# validates ~2.5 times faster. Only successes are kept (failures are re-run to produce
# their errors), and the memory is bounded against senders of endless distinct strings.
_VALID_STRINGS: set[tuple[int, str]] = set()
_VALID_STRINGS_LIMIT = 50_000


def _remembered(check: Any) -> Any:
    def keyword(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        if not isinstance(instance, str):
            yield from check(validator, value, instance, schema)
            return
        key = (id(value), instance)
        if key in _VALID_STRINGS:
            return
        errors = list(check(validator, value, instance, schema))
        if errors:
            yield from errors
            return
        if len(_VALID_STRINGS) >= _VALID_STRINGS_LIMIT:
            _VALID_STRINGS.clear()
        _VALID_STRINGS.add(key)
    return keyword


def _property_names(validator: Any, names_schema: Any, instance: Any, schema: Any) -> Any:
    """``propertyNames`` as jsonschema defines it, each name going through the memory."""
    if not validator.is_type(instance, "object"):
        return
    for name in instance:
        yield from _NAME_CHECK(validator, names_schema, name, schema)


def _check_name(validator: Any, names_schema: Any, name: Any, schema: Any) -> Any:
    return validator.descend(instance=name, schema=names_schema)


_NAME_CHECK = _remembered(_check_name)
_EpcisValidator = validators.extend(
    Draft7Validator,
    {"propertyNames": _property_names, "anyOf": _remembered(Draft7Validator.VALIDATORS["anyOf"])},
)


@functools.cache
def _validator() -> Draft7Validator:
    """The compiled validator, built on first use (reading and compiling takes ~30 ms).

    The schema stays referenced by the cached validator, so the ``id()`` of its subschemas
    used by the memory above are stable.
    """
    text = resources.files("trace.domain.epcis").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema = json.loads(text)
    Draft7Validator.check_schema(schema)
    validator: Draft7Validator = _EpcisValidator(schema, format_checker=_format_checker())
    return validator


@functools.cache
def _fast_validator() -> Any:
    """The same schema compiled by jsonschema-rs (Rust): a yes/no answer ~50× faster.

    Capture checks every document; nearly all are valid, so the Python validator (which
    collects every problem with its pointer) only runs when this one says no.
    """
    text = resources.files("trace.domain.epcis").joinpath(SCHEMA_FILE).read_text("utf-8")
    return jsonschema_rs.Draft7Validator(json.loads(text), validate_formats=True)


def schema_problems(instance: Any, *, in_document: bool = True) -> list[EpcisProblem]:
    """Every way ``instance`` breaks the EPCIS 2.0 JSON Schema, as problems (empty if none).

    ``instance`` is an EPCISDocument, an EPCISQueryDocument or a single event (the schema's
    root dispatches on ``type``). With ``in_document`` false the pointers are relative to the
    event and carry no event index.
    """
    if _fast_validator().is_valid(instance):
        return []
    located = [(*_locate(error), _leaf_pointers(error)) for error in _validator().iter_errors(instance)]
    # An "anyOf" summary adds nothing when a plain error already names a field it failed
    # on (an unknown action fails the action enum and an ADD/DELETE alternative; a bad EPC
    # fails its uri format and the epcList-or-quantityList alternative of ObjectEvent).
    plain = {json_pointer for json_pointer, _, leaves in located if not leaves}
    problems = [
        EpcisProblem(event_index_of(json_pointer) if in_document else None, json_pointer, message)
        for json_pointer, message, leaves in located
        if not leaves & plain
    ]
    return sorted(problems, key=EpcisProblem.sort_key)


def validate_document(document: Mapping[str, Any]) -> None:
    """Raise ``EpcisValidationError`` (every problem, sorted) unless the schema accepts ``document``.

    References: EPCIS 2.0, JSON/JSON-LD binding, and its JSON Schema.
    """
    raise_problems(schema_problems(document))


def validate_event(event: Mapping[str, Any]) -> None:
    """Raise ``EpcisValidationError`` unless the schema accepts ``event`` as a standalone event.

    A standalone event (as captured by ``POST /events``) must carry its own ``@context``.
    """
    raise_problems(schema_problems(event, in_document=False), what="EPCIS event")


def _locate(error: ValidationError) -> tuple[str, str]:
    """The pointer and message of one schema error, pointing at the field concerned.

    ``required`` and ``propertyNames`` errors sit on the enclosing object in jsonschema; the
    pointer names the missing or unexpected property instead, which is what a sender fixes.
    """
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = [
            name for name in error.validator_value
            if isinstance(error.instance, Mapping) and name not in error.instance
            and error.message == f"{name!r} is a required property"
        ]
        if missing:
            return pointer(*path, missing[0]), error.message
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        return pointer(*path, error.instance), (
            f"unexpected property {error.instance!r}: expected an EPCIS 2.0 field of this"
            " object or a namespaced extension (prefix:name or an absolute URI)"
        )
    if error.validator in ("anyOf", "oneOf"):
        return pointer(*path, *_common_path(error)), _any_of_message(error)
    return pointer(*path), _short(error.message)


_ANY_OF = "matches none of the allowed forms"


def _leaf_pointers(error: ValidationError) -> frozenset[str]:
    """Where the failed alternatives of an ``anyOf``/``oneOf`` failed; empty for other errors."""
    if error.validator not in ("anyOf", "oneOf"):
        return frozenset()
    return frozenset(pointer(*leaf.absolute_path) for leaf in _leaves(error.context or ())) or frozenset({""})


def _any_of_message(error: ValidationError) -> str:
    """Summarise the alternatives of an ``anyOf`` instead of printing the whole instance."""
    reasons = sorted({_short(sub.message) for sub in _leaves(error.context or ())})
    shown = "; ".join(reasons[:3]) + ("; …" if len(reasons) > 3 else "")
    return f"{_ANY_OF} ({shown})"


def _common_path(error: ValidationError) -> list[str | int]:
    """The path, below the ``anyOf``, that every failed alternative shares (often one field)."""
    paths = [list(leaf.absolute_path)[len(error.absolute_path):] for leaf in _leaves(error.context or ())]
    common: list[str | int] = []
    for steps in zip(*paths):
        if any(step != steps[0] for step in steps):
            break
        common.append(steps[0])
    return common


def _leaves(errors: Iterable[ValidationError]) -> Iterable[ValidationError]:
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _short(message: str, limit: int = 160) -> str:
    """Keep messages one readable line: jsonschema quotes whole objects and enum lists."""
    return message if len(message) <= limit else message[: limit - 1] + "…"
