"""Table-driven tests of every trigger rule of the massage parlour checklist (domain.md b.2).

Each case gives the answers and the COMPLETE expected outcome (indicators with effective weight,
finding rule ids, acute), so a case also proves that nothing else fires. `fires` says whether the
named rule is expected to fire in that case; every rule of the form needs at least one firing case.
"""

from __future__ import annotations

from tests.forms.support import case, person, raised, rule_table_tests

FORM = "massage_parlour"

UNLICENSED = "sex.unlicensed_location"
UNLICENSED_FINDING = {"MS-04.unlicensed"}


def masseur(answers: dict[str, object] | None = None, age: str = "30_49") -> dict[int, dict[str, object]]:
    """One person present: a masseur/masseuse with the given interview answers."""
    return person("masseur", age, answers)


CASES = [
    # ------------------------------------------------------------------------- Voorbereiding
    case("MS-01a.yes", {"MS-01a": "yes"}, raises={"ms.reviews_ads_sex": "M"}),
    case("MS-01a.yes", {"MS-01a": "no"}, fires=False),
    case("MS-02a.yes", {"MS-02a": "yes"}, raises={"sex.ad_24_7": "M"}),
    case("MS-02a.yes", {"MS-02a": "no"}, fires=False),
    case("MS-02b.yes", {"MS-02b": "yes"}, raises={"sex.forced_unsafe": "M"}),
    case("MS-02b.yes", {"MS-02b": "unknown"}, fires=False),
    # -------------------------------------------------------------------------------- Status
    case(
        "MS-04.unlicensed",
        {"MS-04": "no", "MS-03": "tantra_erotisch"},
        raises={UNLICENSED: "M"},
        finds=UNLICENSED_FINDING,
        note="erotic-type",
    ),
    case(
        "MS-04.unlicensed",
        {"MS-04": "no", "MS-01a": "yes"},
        raises={UNLICENSED: "M", "ms.reviews_ads_sex": "M"},
        finds=UNLICENSED_FINDING,
        note="desk-research",
    ),
    case(
        "MS-04.unlicensed",
        {"MS-04": "no", "MS-13a": "yes"},
        raises={UNLICENSED: "M", "ms.sexual_traces": "M", "ms.sexual_items_dress": "L"},
        finds=UNLICENSED_FINDING,
        note="traces",
    ),
    case(
        "MS-04.unlicensed",
        {"MS-04": "no", "MS-02a": "yes"},
        raises={UNLICENSED: "M", "sex.ad_24_7": "M"},
        finds=UNLICENSED_FINDING,
        note="ad-24-7",
    ),
    case(
        "MS-04.unlicensed",
        {"MS-04": "no", "MS-02b": "yes"},
        raises={UNLICENSED: "M", "sex.forced_unsafe": "M"},
        finds=UNLICENSED_FINDING,
        note="ad-unsafe",
    ),
    case(
        "MS-04.unlicensed",
        {"MS-04": "no", "MS-23": ["ms.sexual_items_dress"]},
        raises={UNLICENSED: "M", "ms.sexual_items_dress": "L"},
        finds=UNLICENSED_FINDING,
        note="observed-dress",
    ),
    case("MS-04.unlicensed", {"MS-04": "no", "MS-03": "thais"}, fires=False, note="no-indication"),
    case(
        "MS-04.unlicensed",
        {"MS-04": "yes", "MS-03": "tantra_erotisch", "MS-01a": "yes"},
        fires=False,
        raises={"ms.reviews_ads_sex": "M"},
        note="licensed",
    ),
    case("MS-05.no", {"MS-05": "no"}, finds={"MS-05.no"}),
    case("MS-05.no", {"MS-05": "yes"}, fires=False),
    case("MS-06a.no", {"MS-06a": "no"}, raises={"ms.reviews_ads_sex": "L"}),
    case("MS-06a.no", {"MS-06a": "yes"}, fires=False),
    # ----------------------------------------------------------------------------- Personeel
    case("MS-08.no", {"MS-08": "no"}, raises={"sex.admin_missing": "M"}),
    case("MS-08.no", {"MS-08": "yes"}, fires=False),
    case("MS-09.no", {"MS-09": "no"}, raises={"gen.no_own_id": "M"}),
    case("MS-09.no", {"MS-09": "yes"}, fires=False),
    case("MS-10.no", {"MS-10": "no"}, raises={"ms.no_work_permit": "M"}, finds={"MS-10.no"}),
    case("MS-10.no", {"MS-10": "unknown"}, fires=False),
    case(
        "MS-11.long_same_staff",
        {"MS-11a": 12, "MS-11b": 7, "MS-11c": "yes"},
        raises={"ms.long_days_low_pay": "M"},
    ),
    case("MS-11.long_same_staff", {"MS-11a": 12, "MS-11b": 7, "MS-11c": "no"}, fires=False, note="shifts"),
    case(
        "MS-11.long_same_staff",
        {"MS-11a": 10, "MS-11b": 6, "MS-11c": "yes"},
        fires=False,
        note="60h-hidden",
    ),
    case("MS-11.long_same_staff", {"MS-11a": 12, "MS-11c": "yes"}, fires=False, note="half-answered"),
    # ------------------------------------------------------------------------------- Ruimtes
    case("MS-12a.yes", {"MS-12a": "yes"}, raises={"ms.staff_live_in": "M"}),
    case("MS-12a.yes", {"MS-12a": "no"}, fires=False),
    case("MS-13a.yes", {"MS-13a": "yes"}, raises={"ms.sexual_traces": "M", "ms.sexual_items_dress": "L"}),
    case("MS-13a.yes", {"MS-13a": "no"}, fires=False),
    case("MS-14b.yes", {"MS-14b": "yes"}, raises={"sex.room_lock_outside": "H"}, acute=True),
    case("MS-14b.yes", {"MS-14b": "no"}, fires=False),
    case("MS-15.yes", {"MS-15": "yes"}, raises={"gen.restricted_movement": "M"}),
    case("MS-15.yes", {"MS-15": "no"}, fires=False),
    # ----------------------------------------------------------------------------- Financiën
    case("MS-16.no", {"MS-16": "no"}, raises={"ms.cash_irregular": "L"}),
    case("MS-16.no", {"MS-16": "yes"}, fires=False),
    case("MS-17.yes", {"MS-17": "yes"}, raises={"ms.cash_irregular": "L"}),
    case("MS-17.yes", {"MS-17": "no"}, fires=False),
    # --------------------------------------------------------------- Gesprek (per masseur)
    case("MS-18a.tips_only", None, masseur({"MS-18a": "alleen_fooi"}), raises={"lab.underpaid": "M"}),
    case("MS-18a.tips_only", None, masseur({"MS-18a": "loon"}), fires=False),
    case(
        "MS-18a.tips_only",
        None,
        person("other", answers={"MS-18a": "alleen_fooi"}),
        fires=False,
        note="not-masseur",
    ),
    case(
        "MS-18b.high",
        None,
        masseur({"MS-18a": "percentage", "MS-18b": 60.0}),
        raises={"lab.underpaid": "M"},
    ),
    case(
        "MS-18b.high",
        None,
        masseur({"MS-18a": "percentage", "MS-18b": 50.0}),
        fires=False,
        note="at-threshold",
    ),
    case("MS-18b.high", None, masseur({"MS-18a": "loon", "MS-18b": 60.0}), fires=False, note="hidden"),
    case("MS-19.yes", None, masseur({"MS-19": "yes"}), raises={"gen.debt": "M"}),
    case("MS-19.yes", None, masseur({"MS-19": "no"}), fires=False),
    case("MS-20a.no", None, masseur({"MS-20a": "no"}), raises={"gen.id_held_by_other": "H"}),
    case("MS-20a.no", None, masseur({"MS-20a": "yes"}), fires=False),
    case("MS-20b.no", None, masseur({"MS-20b": "no"}), raises={"gen.unknown_address": "M"}),
    case("MS-20b.no", None, masseur({"MS-20b": "yes"}), fires=False),
    case("MS-21.no", None, masseur({"MS-21": "no"}), raises={"gen.restricted_movement": "H"}),
    case("MS-21.no", None, person("client", answers={"MS-21": "no"}), fires=False, note="not-masseur"),
    # ---------------------------------------------------------------------- Persons: age, help
    case(
        "P-AGE.masseur_below_apv",
        {"MS-03": "tantra_erotisch", "MS-07a": "21"},
        masseur(age="18_20"),
        raises={"sex.under_min_age": "M"},
        finds={"P-AGE.masseur_below_apv"},
    ),
    case(
        "P-AGE.masseur_below_apv",
        {"MS-03": "tantra_erotisch", "MS-07a": "18"},
        masseur(age="18_20"),
        fires=False,
        note="apv-18",
    ),
    case(
        "P-AGE.masseur_below_apv",
        {"MS-03": "thais", "MS-07a": "21"},
        masseur(age="18_20"),
        fires=False,
        note="no-indication",
    ),
    case(
        "P-AGE.masseur_below_apv",
        {"MS-03": "tantra_erotisch", "MS-07a": "21"},
        person("client", "18_20"),
        fires=False,
        note="client",
    ),
    case("P-AGE.masseur_minor_acute", None, masseur(age="under_18"), raises={"gen.minor": "H"}, acute=True),
    case(
        "P-AGE.masseur_minor_acute",
        None,
        person("client", "under_18"),
        fires=False,
        raises={"gen.minor": "H"},
        note="client",
    ),
    case("P-AGE.minor", None, person("other", "under_18"), raises={"gen.minor": "H"}),
    case("P-AGE.minor", None, person("other", "18_20"), fires=False),
    case("P-DANGER.yes", None, masseur({"P-DANGER": "yes"}), acute=True),
    case("P-DANGER.yes", None, masseur({"P-DANGER": "unknown"}), fires=False),
    case("P-ASKHELP.yes", None, masseur({"P-ASKHELP": "yes"}), raises={"gen.asks_for_help": "M"}),
    case("P-ASKHELP.yes", None, masseur({"P-ASKHELP": "no"}), fires=False),
    # ---------------------------------------------------------------- Veiligheid, observatie
    case(
        "MS-22.no",
        {"MS-22": "no"},
        raises={"ms.fire_daylight_defects": "L"},
        finds={"MS-22.no"},
    ),
    case("MS-22.no", {"MS-22": "yes"}, fires=False),
    case(
        "MS-23.selected",
        {"MS-23": ["gen.fear", "gen.controlled_escort", "sex.ownership_tattoo"]},
        raises={"gen.fear": "L", "gen.controlled_escort": "M", "sex.ownership_tattoo": "M"},
    ),
    case("MS-23.selected", {"MS-23": []}, fires=False),
    # ---------------------------------------------------- version 2: deception, travel (NLA D7, ILO/EC I2, OM D9a)
    case("MS-26.other_work", None, masseur({"MS-26": "ander_werk"}), raises={"gen.deceived": "H"}),
    case("MS-26.other_work", None, masseur({"MS-26": "nee"}), fires=False),
    case("MS-26.conditions", None, masseur({"MS-26": "voorwaarden"}), raises={"gen.deceived": "M"}),
    case("MS-26.conditions", None, masseur({"MS-26": "onbekend"}), fires=False),
    case("MS-27.yes", None, masseur({"MS-27": "yes"}), raises={"gen.travel_paid_by_other": "M"}),
    case("MS-27.yes", None, masseur({"MS-27": "no"}), fires=False),
    case("MS-28.no", None, masseur({"MS-28": "no"}), raises={"gen.no_own_money": "H"}),
    case("MS-28.no", None, masseur({"MS-28": "yes"}), fires=False),
    # right to refuse, asked only with indications of sexual services (CCV D4)
    case("MS-29.no", {"MS-04": "yes"}, masseur({"MS-29": "no"}), raises={"sex.cannot_refuse": "H"}),
    case("MS-29.no", None, masseur({"MS-29": "no"}), fires=False, note="no-indication-hidden"),
    # hygiene block (RIVM/LCHV guideline covers erotic massage parlours, D33)
    case("MS-30a.no", {"MS-04": "yes", "MS-30a": "no"}, finds={"MS-30a.no"}),
    case("MS-30a.no", {"MS-30a": "no"}, fires=False, note="no-indication-hidden"),
    case(
        "MS-30b.no", {"MS-04": "yes", "MS-30b": "no"}, raises={"sex.forced_unsafe": "L"}, finds={"MS-30b.no"}
    ),
    case("MS-30b.no", {"MS-04": "yes", "MS-30b": "yes"}, fires=False),
    case("MS-30c.no", {"MS-04": "yes", "MS-30c": "no"}, finds={"MS-30c.no"}),
    case("MS-30c.no", {"MS-04": "yes", "MS-30c": "yes"}, fires=False),
    # version 4: a licensed erotic parlour (MS-04 yes) gets the sex-business licence checks
    # (domain-audit §6.2; CCV licence conditions S9, Model-APV S13), with the findings of the PB checklist
    case(
        "MS-32a.no",
        {"MS-04": "yes", "MS-32a": "no"},
        raises={"sex.no_manager_present": "L"},
        finds={"MS-32a.no"},
        note="S9",
    ),
    case("MS-32a.no", {"MS-04": "no", "MS-32a": "no"}, fires=False, note="unlicensed-hidden"),
    case("MS-32b.no", {"MS-04": "yes", "MS-32b": "no"}, finds={"MS-32b.no"}, note="S9"),
    case("MS-32c.no", {"MS-04": "yes", "MS-32c": "no"}, finds={"MS-32c.no"}, note="S13"),
    case("MS-32d.no", {"MS-04": "yes", "MS-32d": "no"}, raises={"sex.cannot_refuse": "L"}, note="S9"),
    case(
        "MS-32e.no",
        {"MS-04": "yes", "MS-32e": "no"},
        raises={"sex.admin_missing": "M"},
        finds={"MS-32e.no"},
        note="S13",
    ),
    case("MS-32f.no", {"MS-04": "yes", "MS-32f": "no"}, finds={"MS-32f.no"}, note="S13"),
    case(
        "MS-32g.no",
        {"MS-04": "yes", "MS-32g": "no"},
        raises={"sex.no_alarm": "L"},
        finds={"MS-32g.no"},
        note="S9",
    ),
    case("MS-32g.no", {"MS-04": "yes", "MS-32g": "yes"}, fires=False),
    # version 4 (domain-audit §3): work when ill (OM scheme 3, S7; Goes, S31), sold, oath
    case("MS-31.no", None, masseur({"MS-31": "no"}), raises={"gen.forced_work_when_ill": "M"}, note="S7"),
    case("MS-31.no", None, masseur({"MS-31": "yes"}), fires=False),
    # dependency on the owner for housing, transport or phone (OM scheme 1a, S7)
    case("MS-33.yes", None, masseur({"MS-33": "yes"}), raises={"gen.multi_dependency": "M"}, note="S7"),
    case("MS-33.yes", None, masseur({"MS-33": "no"}), fires=False),
    case(
        "MS-23.selected",
        {"MS-23": ["sex.sold_or_transferred"]},
        raises={"sex.sold_or_transferred": "H"},
        note="S7",
    ),
    case("MS-23.selected", {"MS-23": ["sex.ritual_oath"]}, raises={"sex.ritual_oath": "M"}, note="S1"),
]


test_rule_outcome, test_no_answers_raise_nothing, test_each_rule_has_a_firing_case = rule_table_tests(
    FORM, CASES
)


def test_person_rules_are_counted_per_person() -> None:
    persons = {
        1: {"P-ROLE": "masseur", "P-AGE": "30_49", "MS-20a": "yes"},
        2: {"P-ROLE": "masseur", "P-AGE": "21_29", "MS-20a": "no"},
        3: {"P-ROLE": "operator", "P-AGE": "50_plus", "MS-20a": "no"},
    }
    assert raised(FORM, None, persons) == {"gen.id_held_by_other": "H"}
