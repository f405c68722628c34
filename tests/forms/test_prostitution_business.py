"""Table-driven tests of every trigger rule of the prostitution business checklist (domain.md b.1).

Each case gives the answers and the COMPLETE expected outcome (indicators with effective weight,
finding rule ids, acute), so a case also proves that nothing else fires. `fires` says whether the
named rule is expected to fire in that case; every rule of the form needs at least one firing case.
"""

from __future__ import annotations

from tests.forms.support import case, person, raised, rule_table_tests

FORM = "prostitution_business"


def sex_worker(answers: dict[str, object] | None = None, age: str = "21_29") -> dict[int, dict[str, object]]:
    """One person present: a sex worker with the given interview answers."""
    return person("sex_worker", age, answers)


CASES = [
    # ---------------------------------------------------------------------------- Vergunning
    case("PB-01.no", {"PB-01": "no"}, finds={"PB-01.no"}),
    case("PB-01.no", {"PB-01": "yes"}, fires=False),
    case(
        "PB-01.operating",
        {"PB-01": "no", "PB-10b": 3},
        raises={"sex.unlicensed_location": "M"},
        finds={"PB-01.no"},
        note="count",
    ),
    case(
        "PB-01.operating",
        {"PB-01": "no"},
        sex_worker(),
        raises={"sex.unlicensed_location": "M"},
        finds={"PB-01.no"},
        note="person",
    ),
    case("PB-01.operating", {"PB-01": "no", "PB-10b": 0}, fires=False, finds={"PB-01.no"}, note="closed"),
    case("PB-01.operating", {"PB-01": "yes", "PB-10b": 3}, fires=False, note="licensed"),
    case("PB-04.no", {"PB-04": "no"}, finds={"PB-04.no"}),
    case("PB-04.no", {"PB-04": "yes"}, fires=False),
    # ------------------------------------------------------------------ Exploitant/beheerder
    case("PB-05.no", {"PB-05": "no"}, raises={"sex.no_manager_present": "L"}, finds={"PB-05.no"}),
    case("PB-05.no", {"PB-05": "yes"}, fires=False),
    case("PB-06.no", {"PB-05": "yes", "PB-06": "no"}, finds={"PB-06.no"}),
    case(
        "PB-06.no",
        {"PB-05": "no", "PB-06": "no"},
        fires=False,
        raises={"sex.no_manager_present": "L"},
        note="hidden",
        finds={"PB-05.no"},
    ),
    # --------------------------------------------------------------------------- Bedrijfsplan
    case("PB-07.no", {"PB-07": "no"}, finds={"PB-07.no"}),
    case("PB-07.no", {"PB-07": "unknown"}, fires=False),
    case("PB-08.no", {"PB-08": "no"}, raises={"sex.cannot_refuse": "L"}),
    case("PB-08.no", {"PB-08": "yes"}, fires=False),
    # -------------------------------------------------------------------------- Administratie
    case("PB-09.no", {"PB-09": "no"}, raises={"sex.admin_missing": "M"}, finds={"PB-09.no"}),
    case("PB-09.no", {"PB-09": "yes"}, fires=False),
    case(
        "PB-10.mismatch",
        {"PB-10a": 3, "PB-10b": 4},
        raises={"sex.admin_missing": "M"},
        finds={"PB-10.mismatch"},
    ),
    case("PB-10.mismatch", {"PB-10a": 4, "PB-10b": 4}, fires=False, note="equal"),
    case("PB-10.mismatch", {"PB-10a": 4}, fires=False, note="half-answered"),
    case("PB-11.no", {"PB-11": "no"}, finds={"PB-11.no"}),
    case("PB-11.no", {"PB-11": "yes"}, fires=False),
    case(
        "PB-12.no_apv21",
        {"PB-12a": "21", "PB-12": "no"},
        raises={"sex.under_min_age": "M"},
        finds={"PB-12.no_apv21"},
    ),
    case("PB-12.no_apv21", {"PB-12a": "21", "PB-12": "yes"}, fires=False),
    case(
        "PB-12.no_minor",
        {"PB-12a": "18", "PB-12": "no"},
        raises={"gen.minor": "H"},
        acute=True,
        finds={"PB-12.no_minor"},
    ),
    case(
        "PB-12.no_minor",
        {"PB-12": "no"},
        raises={"gen.minor": "H"},
        acute=True,
        note="unset-is-18",
        finds={"PB-12.no_minor"},
    ),
    case("PB-12.no_minor", {"PB-12a": "18", "PB-12": "yes"}, fires=False),
    case("PB-13.no", {"PB-13": "no"}, raises={"sex.no_intake": "L"}, finds={"PB-13.no"}),
    case("PB-13.no", {"PB-13": "yes"}, fires=False),
    case("PB-14.no", {"PB-14": "no"}, raises={"sex.no_statements": "L"}),
    case("PB-14.no", {"PB-14": "yes"}, fires=False),
    case("PB-15.no", {"PB-15": "no"}, raises={"ms.no_work_permit": "M"}, finds={"PB-15.no"}),
    case("PB-15.no", {"PB-15": "yes"}, fires=False),
    # --------------------------------------------------------------------- Werkomstandigheden
    case("PB-16a.high", {"PB-16a": 60.0}, raises={"sex.excessive_share": "M"}),
    case("PB-16a.high", {"PB-16a": 50.0}, fires=False, note="at-threshold"),
    case("PB-16b.high", {"PB-16b": 250.0}, raises={"sex.excessive_share": "M"}),
    case("PB-16b.high", {"PB-16b": 200.0}, fires=False, note="at-threshold"),
    case("PB-17.no", {"PB-17": "no"}, raises={"sex.extreme_hours": "M"}),
    case("PB-17.no", {"PB-17": "yes"}, fires=False),
    case("PB-18a.yes", {"PB-18a": "yes"}, raises={"sex.forced_alcohol_drugs": "M"}),
    case("PB-18a.yes", {"PB-18a": "no"}, fires=False),
    case("PB-18b.yes", {"PB-18b": "yes"}, raises={"sex.forced_services_dress": "M"}),
    case("PB-18b.yes", {"PB-18b": "no"}, fires=False),
    # ------------------------------------------------------------ Gesprek (per sex worker)
    case("PB-19.no", None, sex_worker({"PB-19": "no"}), raises={"sex.cannot_refuse": "H"}),
    case("PB-19.no", None, sex_worker({"PB-19": "yes"}), fires=False),
    case("PB-19.no", None, person("client", answers={"PB-19": "no"}), fires=False, note="not-sex-worker"),
    case("PB-20.no", None, sex_worker({"PB-20": "no"}), raises={"gen.id_held_by_other": "H"}),
    case("PB-20.no", None, sex_worker({"PB-20": "yes"}), fires=False),
    case(
        "PB-21.no",
        None,
        sex_worker({"PB-21": "no"}),
        raises={"gen.no_own_money": "H", "sex.hands_over_earnings": "H"},
    ),
    case("PB-21.no", None, sex_worker({"PB-21": "yes"}), fires=False),
    case("PB-22.yes", None, sex_worker({"PB-22": "yes"}), raises={"gen.debt": "M"}),
    case("PB-22.yes", None, sex_worker({"PB-22": "no"}), fires=False),
    case("PB-23a.no", None, sex_worker({"PB-23a": "no"}), raises={"gen.unknown_address": "M"}),
    case("PB-23a.no", None, sex_worker({"PB-23a": "yes"}), fires=False),
    case("PB-23b.no", None, sex_worker({"PB-23b": "no"}), raises={"sex.unknown_terms": "M"}),
    case("PB-23b.no", None, sex_worker({"PB-23b": "yes"}), fires=False),
    case("PB-24.yes", None, sex_worker({"PB-24": "yes"}), raises={"sex.lives_at_work": "M"}),
    case("PB-24.yes", None, sex_worker({"PB-24": "no"}), fires=False),
    case("PB-25.yes", None, sex_worker({"PB-25": "yes"}), raises={"gen.transported": "M"}),
    case("PB-25.yes", None, person("manager", answers={"PB-25": "yes"}), fires=False, note="not-sex-worker"),
    case("PB-26.no", None, sex_worker({"PB-26": "no"}), finds={"PB-26.no"}),
    case("PB-26.no", None, sex_worker({"PB-26": "yes"}), fires=False),
    # ---------------------------------------------------------------------- Persons: age, help
    case(
        "P-AGE.sex_worker_below_apv",
        {"PB-12a": "21"},
        sex_worker(age="18_20"),
        raises={"sex.under_min_age": "M"},
        finds={"P-AGE.sex_worker_below_apv"},
    ),
    case("P-AGE.sex_worker_below_apv", {"PB-12a": "18"}, sex_worker(age="18_20"), fires=False, note="apv-18"),
    case(
        "P-AGE.sex_worker_below_apv", {"PB-12a": "21"}, person("client", "18_20"), fires=False, note="client"
    ),
    case("P-AGE.sex_worker_below_apv", {"PB-12a": "21"}, sex_worker(age="21_29"), fires=False, note="21"),
    case("P-AGE.minor_acute", None, sex_worker(age="under_18"), raises={"gen.minor": "H"}, acute=True),
    case(
        "P-AGE.minor_acute",
        None,
        person("other", "under_18"),
        raises={"gen.minor": "H"},
        acute=True,
        note="other",
    ),
    case("P-AGE.minor_acute", None, sex_worker(age="unknown"), fires=False),
    case("P-AGE.minor", None, person("client", "under_18"), raises={"gen.minor": "H"}, acute=True),
    case("P-DANGER.yes", None, person("other", answers={"P-DANGER": "yes"}), acute=True),
    case("P-DANGER.yes", None, person("other", answers={"P-DANGER": "no"}), fires=False),
    case(
        "P-ASKHELP.yes",
        None,
        person("other", answers={"P-ASKHELP": "yes"}),
        raises={"gen.asks_for_help": "M"},
    ),
    case("P-ASKHELP.yes", None, person("other", answers={"P-ASKHELP": "no"}), fires=False),
    # ---------------------------------------------------------------------------- Observatie
    case(
        "PB-27.selected",
        {"PB-27": ["gen.fear", "gen.injuries", "sex.minder_outside"]},
        raises={"gen.fear": "L", "gen.injuries": "H", "sex.minder_outside": "M"},
    ),
    case("PB-27.selected", {"PB-27": []}, fires=False),
    # ------------------------------------------------------------------------------- Hygiëne
    case("PB-28a.no", {"PB-28a": "no"}, finds={"PB-28a.no"}),
    case("PB-28a.no", {"PB-03": "escortbedrijf", "PB-28a": "no"}, fires=False, note="escort-hidden"),
    case("PB-28b.no", {"PB-28b": "no"}, finds={"PB-28b.no"}),
    case("PB-28b.no", {"PB-28b": "yes"}, fires=False),
    case("PB-28c.no", {"PB-28c": "no"}, raises={"sex.forced_unsafe": "L"}, finds={"PB-28c.no"}),
    case("PB-28c.no", {"PB-28c": "yes"}, fires=False),
    case("PB-29.no", {"PB-29": "no"}, finds={"PB-29.no"}),
    case("PB-29.no", {"PB-03": "escortbedrijf", "PB-29": "no"}, fires=False, note="escort-hidden"),
    # ---------------------------------------------------------------------------- Veiligheid
    case("PB-30.no", {"PB-30": "no"}, raises={"sex.no_alarm": "L"}, finds={"PB-30.no"}),
    case("PB-30.no", {"PB-03": "escortbedrijf", "PB-30": "no"}, fires=False, note="escort-hidden"),
    case("PB-31b.yes", {"PB-31b": "yes"}, raises={"sex.room_lock_outside": "H"}, acute=True),
    case("PB-31b.yes", {"PB-31b": "no"}, fires=False),
    case("PB-32a.no", {"PB-32a": "no"}, finds={"PB-32a.no"}),
    case("PB-32a.no", {"PB-32a": "yes"}, fires=False),
    case("PB-32b.no", {"PB-32b": "no"}, finds={"PB-32b.no"}),
    case("PB-32b.no", {"PB-32b": "yes"}, fires=False),
    case("PB-32c.no", {"PB-32c": "no"}, finds={"PB-32c.no"}),
    case("PB-32c.no", {"PB-32c": "yes"}, fires=False),
    # ---------------------------------------------------- version 2: deception, travel (NLA D7, ILO/EC I2, OM D9a)
    case("PB-37.other_work", None, sex_worker({"PB-37": "ander_werk"}), raises={"gen.deceived": "H"}),
    case("PB-37.other_work", None, sex_worker({"PB-37": "nee"}), fires=False),
    case("PB-37.conditions", None, sex_worker({"PB-37": "voorwaarden"}), raises={"gen.deceived": "M"}),
    case("PB-37.conditions", None, sex_worker({"PB-37": "onbekend"}), fires=False),
    case("PB-38.yes", None, sex_worker({"PB-38": "yes"}), raises={"gen.travel_paid_by_other": "M"}),
    case("PB-38.yes", None, sex_worker({"PB-38": "no"}), fires=False),
    case("PB-39.no", None, sex_worker({"PB-39": "no"}), raises={"gen.restricted_movement": "H"}),
    case("PB-39.no", None, sex_worker({"PB-39": "yes"}), fires=False),
    case("PB-40.yes", None, sex_worker({"PB-40": "yes"}), raises={"gen.fines": "M"}),
    case("PB-40.yes", None, sex_worker({"PB-40": "no"}), fires=False),
    case("PB-41.yes", None, sex_worker({"PB-41": "yes"}), raises={"gen.multi_dependency": "M"}),
    case("PB-41.yes", None, sex_worker({"PB-41": "no"}), fires=False),
    # version 4 (domain-audit §3): work when ill (OM scheme 3, S7; Goes, S31)
    case("PB-42.no", None, sex_worker({"PB-42": "no"}), raises={"gen.forced_work_when_ill": "M"}, note="S7"),
    case("PB-42.no", None, sex_worker({"PB-42": "yes"}), fires=False),
    # adverts offering 24/7 availability (domain-audit §5.1; police on 24/7 adverts, S39)
    case("PB-43.yes", {"PB-43": "yes"}, raises={"sex.ad_24_7": "M"}, note="S39"),
    case("PB-43.yes", {"PB-43": "no"}, fires=False),
    # sold or handed over for a transfer fee (OM scheme 1b, S7; UNODC, S5), an oath or ritual (S1, S6)
    case(
        "PB-27.selected",
        {"PB-27": ["sex.sold_or_transferred"]},
        raises={"sex.sold_or_transferred": "H"},
        note="S7",
    ),
    case("PB-27.selected", {"PB-27": ["sex.ritual_oath"]}, raises={"sex.ritual_oath": "M"}, note="S1"),
]


test_rule_outcome, test_no_answers_raise_nothing, test_each_rule_has_a_firing_case = rule_table_tests(
    FORM, CASES
)


def test_person_rules_are_counted_per_person() -> None:
    persons = {
        1: {"P-ROLE": "sex_worker", "P-AGE": "21_29", "PB-20": "yes"},
        2: {"P-ROLE": "sex_worker", "P-AGE": "18_20", "PB-20": "no"},
        3: {"P-ROLE": "client", "P-AGE": "18_20", "PB-20": "no"},
    }
    assert raised(FORM, {"PB-12a": "21"}, persons) == {"gen.id_held_by_other": "H", "sex.under_min_age": "M"}
