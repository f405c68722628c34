"""The ILO forced-labour indicator numbers of the catalogue follow the audit's mapping (domain-audit
§4.3; ILO booklet S4, ILO/EC Delphi indicators S6). One row per corrected or new mapping."""

from __future__ import annotations

import pytest

from inspector_app.domain.catalogue import load_catalogue


@pytest.mark.parametrize(
    ("slug", "ilo", "source"),
    [
        ("lab.underpaid", (8,), "S6: Delphi 'low or no salary' sits with wages"),
        ("lab.high_deductions", (8,), "S6: Delphi 'wage manipulation (fines, excessive deductions)'"),
        ("gen.fines", (6, 8), "S6: wage manipulation; fines are also intimidation (#6)"),
        ("gen.travel_paid_by_other", (9,), "S4: travel advanced by others becomes a debt (#9)"),
        ("gen.multi_dependency", (1,), "S4: abuse of vulnerability (#1)"),
        ("gen.other_speaks", (4,), "S4: isolation (#4), the person cannot speak for themselves"),
        ("gen.controlled_escort", (3, 4), "S4: restriction of movement and surveillance (#3, #4)"),
        ("lab.coordinator_control", (3, 6), "S4: surveillance (#3) besides intimidation (#6)"),
        ("gen.no_medical_care", (10,), "S4: abusive working and living conditions (#10)"),
        ("hou.not_in_brp", (), "S4: no ILO indicator; BRP registration is an administrative matter"),
        ("sex.sold_or_transferred", (9,), "S7: OM scheme 1b, a transfer fee becomes the person's debt"),
        ("gen.forced_work_when_ill", (10,), "S7: OM scheme 3, work under all circumstances"),
        ("sex.ritual_oath", (6,), "S6: Delphi 'abuse of cultural/religious beliefs' as a threat"),
        ("hou.compulsory_housing", (1,), "S5: UNODC, no choice of accommodation"),
    ],
)
def test_ilo_numbers(slug: str, ilo: tuple[int, ...], source: str) -> None:
    indicator = load_catalogue()[slug]
    assert tuple(sorted(indicator.ilo)) == ilo, source
    assert set(indicator.refs), slug
