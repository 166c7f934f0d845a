"""How an EPCIS event changes the current state of the objects it names (pure).

The rules (EPCIS 2.0 §7.4): an event sets bizStep, disposition, readPoint, bizLocation of
every object in its *what* dimension; a location or custodian it does not mention stays as
it was; an AggregationEvent ADD/OBSERVE puts its children in the parent, a DELETE takes
them out (all of them when it lists none); an ObjectEvent DELETE takes the object out of
its container. An event older than the object's last one changes nothing (events can
arrive late); an error declaration changes nothing (its corrective events do).

Each state also names its root: the outermost container it is in (None when it is in
none), so a recall finds every object on a pallet by the pallet's key alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import NamedTuple

from trace.domain.epcis import EpcisEvent, EpcisIdentifier

# CBV source/destination types that name who holds the goods, most specific first.
_CUSTODY_TYPES = ("possessing_party", "owning_party")


class ObjectState(NamedTuple):
    """The current state of one object. A named tuple, not a dataclass: capture makes one per
    object per document (a thousand at a time) and a tuple is built in a fraction of the time."""

    key: str
    uri: str
    last_event_row_id: int
    last_event_time: datetime
    biz_step: str | None = None
    disposition: str | None = None
    read_point: str | None = None
    biz_location: str | None = None
    custodian: str | None = None
    parent_key: str | None = None
    intended_region: str | None = None
    root_key: str | None = None
    """The outermost container this object is in (its parent's root, else its parent)."""


def custodian_of(event: EpcisEvent) -> str | None:
    for kind in _CUSTODY_TYPES:
        for destination in event.destination_list:
            if destination.type == kind:
                return destination.id.uri
    return None


def _touched(event: EpcisEvent) -> list[tuple[EpcisIdentifier, str | None, bool]]:
    """(identifier, new parent key or None, whether the parent is set/unset) per object."""
    if event.error_declaration is not None:
        return []
    if event.type == "AggregationEvent" and event.parent_id is not None:
        parent = event.parent_id.key
        if event.action in ("ADD", "OBSERVE"):
            return [(event.parent_id, None, False)] + [(child, parent, True) for child in event.child_epcs]
        return [(event.parent_id, None, False)] + [(child, None, True) for child in event.child_epcs]
    objects = [*event.epc_list, *event.input_epcs, *event.output_epcs, *event.child_epcs]
    if event.parent_id is not None:
        objects.append(event.parent_id)
    unset = event.type == "ObjectEvent" and event.action == "DELETE"
    return [(identifier, None, unset) for identifier in objects]


def region_of(event: EpcisEvent, regions: Mapping[str, str]) -> str | None:
    """The sales region of the first destination mapped to one (sales channels), if any.

    Parties are matched by URI as sent or by GS1 key, so a PGLN sent as an EPC URN or as a
    Digital Link finds the same channel.
    """
    if not regions:
        return None
    for destination in event.destination_list:
        for name in (destination.id.uri, destination.id.key):
            if name in regions:
                return regions[name]
    return None


def apply_event(states: dict[str, ObjectState], event: EpcisEvent, row_id: int, *,
                regions: Mapping[str, str] | None = None) -> set[str]:
    """Apply ``event`` to ``states`` (updated in place); returns the keys whose state changed.

    ``states`` must hold every object the event names and everything inside them (see
    :func:`keys_of` and the store's descendant lookup): objects inside a container are
    where the container is, so a container's move carries its contents along.
    """
    return apply_events(states, [(event, row_id)], regions=regions)


def apply_events(states: dict[str, ObjectState], events: Iterable[tuple[EpcisEvent, int]], *,
                 regions: Mapping[str, str] | None = None) -> set[str]:
    """:func:`apply_event` for each (event, row id) in turn; the keys whose state changed.

    The containers are found once and then followed (a container that was emptied may stay
    among them: carrying nothing along changes nothing), not once per event.
    """
    containers = {state.parent_key for state in states.values() if state.parent_key}
    changed: set[str] = set()
    for event, row_id in events:
        touched = _apply(states, event, row_id, regions or {}, containers)
        containers.update(parent for key in touched if (parent := states[key].parent_key))
        changed |= touched
    return changed | assign_roots(states)


def assign_roots(states: dict[str, ObjectState]) -> set[str]:
    """Set each state's root from its parents in ``states``; the keys whose root changed.

    A parent absent from ``states`` was not named by the events applied, so the object is
    still where it was: its stored root stands. (Capture holds every named object and
    everything inside them, so a container that moves has all its contents here.)
    """
    roots: dict[str, str | None] = {}

    def root_of(key: str, depth: int = 0) -> str | None:
        if key in roots:
            return roots[key]
        state = states[key]
        parent = states.get(state.parent_key) if state.parent_key else None
        if state.parent_key is None:
            root = None
        elif parent is None or depth > _MAX_DEPTH:  # not moved here (or a containment cycle)
            root = state.root_key
        else:
            root = root_of(parent.key, depth + 1) or parent.key
        roots[key] = root
        return root

    changed = set()
    for key, state in states.items():
        root = root_of(key)
        if root != state.root_key:
            states[key] = state._replace(root_key=root)
            changed.add(key)
    return changed


_MAX_DEPTH = 16
"""Containment deeper than this is not followed (item in case in pallet in container is 3)."""


def _apply(states: dict[str, ObjectState], event: EpcisEvent, row_id: int, regions: Mapping[str, str],
           containers: set[str]) -> set[str]:
    changed: set[str] = set()
    custodian = custodian_of(event)
    region = region_of(event, regions)
    time = event.event_time
    read_point = event.read_point.uri if event.read_point else None
    biz_location = event.biz_location.uri if event.biz_location else None
    empties_parent = (event.parent_id.key if event.type == "AggregationEvent" and event.action == "DELETE"
                      and not event.child_epcs and event.parent_id is not None else None)
    carries = event.type == "ObjectEvent"
    biz_step, disposition = event.biz_step or None, event.disposition or None
    custodian, region = custodian or None, region or None
    for identifier, parent, sets_parent in _touched(event):
        key = identifier.key
        old = states.get(key)
        if old is not None and old.last_event_time > time:
            continue
        if old is None:
            new = ObjectState(key, identifier.as_digital_link(), row_id, time, biz_step, disposition, read_point,
                              biz_location, custodian, parent if sets_parent else None, region)
        else:
            new = ObjectState(
                key, old.uri, row_id, time, event.biz_step or old.biz_step, event.disposition or old.disposition,
                read_point or old.read_point, biz_location or old.biz_location, custodian or old.custodian,
                parent if sets_parent else old.parent_key, region or old.intended_region, old.root_key)
        states[key] = new
        changed.add(key)
        if key == empties_parent:
            for other, state in list(states.items()):
                if state.parent_key == key:
                    states[other] = state._replace(parent_key=None)
                    changed.add(other)
        elif carries and key in containers:
            changed |= _carry_along(states, new)
    return changed


def _carry_along(states: dict[str, ObjectState], container: ObjectState) -> set[str]:
    """Copy a container's location, step and custodian to everything inside it."""
    children: dict[str, list[str]] = {}
    for key, state in states.items():
        if state.parent_key:
            children.setdefault(state.parent_key, []).append(key)
    changed: set[str] = set()
    pending = list(children.get(container.key, ()))
    while pending:
        key = pending.pop()
        state = states[key]
        if key in changed or state.last_event_time > container.last_event_time:
            continue
        states[key] = state._replace(last_event_row_id=container.last_event_row_id,
                                     last_event_time=container.last_event_time, biz_step=container.biz_step,
                                     disposition=container.disposition, read_point=container.read_point,
                                     biz_location=container.biz_location, custodian=container.custodian,
                                     intended_region=container.intended_region or state.intended_region)
        changed.add(key)
        pending.extend(children.get(key, ()))
    return changed


def keys_of(events: Iterable[EpcisEvent]) -> set[str]:
    return {identifier.key for event in events for identifier, _, _ in _touched(event)}
