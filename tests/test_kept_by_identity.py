"""``kept_by_identity``: one value per object (by identity, never hashed or compared) and key."""
from __future__ import annotations

import gc
import weakref

import pytest

from factcheck.kept_by_identity import KeptByIdentity


class _Thing:
    """An object equal to every other of its kind: a store that compared by equality would mix them."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Thing)

    def __hash__(self) -> int:
        return 1


def _counted() -> tuple[list[int], object]:
    made: list[int] = []

    def make() -> int:
        made.append(len(made))
        return len(made)

    return made, make


def test_made_once_per_object_and_key():
    kept: KeptByIdentity[int] = KeptByIdentity(at_most=8)
    made, make = _counted()
    thing = _Thing()
    assert kept.get(thing, "a", make) == 1
    assert kept.get(thing, "a", make) == 1
    assert kept.get(thing, "b", make) == 2
    assert made == [0, 1]


def test_an_equal_object_is_another_object():
    kept: KeptByIdentity[int] = KeptByIdentity(at_most=8)
    _made, make = _counted()
    first, second = _Thing(), _Thing()
    assert first == second and hash(first) == hash(second)
    assert kept.get(first, (), make) == 1
    assert kept.get(second, (), make) == 2
    assert kept.get(first, (), make) == 1


def test_the_object_is_held_so_its_id_is_never_another_objects():
    # The caller lets go of the object; the store keeps it (so no new object can take its address and
    # be given its value) until the store is emptied.
    kept: KeptByIdentity[str] = KeptByIdentity(at_most=8)
    thing = _Thing()
    gone = weakref.ref(thing)
    kept.get(thing, (), lambda: "made")
    del thing
    gc.collect()
    assert gone() is not None
    kept.forget()
    gc.collect()
    assert gone() is None and len(kept) == 0


def test_emptied_when_full():
    kept: KeptByIdentity[int] = KeptByIdentity(at_most=3)
    made, make = _counted()
    things = [_Thing() for _ in range(4)]
    for thing in things:
        kept.get(thing, (), make)
    assert len(kept) == 1  # the fourth found the store full: emptied, then kept
    assert kept.get(things[3], (), make) == 4
    assert kept.get(things[0], (), make) == 5  # made again
    assert len(made) == 5


def test_at_most_one_keeps_the_last():
    kept: KeptByIdentity[int] = KeptByIdentity(at_most=1)
    _made, make = _counted()
    first, second = _Thing(), _Thing()
    assert kept.get(first, (), make) == 1
    assert kept.get(second, (), make) == 2
    assert kept.get(second, (), make) == 2
    assert kept.get(first, (), make) == 3


def test_a_key_that_cannot_hash_is_refused_before_anything_is_made():
    kept: KeptByIdentity[int] = KeptByIdentity(at_most=8)
    made, make = _counted()
    with pytest.raises(TypeError):
        kept.get(_Thing(), ["a list"], make)
    assert made == []
    with pytest.raises(ValueError):
        KeptByIdentity(at_most=0)
