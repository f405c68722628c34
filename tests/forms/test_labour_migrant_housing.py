"""Table-driven tests of every trigger rule of the labour-migrant housing checklist (domain.md b.4).

Each case gives the answers and the COMPLETE expected outcome (indicators with effective weight,
finding rule ids, acute), so a case also proves that nothing else fires. `fires` says whether the
named rule is expected to fire in that case; every rule of the form needs at least one firing case.
The computed SNF values (GBO per resident, residents per toilet / shower) are tested separately.
"""

from __future__ import annotations

import pytest

from inspector_app.forms.loader import load_form_by_id
from tests.forms.support import case, computed, person, raised, rule_table_tests

FORM = "labour_migrant_housing"

SPACE = {"hou.below_space_norm": "M"}
SANITATION = {"hou.sanitation_poor": "L"}
FIRE = {"hou.fire_risk": "M"}


def resident(answers: dict[str, object] | None = None, age: str = "30_49") -> dict[int, dict[str, object]]:
    """One person present: a resident with the given interview answers."""
    return person("resident", age, answers)


CASES = [
    # -------------------------------------------------------------------------------- Object
    case("AH-01.unsuitable", {"AH-01": "caravan"}, raises={"hou.unsuitable_building": "M"}),
    case("AH-01.unsuitable", {"AH-01": "schuur"}, raises={"hou.unsuitable_building": "M"}, note="shed"),
    case(
        "AH-01.unsuitable",
        {"AH-01": "bedrijfshal"},
        raises={"hou.unsuitable_building": "M"},
        note="industrial",
    ),
    case("AH-01.unsuitable", {"AH-01": "vakantiepark"}, fires=False, note="holiday-park"),
    case("AH-01.unsuitable", {"AH-01": "reguliere_woning"}, fires=False),
    case("AH-02.no", {"AH-02": "no"}, finds={"AH-02.no"}),
    case("AH-02.no", {"AH-02": "yes"}, fires=False),
    case("AH-03.no", {"AH-03": "no"}, raises={"hou.no_landlord_licence": "L"}, finds={"AH-03.no"}),
    case("AH-03.no", {"AH-03": "yes"}, fires=False),
    case("AH-05.employer_landlord", {"AH-05": "werkgever"}, raises={"gen.multi_dependency": "L"}),
    case(
        "AH-05.employer_landlord",
        {"AH-05": "uitzendbureau"},
        raises={"gen.multi_dependency": "L"},
        note="agency",
    ),
    case("AH-05.employer_landlord", {"AH-05": "particulier"}, fires=False),
    # ------------------------------------------------------------------------------ Bewoning
    case(
        "AH-07.overcrowded",
        {"AH-06": 13, "AH-07": 12},
        raises={"hou.overcrowded": "M"},
        finds={"AH-07.overcrowded"},
    ),
    case("AH-07.overcrowded", {"AH-06": 12, "AH-07": 12}, fires=False, note="at-limit"),
    case("AH-07.overcrowded", {"AH-06": 13}, fires=False, note="allowed-unanswered"),
    case("AH-08.not_in_brp", {"AH-06": 13, "AH-08": 5}, raises={"hou.not_in_brp": "L"}),
    case(
        "AH-08.not_in_brp", {"AH-06": 4, "AH-08": 0}, raises={"hou.not_in_brp": "L"}, note="none-registered"
    ),
    case("AH-08.not_in_brp", {"AH-06": 5, "AH-08": 5}, fires=False, note="equal"),
    case("AH-08.not_in_brp", {"AH-08": 5}, fires=False, note="count-unanswered"),
    # -------------------------------------------------------------------------------- Ruimte
    # SNF norm 1.3 (D24): 10 m² lodging, 12 m² regular dwellings and units in a complex; 15 m² new build
    # and hotels from 1 July 2025 (D25). Without a chosen norm the housing type decides.
    case(
        "AH-09c.below_snf_norm",
        {"AH-09a": 99.0, "AH-06": 10, "AH-09e": "logies"},
        raises=SPACE,
        note="9.9-logies",
        finds={"AH-09c.below_snf_norm"},
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-09a": 100.0, "AH-06": 10, "AH-09e": "logies"},
        fires=False,
        note="10.0-logies",
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-09a": 119.0, "AH-06": 10, "AH-09e": "wonen"},
        raises=SPACE,
        note="11.9-wonen",
        finds={"AH-09c.below_snf_norm"},
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-09a": 120.0, "AH-06": 10, "AH-09e": "wonen"},
        fires=False,
        note="12.0-wonen",
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-09a": 149.0, "AH-06": 10, "AH-09e": "nieuw_2025"},
        raises=SPACE,
        note="14.9-new",
        finds={"AH-09c.below_snf_norm"},
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-09a": 150.0, "AH-06": 10, "AH-09e": "nieuw_2025"},
        fires=False,
        note="15.0-new",
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-01": "reguliere_woning", "AH-09a": 110.0, "AH-06": 10},
        raises=SPACE,
        note="dwelling-defaults-to-12",
        finds={"AH-09c.below_snf_norm"},
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-01": "units_complex", "AH-09a": 119.0, "AH-06": 10},
        raises=SPACE,
        note="complex-defaults-to-12",
        finds={"AH-09c.below_snf_norm"},
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-01": "pension_hotel", "AH-09a": 110.0, "AH-06": 10},
        fires=False,
        note="pension-defaults-to-10",
    ),
    case(
        "AH-09c.below_snf_norm",
        {"AH-09a": 99.0, "AH-06": 10},
        raises=SPACE,
        note="norm-open-uses-10",
        finds={"AH-09c.below_snf_norm"},
    ),
    case("AH-09c.below_snf_norm", {"AH-09a": 110.0, "AH-06": 10}, fires=False, note="11.0-norm-open"),
    case("AH-09c.below_snf_norm", {"AH-09a": 50.0, "AH-06": 0}, fires=False, note="no-residents"),
    case("AH-09c.below_snf_norm", {"AH-09a": 50.0}, fires=False, note="count-unanswered"),
    case("AH-11.below_norm", {"AH-11": 3.4}, raises=SPACE, finds={"AH-11.below_norm"}),
    case("AH-11.below_norm", {"AH-11": 3.5}, fires=False, note="at-norm"),
    case(
        "AH-11.below_norm",
        {"AH-11": 3.0, "AH-01": "vakantiepark", "AH-10b": 2},
        fires=False,
        note="holiday-park-exception",
    ),
    case(
        "AH-11.below_norm",
        {"AH-11": 2.6, "AH-01": "vakantiepark", "AH-10b": 2},
        raises=SPACE,
        note="holiday-park-below-2.7",
        finds={"AH-11.below_norm"},
    ),
    case(
        "AH-11.below_norm",
        {"AH-11": 3.0, "AH-01": "vakantiepark", "AH-10b": 3},
        raises=SPACE,
        note="holiday-park-3-per-room",
        finds={"AH-11.below_norm"},
    ),
    case(
        "AH-11.below_norm",
        {"AH-11": 3.0, "AH-01": "vakantiepark"},
        raises=SPACE,
        note="holiday-park-occupancy-unknown",
        finds={"AH-11.below_norm"},
    ),
    case("AH-12a.no", {"AH-12a": "no"}, raises={"hou.no_own_bed": "M"}),
    case(
        "AH-12a.no", {"AH-12a": "yes", "AH-12b": "no", "AH-12c": "no"}, fires=False, note="no-wardrobe-chair"
    ),
    # ------------------------------------------------------------------------------ Sanitair
    case(
        "AH-13c.toilets",
        {"AH-06": 17, "AH-13a": 2},
        raises=SANITATION,
        note="8.5-per-toilet",
        finds={"AH-13c.toilets"},
    ),
    case("AH-13c.toilets", {"AH-06": 16, "AH-13a": 2}, fires=False, note="8.0-per-toilet"),
    case(
        "AH-13c.toilets",
        {"AH-06": 5, "AH-13a": 0},
        raises=SANITATION,
        note="no-toilet",
        finds={"AH-13c.toilets"},
    ),
    case("AH-13c.toilets", {"AH-06": 0, "AH-13a": 0}, fires=False, note="empty-house"),
    case(
        "AH-13d.showers",
        {"AH-06": 25, "AH-13b": 3},
        raises=SANITATION,
        note="8.3-per-shower",
        finds={"AH-13d.showers"},
    ),
    case("AH-13d.showers", {"AH-06": 24, "AH-13b": 3}, fires=False, note="8.0-per-shower"),
    case(
        "AH-13d.showers",
        {"AH-06": 3, "AH-13b": 0},
        raises=SANITATION,
        note="no-shower",
        finds={"AH-13d.showers"},
    ),
    case("AH-13d.showers", {"AH-13b": 0}, fires=False, note="count-unanswered"),
    case("AH-14a.no", {"AH-14a": "no"}, raises=SANITATION),
    case("AH-14a.no", {"AH-14a": "yes"}, fires=False),
    case("AH-14b.no", {"AH-14b": "no"}, raises=SANITATION),
    case("AH-14b.no", {"AH-14b": "yes"}, fires=False),
    case("AH-15a.yes", {"AH-15a": "yes"}, raises=SANITATION),
    case("AH-15a.yes", {"AH-15a": "no"}, fires=False),
    # ----------------------------------------------------------------------- Brandveiligheid
    case("AH-16.no", {"AH-16": "no"}, raises=FIRE, finds={"AH-16.no"}),
    case("AH-16.no", {"AH-16": "yes"}, fires=False),
    case("AH-17.no", {"AH-17": "no"}, raises=FIRE, finds={"AH-17.no"}),
    case("AH-17.no", {"AH-17": "yes"}, fires=False),
    case("AH-18.no", {"AH-18": "no"}, raises={"hou.fire_risk": "L"}, finds={"AH-18.no"}),
    case(
        "AH-18.no",
        {"AH-18": "no", "AH-16": "no"},
        raises=FIRE,
        finds={"AH-16.no", "AH-18.no"},
        note="strongest-weight-wins",
    ),
    case("AH-18.no", {"AH-18": "yes"}, fires=False),
    case("AH-19a.yes", {"AH-19a": "yes"}, raises=FIRE, finds={"AH-19a.yes"}),
    case("AH-19a.yes", {"AH-19a": "no"}, fires=False),
    # locked in / cannot open from inside: H + acute; an ordinary lockable door is not asked (I4, D9a)
    case("AH-20c.yes", {"AH-20c": "yes"}, raises={"hou.locked_surveilled": "H"}, acute=True),
    case("AH-20c.yes", {"AH-20c": "no"}, fires=False),
    case("AH-20d.yes", {"AH-20d": "yes"}, raises={"hou.locked_surveilled": "M"}),
    case("AH-20d.yes", {"AH-20d": "no"}, fires=False),
    # cameras aimed at residents: M, as in MS-15 (audit §5.2)
    case("AH-21.yes", {"AH-21": "yes"}, raises={"hou.locked_surveilled": "M"}),
    case("AH-21.yes", {"AH-21": "no"}, fires=False),
    # ------------------------------------------------------------------------------ Contract
    case("AH-22.no", {"AH-22": "no"}, raises={"hou.contract_tied_to_job": "L"}),
    case("AH-22.no", {"AH-22": "yes"}, fires=False),
    case("AH-23.no", {"AH-23": "no"}, raises={"hou.no_info_language": "L"}),
    case("AH-23.no", {"AH-23": "yes"}, fires=False),
    case(
        "AH-24.high_deducted",
        {"AH-04a": "yes", "AH-24a": 120.0, "AH-24b": "yes"},
        raises={"hou.rent_via_wage_high": "M"},
    ),
    case(
        "AH-24.high_deducted",
        {"AH-04a": "yes", "AH-24a": 100.0, "AH-24b": "yes"},
        fires=False,
        note="at-threshold",
    ),
    # Wml (D27): deduction only for certified (SNF) housing and at most 25 % of the minimum wage
    case(
        "AH-24.wml_deduction",
        {"AH-04a": "no", "AH-24b": "yes"},
        raises={"hou.rent_via_wage_high": "M"},
        finds={"AH-24.wml_deduction"},
        note="not-certified",
    ),
    case(
        "AH-24.wml_deduction",
        {"AH-04a": "yes", "AH-24b": "yes", "AH-24c": 25.1},
        raises={"hou.rent_via_wage_high": "M"},
        finds={"AH-24.wml_deduction"},
        note="over-25pct",
    ),
    case(
        "AH-24.wml_deduction",
        {"AH-04a": "yes", "AH-24b": "yes", "AH-24c": 25.0},
        fires=False,
        note="at-25pct",
    ),
    case("AH-24.wml_deduction", {"AH-04a": "no", "AH-24b": "no"}, fires=False, note="not-deducted"),
    case("AH-24.high_deducted", {"AH-24a": 150.0, "AH-24b": "no"}, fires=False, note="not-deducted"),
    case("AH-24.high_deducted", {"AH-24a": 150.0}, fires=False, note="deduction-unanswered"),
    case("AH-25a.yes", {"AH-25a": "yes"}, raises={"gen.fines": "M"}),
    case("AH-25a.yes", {"AH-25a": "no"}, fires=False),
    # --------------------------------------------------------------- Gesprek (per resident)
    case("AH-26.yes", None, resident({"AH-26": "yes"}), raises={"hou.evicted_on_job_loss": "M"}),
    case("AH-26.yes", None, resident({"AH-26": "no"}), fires=False),
    case("AH-26.yes", None, person("landlord", answers={"AH-26": "yes"}), fires=False, note="not-resident"),
    case("AH-27a.no", None, resident({"AH-27a": "no"}), raises={"gen.id_held_by_other": "H"}),
    case("AH-27a.no", None, resident({"AH-27a": "yes"}), fires=False),
    case("AH-27a.no", None, person("employer", answers={"AH-27a": "no"}), fires=False, note="not-resident"),
    case("AH-27b.no", None, resident({"AH-27b": "no"}), raises={"gen.no_own_money": "H"}),
    case("AH-27b.no", None, resident({"AH-27b": "yes"}), fires=False),
    case("AH-28a.no", None, resident({"AH-28a": "no"}), raises={"gen.unknown_address": "M"}),
    case("AH-28a.no", None, resident({"AH-28a": "yes"}), fires=False),
    case("AH-28b.no", None, resident({"AH-28b": "no"}), raises={"lab.unknown_employer": "M"}),
    case("AH-28b.no", None, resident({"AH-28b": "yes"}), fires=False),
    case("AH-29.yes", None, resident({"AH-29": "yes"}), raises={"lab.unpaid_waiting": "M"}),
    case("AH-29.yes", None, resident({"AH-29": "no"}), fires=False),
    case("AH-30.yes", None, resident({"AH-30": "yes"}), raises={"gen.fines": "M"}),
    case("AH-30.yes", None, resident({"AH-30": "no"}), fires=False),
    case("AH-31a.over_60h", None, resident({"AH-31a": 61}), raises={"lab.excessive_hours": "M"}),
    case("AH-31a.over_60h", None, resident({"AH-31a": 60}), fires=False, note="at-threshold"),
    case("AH-31b.no", None, resident({"AH-31b": "no"}), raises={"lab.wages_withheld": "M"}),
    case("AH-31b.no", None, resident({"AH-31b": "yes"}), fires=False),
    case("AH-32.yes", None, resident({"AH-32": "yes"}), raises={"lab.coordinator_control": "M"}),
    case("AH-32.yes", None, resident({"AH-32": "no"}), fires=False),
    # ---------------------------------------------------------------------- Persons: age, help
    case("P-AGE.minor", None, resident(age="under_18"), raises={"gen.minor": "H"}),
    case("P-AGE.minor", None, resident(age="18_20"), fires=False),
    case("P-DANGER.yes", None, resident({"P-DANGER": "yes"}), acute=True),
    case("P-DANGER.yes", None, resident({"P-DANGER": "unknown"}), fires=False),
    case("P-ASKHELP.yes", None, resident({"P-ASKHELP": "yes"}), raises={"gen.asks_for_help": "M"}),
    case("P-ASKHELP.yes", None, resident({"P-ASKHELP": "no"}), fires=False),
    # ----------------------------------------------------------------------------- Observatie
    # version 4: the APV's criteria for a business-like sex location (domain-audit §3, D32 / S13)
    *(
        case("AH-33c.signs", {"AH-33c": [sign]}, raises={"sex.unlicensed_location": "M"}, note=f"S13-{sign}")
        for sign in (
            "meerdere_sekswerkers",
            "derde_betrokken",
            "niet_ingeschreven",
            "klantenverkeer",
            "advertenties_adres",
            "veel_telefoons",
        )
    ),
    case("AH-33c.signs", {"AH-33c": ["geen"]}, fires=False),
    case("AH-33c.signs", {"AH-33c": []}, fires=False, note="none-ticked"),
    case("AH-33b.yes", {"AH-33b": "yes"}, raises={"crim.living_in_drug_site": "M"}),
    case("AH-33b.yes", {"AH-33b": "no"}, fires=False),
    case(
        "AH-34.selected",
        {"AH-34": ["gen.isolation", "lab.lives_on_worksite", "crim.busy_premises", "gen.injuries"]},
        raises={
            "gen.isolation": "M",
            "lab.lives_on_worksite": "M",
            "crim.busy_premises": "L",
            "gen.injuries": "H",
        },
    ),
    case("AH-34.selected", {"AH-34": []}, fires=False),
    # ---------------------------------------------------- version 2: deception, travel (NLA D7, ILO/EC I2, OM D9a)
    case("AH-40.other_work", None, resident({"AH-40": "ander_werk"}), raises={"gen.deceived": "H"}),
    case("AH-40.other_work", None, resident({"AH-40": "nee"}), fires=False),
    case("AH-40.conditions", None, resident({"AH-40": "voorwaarden"}), raises={"gen.deceived": "M"}),
    case("AH-40.conditions", None, resident({"AH-40": "onbekend"}), fires=False),
    case("AH-41.yes", None, resident({"AH-41": "yes"}), raises={"gen.travel_paid_by_other": "M"}),
    case("AH-41.yes", None, resident({"AH-41": "no"}), fires=False),
    # debt, and debt bondage (NLA D7 names rent; ILO #9; Delphi debt bondage strong)
    case("AH-42a.yes", None, resident({"AH-42a": "yes"}), raises={"gen.debt": "M"}),
    case("AH-42a.yes", None, resident({"AH-42a": "no"}), fires=False),
    case("AH-42b.yes", None, resident({"AH-42a": "yes", "AH-42b": "yes"}), raises={"gen.debt": "H"}),
    case("AH-42b.yes", None, resident({"AH-42a": "no", "AH-42b": "yes"}), fires=False, note="hidden"),
    # pay amount, method, contract, deductions (NLA D7, UNODC I4)
    case("AH-43a.far_below", None, resident({"AH-43a": "ver_onder"}), raises={"lab.underpaid": "M"}),
    case("AH-43a.far_below", None, resident({"AH-43a": "onder_minimumloon"}), fires=False),
    case("AH-43b.cash", None, resident({"AH-43b": "contant"}), raises={"lab.cash_uninsured": "M"}),
    case("AH-43b.cash", None, resident({"AH-43b": "bank"}), fires=False),
    case("AH-43c.no", None, resident({"AH-43c": "no"}), raises={"lab.no_contract": "L"}),
    case("AH-43c.no", None, resident({"AH-43c": "yes"}), fires=False),
    case("AH-43d.yes", None, resident({"AH-43d": "yes"}), raises={"lab.high_deductions": "M"}),
    case("AH-43d.yes", None, resident({"AH-43d": "no"}), fires=False),
    # no free choice of housing (UNODC I4; CoMensha survey), medical care (OM 2a), movement (ILO #3)
    # version 4: compulsory housing (UNODC S5; CoMensha survey S27; Goes S31), was gen.multi_dependency
    case("AH-44.yes", None, resident({"AH-44": "yes"}), raises={"hou.compulsory_housing": "M"}, note="S5"),
    case("AH-44.yes", None, resident({"AH-44": "no"}), fires=False),
    case("AH-45.no", None, resident({"AH-45": "no"}), raises={"gen.no_medical_care": "H"}),
    case("AH-45.no", None, resident({"AH-45": "yes"}), fires=False),
    case("AH-46.no", None, resident({"AH-46": "no"}), raises={"gen.restricted_movement": "H"}),
    case("AH-46.no", None, resident({"AH-46": "yes"}), fires=False),
    # version 4 (domain-audit §3): work when ill (OM scheme 3, S7; Goes, S31)
    case("AH-47.no", None, resident({"AH-47": "no"}), raises={"gen.forced_work_when_ill": "M"}, note="S7"),
    case("AH-47.no", None, resident({"AH-47": "yes"}), fires=False),
    # deposit above twice the basic monthly rent: a Wgv finding, not a signal (domain-audit §3; Wgv S22)
    case("AH-48.yes", {"AH-48": "yes"}, finds={"AH-48.yes"}, note="S22"),
    case("AH-48.yes", {"AH-48": "no"}, fires=False),
]


test_rule_outcome, test_no_answers_raise_nothing, test_each_rule_has_a_firing_case = rule_table_tests(
    FORM, CASES
)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param({"AH-09a": 99.0, "AH-06": 10}, {"AH-09c": 9.9}, id="gbo-9.9"),
        pytest.param({"AH-09a": 100.0, "AH-06": 10}, {"AH-09c": 10.0}, id="gbo-10.0"),
        pytest.param({"AH-09a": 130.0, "AH-06": 12}, {"AH-09c": 10.8}, id="gbo-rounded"),
        pytest.param({"AH-09a": 50.0, "AH-06": 0}, {"AH-09c": None}, id="gbo-no-residents"),
        pytest.param({"AH-09a": 50.0}, {"AH-09c": None}, id="gbo-count-open"),
        pytest.param(
            {"AH-06": 17, "AH-13a": 2, "AH-13b": 3}, {"AH-13c": 8.5, "AH-13d": 5.7}, id="per-facility"
        ),
        pytest.param(
            {"AH-06": 25, "AH-13a": 3, "AH-13b": 4}, {"AH-13c": 8.3, "AH-13d": 6.2}, id="per-facility-round"
        ),
        pytest.param({"AH-06": 5, "AH-13a": 0, "AH-13b": 1}, {"AH-13c": None, "AH-13d": 5.0}, id="no-toilet"),
        pytest.param({"AH-13a": 2, "AH-13b": 2}, {"AH-13c": None, "AH-13d": None}, id="count-open"),
    ],
)
def test_computed_snf_values(answers: dict[str, object], expected: dict[str, object]) -> None:
    values = computed(FORM, answers)
    assert {key: values.get(key) for key in expected} == expected


def test_person_rules_are_counted_per_person() -> None:
    persons: dict[int, dict[str, object]] = {
        1: {"P-ROLE": "resident", "P-AGE": "30_49", "AH-27a": "yes", "AH-31a": 50},
        2: {"P-ROLE": "resident", "P-AGE": "21_29", "AH-27a": "no", "AH-31a": 72},
        3: {"P-ROLE": "coordinator", "P-AGE": "50_plus", "AH-27a": "no", "AH-31a": 80},
    }
    assert raised(FORM, None, persons) == {"gen.id_held_by_other": "H", "lab.excessive_hours": "M"}


def test_crowded_farm_housing_combines_signals() -> None:
    answers = {
        "AH-01": "bedrijfsterrein",
        "AH-05": "werkgever",
        "AH-06": 18,
        "AH-07": 12,
        "AH-08": 6,
        "AH-09a": 150.0,
        "AH-09e": "wonen",
        "AH-13a": 2,
        "AH-13b": 2,
        "AH-24a": 125.0,
        "AH-24b": "yes",
    }
    assert computed(FORM, answers)["AH-09c"] == 8.3
    assert raised(FORM, answers) == {
        "gen.multi_dependency": "L",
        "hou.overcrowded": "M",
        "hou.not_in_brp": "L",
        "hou.below_space_norm": "M",
        "hou.sanitation_poor": "L",
        "hou.rent_via_wage_high": "M",
    }


def test_form_shape() -> None:
    form = load_form_by_id(FORM)
    assert form.location_type.value == "AH"
    assert [section.id for section in form.sections] == [
        "algemeen",
        "object",
        "bewoning",
        "ruimte",
        "sanitair",
        "brandveiligheid",
        "contract",
        "personen",
        "gesprek",
        "observatie",
        "fotos",
        "afronding",
    ]
    assert {role.value: role.code for role in form.roles} == {
        "resident": "BW",
        "landlord": "VH",
        "coordinator": "CO",
        "employer": "WG",
        "other": "OV",
    }
    follow_up = {choice.value: choice.referral for choice in form.questions["AH-36a"].choices}
    assert follow_up["aandachtsfunctionaris"] == "contact_person"
    assert follow_up["nla"] == "labour_inspectorate"
    assert follow_up["politie"] == "police"
    assert form.questions["AH-36a"].required and form.questions["AH-06"].required
