"""How a decision on a field conflict is named (`FieldConflict.competing`), pure.

The name is the ancestor's value and the new values: a side that left the field as the ancestor had
it adds nothing, so a decision survives the arrival of such a version; a new competing value opens
the field again. Decisions stored under the earlier name (every side's value) still settle exactly
the values they were made on."""

from __future__ import annotations

import json

from inspector_app.sync.merge import FieldConflict, comparable


def conflict(base: object, **values: object) -> FieldConflict:
    return FieldConflict("answer:H-03", json.dumps(base), {side: json.dumps(v) for side, v in values.items()})


def test_a_side_holding_the_ancestors_value_does_not_rename_the_conflict() -> None:
    two = conflict("1234 AB", office="3511 AB", laptop="9999 ZZ")
    three = conflict("1234 AB", office="3511 AB", laptop="9999 ZZ", restored="1234 AB")
    assert three.competing == two.competing
    assert three.settled_by(two.competing)


def test_a_new_competing_value_is_a_new_divergence() -> None:
    two = conflict("1234 AB", office="3511 AB", laptop="9999 ZZ")
    three = conflict("1234 AB", office="3511 AB", laptop="9999 ZZ", restored="1111 AA")
    assert not three.settled_by(two.competing)
    other_base = conflict("0000 XX", office="3511 AB", laptop="9999 ZZ")
    assert not other_base.settled_by(two.competing)


def test_the_name_does_not_depend_on_the_order_of_sides() -> None:
    assert conflict("b", a="x", b="y", c="b").competing == conflict("b", c="b", b="y", a="x").competing


def test_a_decision_stored_under_the_earlier_name_still_settles_its_values() -> None:
    # A finalised side kept the ancestor's value while the other changed it: the earlier name listed
    # both values, the ancestor's among them.
    found = conflict("1234 AB", final="1234 AB", laptop="9999 ZZ")
    earlier = json.dumps(
        [comparable(found.base), sorted({comparable(v) for v in found.values.values()})],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert earlier != found.competing and found.settled_by(earlier)
    assert not conflict("1234 AB", final="1234 AB", laptop="1111 AA").settled_by(earlier)
