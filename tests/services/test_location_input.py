"""Dutch postcode and KvK number are checked when a location is registered; `foreign` lets an address abroad through."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.errors import InvalidInputError
from inspector_app.services.app import opened_app
from inspector_app.services.visits import LocationInput, NewVisit, check_location_input, start_visit


@pytest.mark.parametrize("postcode", ["1234 AB", "1234AB", "9999 zz", ""])
def test_dutch_postcodes_pass(postcode: str) -> None:
    check_location_input(LocationInput("Club", postcode=postcode))


@pytest.mark.parametrize("postcode", ["ABC", "0123 AB", "123 AB", "1234 A", "12345", "1234 ABC"])
def test_wrong_postcodes_are_refused_with_the_expected_shape(postcode: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_location_input(LocationInput("Club", postcode=postcode))
    assert "1234 AB" in refused.value.message and postcode in refused.value.message


@pytest.mark.parametrize("kvk", ["12345", "123456789", "1234567a", "1234 5678"])
def test_wrong_kvk_numbers_are_refused(kvk: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_location_input(LocationInput("Club", kvk_number=kvk))
    assert "8 cijfers" in refused.value.message


def test_a_foreign_address_skips_both_checks() -> None:
    check_location_input(LocationInput("Club", postcode="B-2000", kvk_number="0123.456.789", foreign=True))


def test_start_visit_refuses_before_anything_is_stored(tmp_path: Path) -> None:
    with opened_app(tmp_path / "data") as app:
        with pytest.raises(InvalidInputError):
            start_visit(app, NewVisit(form="PB", location=LocationInput("Club", postcode="ABC")))
        assert app.db["locations"].count == 0
        start_visit(app, NewVisit(form="PB", location=LocationInput("Club", postcode="ABC", foreign=True)))
        assert app.db["locations"].count == 1
