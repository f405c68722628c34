"""Routing: the likely partner at every advice level, minors, help requests, table-driven.

Each row names its source (domain-audit §2 keys): D3 CCV aandachtsfunctionaris (every signal goes to
the contact person first), D7 NLA (labour exploitation -> Labour Inspectorate), D10 Wegwijzer (acute:
112; police AVIM; CoMensha for shelter), D11 Rijksoverheid (youth care coordinates help for minors),
D12 CoMensha (written consent for registration by municipal notifiers), D15 Veilig Thuis as
reporting point for minors, D18 Veiligheidscoalitie Den Haag (act also on a suspicion), D19 RIEC Noord
(acute 112; coercion police; forced work NLA).
"""

from __future__ import annotations

import pytest

from inspector_app.domain.model import AdviceLevel, LocationType, Recipient, Weight
from inspector_app.signals.advice import escalation_advice
from inspector_app.signals.ledger import StandingIndicator

H, M, L = Weight.HIGH, Weight.MEDIUM, Weight.LOW
PB, MS, CS, AH = (LocationType(code) for code in ("PB", "MS", "CS", "AH"))
POLICE, NLA, VT = Recipient.POLICE, Recipient.LABOUR_INSPECTORATE, Recipient.VEILIG_THUIS
CARE, COMENSHA, CONTACT = Recipient.CARE_COORDINATOR, Recipient.COMENSHA, Recipient.CONTACT_PERSON
ACUTE, ESCALATE, REFERRAL, INFO = (
    AdviceLevel.ACUTE,
    AdviceLevel.ESCALATE,
    AdviceLevel.REFERRAL,
    AdviceLevel.INFORMATIONAL,
)


def advise(
    indicators: list[tuple[str, Weight]], location: LocationType, acute_rules: tuple[str, ...] = ()
) -> list[tuple[AdviceLevel, Recipient | None, tuple[Recipient, ...]]]:
    advice = escalation_advice([StandingIndicator(s, w) for s, w in indicators], location, acute_rules)
    return [(a.level, a.recipient, a.partners) for a in advice]


@pytest.mark.parametrize(
    ("indicators", "location", "acute_rules", "expected", "source"),
    [
        # H with general slugs only: the location type names the partner at escalate level too
        ([("gen.id_held_by_other", H)], CS, (), [(ESCALATE, CONTACT, (NLA,))], "D7"),
        ([("gen.id_held_by_other", H)], AH, (), [(ESCALATE, CONTACT, (NLA,))], "D7"),
        ([("gen.id_held_by_other", H)], PB, (), [(ESCALATE, CONTACT, (POLICE,))], "D10"),
        ([("gen.id_held_by_other", H)], MS, (), [(ESCALATE, CONTACT, (POLICE,))], "D10"),
        # categories first: a sexual signal in housing goes to the police, a labour one at PB to NLA
        (
            [("sex.unlicensed_location", M), ("hou.overcrowded", M)],
            AH,
            (),
            [(REFERRAL, CONTACT, (POLICE, NLA))],
            "D19",
        ),
        ([("lab.underpaid", M), ("gen.debt", M)], PB, (), [(REFERRAL, CONTACT, (NLA,))], "D7"),
        # general-only referral at a construction site: NLA (it had no partner before)
        ([("gen.debt", M), ("gen.unknown_address", M)], CS, (), [(REFERRAL, CONTACT, (NLA,))], "D7"),
        # one M: informational, still to the contact person with a partner
        ([("hou.below_space_norm", M)], AH, (), [(INFO, CONTACT, (NLA,))], "D18"),
        ([("sex.excessive_share", M)], PB, (), [(INFO, CONTACT, (POLICE,))], "D18"),
        ([("hou.overcrowded", M), ("hou.not_in_brp", L)], AH, (), [(INFO, CONTACT, (NLA,))], "D18"),
        # L only: context, no advice
        ([("hou.not_in_brp", L)], AH, (), [], "D3"),
        # minors: police + Veilig Thuis/youth care, + NLA at a work site
        ([("gen.minor", H)], CS, (), [(ESCALATE, CONTACT, (NLA, POLICE, VT))], "D11"),
        ([("gen.minor", H)], AH, (), [(ESCALATE, CONTACT, (NLA, POLICE, VT))], "D15"),
        # minor + another H: acute, also outside sex work
        (
            [("gen.minor", H), ("lab.wages_withheld", H)],
            AH,
            (),
            [(ACUTE, POLICE, (POLICE, VT)), (ESCALATE, CONTACT, (NLA, POLICE, VT))],
            "D11",
        ),
        # minor in sex work: acute (as before), police + Veilig Thuis
        (
            [("gen.minor", H)],
            PB,
            (),
            [(ACUTE, POLICE, (POLICE, VT)), (ESCALATE, CONTACT, (POLICE, VT))],
            "D10",
        ),
        # in danger now: acute, 112
        ([], CS, ("P-DANGER.yes",), [(ACUTE, POLICE, (POLICE,))], "D10"),
        # asks for help or shelter (not in danger now): police + care coordinator, CoMensha with consent
        (
            [("gen.asks_for_help", M)],
            MS,
            (),
            [(INFO, CONTACT, (POLICE,)), (REFERRAL, CARE, (POLICE, CARE, COMENSHA))],
            "D12",
        ),
        # a minor who asks for help: police + Veilig Thuis, never CoMensha's adult shelter route
        (
            [("gen.asks_for_help", M), ("gen.minor", H)],
            CS,
            (),
            [(ESCALATE, CONTACT, (NLA, POLICE, VT)), (REFERRAL, VT, (POLICE, VT))],
            "D11",
        ),
    ],
)
def test_routing(
    indicators: list[tuple[str, Weight]],
    location: LocationType,
    acute_rules: tuple[str, ...],
    expected: list[tuple[AdviceLevel, Recipient | None, tuple[Recipient, ...]]],
    source: str,
) -> None:
    assert source in {"D3", "D7", "D10", "D11", "D12", "D15", "D18", "D19"}
    assert advise(indicators, location, acute_rules) == expected


def test_the_help_advice_says_consent_for_comensha_and_names_the_partners() -> None:
    [_info, help_advice] = escalation_advice([StandingIndicator("gen.asks_for_help", M)], PB)
    assert "CoMensha" in help_advice.text and "schriftelijke toestemming" in help_advice.text
    assert "112" not in help_advice.text


def test_every_level_but_riec_names_a_partner_in_its_text() -> None:
    advice = escalation_advice([StandingIndicator("gen.debt", M)], AH)
    assert advice[0].text.endswith("Waarschijnlijke vervolgpartner: Nederlandse Arbeidsinspectie.")
    advice = escalation_advice([StandingIndicator("gen.threats", H)], PB)
    assert advice[0].text.endswith("Waarschijnlijke vervolgpartner: politie (AVIM).")


def test_without_a_location_type_general_signals_name_no_partner() -> None:
    [advice] = escalation_advice([StandingIndicator("gen.id_held_by_other", H)], None)
    assert advice.partners == () and "vervolgpartner" not in advice.text
