"""Table-driven tests of every trigger rule of the construction site checklist (domain.md b.3).

Each case gives the answers and the COMPLETE expected outcome (indicators with effective weight,
finding rule ids, acute), so a case also proves that nothing else fires. `fires` says whether the
named rule is expected to fire in that case; every rule of the form needs at least one firing case.
"""

from __future__ import annotations

from inspector_app.forms.loader import load_form_by_id
from tests.forms.support import case, person, raised, rule_table_tests

FORM = "construction_site"


def worker(answers: dict[str, object] | None = None, age: str = "30_49") -> dict[int, dict[str, object]]:
    """One person present: a worker with the given interview answers."""
    return person("worker", age, answers)


CASES = [
    # ---------------------------------------------------------------------------- Vergunning
    case("CS-01a.no", {"CS-01a": "no"}, finds={"CS-01a.no"}),
    case("CS-01a.no", {"CS-01a": "yes", "CS-01b": "Z-2025-0142"}, fires=False),
    case("CS-01a.no", {"CS-01a": "unknown"}, fires=False, note="permit-free"),
    # --------------------------------------------------------------------------------- Keten
    case("CS-04.no", {"CS-04": "no"}, raises={"lab.opaque_chain": "L"}),
    case("CS-04.no", {"CS-04": "yes"}, fires=False),
    case("CS-05.not_certified", {"CS-05": "niet_gecertificeerd"}, raises={"lab.agency_not_approved": "L"}),
    case("CS-05.not_certified", {"CS-05": "onbekend"}, fires=False, note="unknown"),
    case("CS-05.not_certified", {"CS-05": "geen_uitlener"}, fires=False, note="no-agency"),
    # ----------------------------------------------------------------------------- Personeel
    case("CS-07.no", {"CS-07": "no"}, raises={"lab.employer_no_records": "M"}),
    case("CS-07.no", {"CS-07": "yes"}, fires=False),
    case(
        "CS-08.missing",
        {"CS-08": "ontbreekt"},
        raises={"lab.employer_no_records": "L"},
        finds={"CS-08.missing"},
    ),
    case(
        "CS-08.missing",
        {"CS-08": "ontbreekt", "CS-07": "no"},
        raises={"lab.employer_no_records": "M"},
        note="strongest-weight-wins",
        finds={"CS-08.missing"},
    ),
    case("CS-08.missing", {"CS-08": "niet_van_toepassing"}, fires=False),
    case("CS-08.missing", {"CS-08": "aanwezig"}, fires=False, note="available"),
    case("CS-09.yes", {"CS-09": "yes"}, raises={"lab.bogus_self_employed": "L"}),
    case("CS-09.yes", {"CS-09": "no"}, fires=False),
    # ---------------------------------------------------------------------------- Veiligheid
    case("CS-10.no", {"CS-10": "no"}, raises={"lab.dangerous_no_ppe": "M"}, finds={"CS-10.no"}),
    case("CS-10.no", {"CS-10": "yes"}, fires=False),
    case("CS-11.no", {"CS-11": "no"}, raises={"lab.no_safety_info_language": "L"}),
    case("CS-11.no", {"CS-11": "unknown"}, fires=False),
    case("CS-12a.yes", {"CS-12a": "yes"}, raises={"lab.dangerous_no_ppe": "M"}),
    case("CS-12a.yes", {"CS-12a": "no"}, fires=False),
    # --------------------------------------------------------------------------- Wonen, vervoer
    case("CS-13a.yes", {"CS-13a": "yes"}, raises={"lab.lives_on_worksite": "M"}),
    case("CS-13a.yes", {"CS-13a": "no"}, fires=False),
    case("CS-14.yes", {"CS-14": "yes"}, raises={"gen.transported": "L"}),
    case("CS-14.yes", {"CS-14": "no"}, fires=False),
    # ------------------------------------------------------------------ Gesprek (per worker)
    case("CS-15a.no", None, worker({"CS-15a": "no"}), raises={"lab.unknown_employer": "M"}),
    case("CS-15a.no", None, worker({"CS-15a": "yes"}), fires=False),
    case(
        "CS-15a.no",
        None,
        person("coordinator", answers={"CS-15a": "no"}),
        fires=False,
        note="not-worker",
    ),
    case("CS-15b.no", None, worker({"CS-15b": "no"}), raises={"gen.unknown_address": "M"}),
    case("CS-15b.no", None, worker({"CS-15b": "yes"}), fires=False),
    case(
        "CS-16.over_60h",
        None,
        worker({"CS-16a": 11, "CS-16b": 6}),
        raises={"lab.excessive_hours": "M"},
        note="66h",
    ),
    case("CS-16.over_60h", None, worker({"CS-16a": 10, "CS-16b": 6}), fires=False, note="60h"),
    case("CS-16.over_60h", None, worker({"CS-16a": 12}), fires=False, note="half-answered"),
    case(
        "CS-16.over_60h",
        None,
        person("site_manager", answers={"CS-16a": 12, "CS-16b": 7}),
        fires=False,
        note="not-worker",
    ),
    # late or partial pay M, unpaid H (Delphi: withholding of wages is medium; audit §4.2)
    case("CS-17.late", None, worker({"CS-17": "te_laat"}), raises={"lab.wages_withheld": "M"}),
    case("CS-17.late", None, worker({"CS-17": "op_tijd_bank"}), fires=False),
    case("CS-17.unpaid", None, worker({"CS-17": "niet_betaald"}), raises={"lab.wages_withheld": "H"}),
    case("CS-17.unpaid", None, worker({"CS-17": "te_laat"}), fires=False, raises={"lab.wages_withheld": "M"}),
    case("CS-17.cash", None, worker({"CS-17": "op_tijd_contant"}), raises={"lab.cash_uninsured": "M"}),
    case("CS-17.cash", None, worker({"CS-17": "onbekend"}), fires=False),
    case(
        "CS-18b.over_25pct",
        None,
        worker({"CS-18a": "yes", "CS-18b": 30.0}),
        raises={"lab.high_deductions": "M"},
    ),
    case(
        "CS-18b.over_25pct",
        None,
        worker({"CS-18a": "yes", "CS-18b": 25.0}),
        fires=False,
        note="at-threshold",
    ),
    case(
        "CS-18b.over_25pct",
        None,
        worker({"CS-18a": "no", "CS-18b": 30.0}),
        fires=False,
        note="hidden",
    ),
    case("CS-19a.no", None, worker({"CS-19a": "no"}), raises={"gen.id_held_by_other": "H"}),
    case("CS-19a.no", None, worker({"CS-19a": "yes"}), fires=False),
    case("CS-19b.no", None, worker({"CS-19b": "no"}), raises={"gen.no_own_money": "H"}),
    case("CS-19b.no", None, worker({"CS-19b": "yes"}), fires=False),
    case("CS-20.yes", None, worker({"CS-20": "yes"}), raises={"gen.debt": "M"}),
    case("CS-20.yes", None, worker({"CS-20": "no"}), fires=False),
    case("CS-21.no", None, worker({"CS-21": "no"}), raises={"lab.no_contract": "L"}),
    case("CS-21.no", None, worker({"CS-21": "yes"}), fires=False),
    # ---------------------------------------------------------------------- Persons: age, help
    case("P-AGE.minor", None, worker(age="under_18"), raises={"gen.minor": "H"}),
    case("P-AGE.minor", None, worker(age="18_20"), fires=False),
    case("P-DANGER.yes", None, worker({"P-DANGER": "yes"}), acute=True),
    case("P-DANGER.yes", None, person("other", answers={"P-DANGER": "yes"}), acute=True, note="any-role"),
    case("P-DANGER.yes", None, worker({"P-DANGER": "no"}), fires=False),
    case("P-ASKHELP.yes", None, worker({"P-ASKHELP": "yes"}), raises={"gen.asks_for_help": "M"}),
    case("P-ASKHELP.yes", None, worker({"P-ASKHELP": "no"}), fires=False),
    # ----------------------------------------------------------------------------- Observatie
    case(
        "CS-22.yes",
        {"CS-22": "yes"},
        raises={"lab.coordinator_control": "M", "gen.other_speaks": "M"},
    ),
    case("CS-22.yes", {"CS-22": "no"}, fires=False),
    case(
        "CS-23.selected",
        {"CS-23": ["gen.fear", "gen.injuries", "ms.no_work_permit", "gen.no_language_rights"]},
        raises={
            "gen.fear": "L",
            "gen.injuries": "H",
            "ms.no_work_permit": "M",
            "gen.no_language_rights": "L",
        },
    ),
    case("CS-23.selected", {"CS-23": []}, fires=False),
    # ---------------------------------------------------- version 2: deception, travel (NLA D7, ILO/EC I2, OM D9a)
    case("CS-25.other_work", None, worker({"CS-25": "ander_werk"}), raises={"gen.deceived": "H"}),
    case("CS-25.other_work", None, worker({"CS-25": "nee"}), fires=False),
    case("CS-25.conditions", None, worker({"CS-25": "voorwaarden"}), raises={"gen.deceived": "M"}),
    case("CS-25.conditions", None, worker({"CS-25": "onbekend"}), fires=False),
    case("CS-26.yes", None, worker({"CS-26": "yes"}), raises={"gen.travel_paid_by_other": "M"}),
    case("CS-26.yes", None, worker({"CS-26": "no"}), fires=False),
    case("CS-27.yes", None, worker({"CS-27": "yes"}), raises={"gen.fines": "M"}),
    case("CS-27.yes", None, worker({"CS-27": "no"}), fires=False),
    # version 4 (domain-audit §3): work when ill (OM scheme 3, S7; Goes, S31)
    case("CS-28.no", None, worker({"CS-28": "no"}), raises={"gen.forced_work_when_ill": "M"}, note="S7"),
    case("CS-28.no", None, worker({"CS-28": "yes"}), fires=False),
]


test_rule_outcome, test_no_answers_raise_nothing, test_each_rule_has_a_firing_case = rule_table_tests(
    FORM, CASES
)


def test_person_rules_are_counted_per_person() -> None:
    persons: dict[int, dict[str, object]] = {
        1: {"P-ROLE": "worker", "P-AGE": "30_49", "CS-19a": "yes", "CS-16a": 10, "CS-16b": 5},
        2: {"P-ROLE": "worker", "P-AGE": "21_29", "CS-19a": "no", "CS-16a": 12, "CS-16b": 6},
        3: {"P-ROLE": "coordinator", "P-AGE": "50_plus", "CS-19a": "no"},
    }
    assert raised(FORM, None, persons) == {"gen.id_held_by_other": "H", "lab.excessive_hours": "M"}


def test_form_shape() -> None:
    form = load_form_by_id(FORM)
    assert form.location_type.value == "CS"
    assert [section.id for section in form.sections] == [
        "algemeen",
        "vergunning",
        "keten",
        "personeel",
        "veiligheid",
        "wonen",
        "vervoer",
        "personen",
        "gesprek",
        "observatie",
        "afronding",
    ]
    assert {role.value: role.code for role in form.roles} == {
        "site_manager": "UV",
        "worker": "WN",
        "coordinator": "CO",
        "other": "OV",
    }
    follow_up = {choice.value: choice.referral for choice in form.questions["CS-24a"].choices}
    assert follow_up["aandachtsfunctionaris"] == "contact_person"
    assert follow_up["nla"] == "labour_inspectorate"
    assert follow_up["politie"] == "police"
    assert form.questions["CS-24a"].required
