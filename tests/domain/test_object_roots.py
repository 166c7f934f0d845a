"""Each state's root is its outermost container: followed through the states capture holds,
kept as stored when the parent was not among them, bounded on a containment cycle."""

from __future__ import annotations

from datetime import datetime, timezone

from trace.domain.object_state import ObjectState, assign_roots

T = datetime(2026, 11, 25, tzinfo=timezone.utc)


def _state(key: str, parent: str | None = None, root: str | None = None) -> ObjectState:
    return ObjectState(key, f"urn:{key}", 1, T, parent_key=parent, root_key=root)


def test_roots_follow_parents_to_the_outermost_container() -> None:
    states = {s.key: s for s in (_state("pallet"), _state("case", "pallet"), _state("item", "case"),
                                 _state("loose"), _state("case2", "pallet", root="pallet"))}
    assert assign_roots(states) == {"case", "item"}
    assert {k: s.root_key for k, s in states.items()} == {
        "pallet": None, "case": "pallet", "item": "pallet", "loose": None, "case2": "pallet"}
    assert assign_roots(states) == set()  # nothing left to change


def test_a_container_put_in_another_carries_its_contents_root_along() -> None:
    states = {s.key: s for s in (_state("truck"), _state("pallet", "truck", root=None),
                                 _state("case", "pallet", root="pallet"), _state("item", "case", root="pallet"))}
    assert assign_roots(states) == {"pallet", "case", "item"}
    assert [states[k].root_key for k in ("pallet", "case", "item")] == ["truck", "truck", "truck"]


def test_taken_out_of_its_container_an_object_becomes_a_root_of_its_own_contents() -> None:
    states = {s.key: s for s in (_state("case", None, root="pallet"), _state("item", "case", root="pallet"))}
    assert assign_roots(states) == {"case", "item"}
    assert (states["case"].root_key, states["item"].root_key) == (None, "case")


def test_a_parent_not_held_keeps_the_stored_root() -> None:
    states = {"item": _state("item", "case-elsewhere", root="pallet-elsewhere")}
    assert assign_roots(states) == set()
    assert states["item"].root_key == "pallet-elsewhere"


def test_a_containment_cycle_ends() -> None:
    states = {s.key: s for s in (_state("a", "b", root="x"), _state("b", "a", root="y"))}
    assign_roots(states)  # returns: the climb stops after 16 levels
    assert {states["a"].root_key, states["b"].root_key} <= {"a", "b", "x", "y"}
