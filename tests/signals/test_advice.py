"""Every escalation rule of domain.md b.5, table-driven."""

from __future__ import annotations

import pytest

from inspector_app.domain.model import AdviceLevel, LocationType, Recipient, Weight
from inspector_app.i18n import set_language
from inspector_app.signals.advice import escalation_advice
from inspector_app.signals.ledger import StandingIndicator

H, M, L = Weight.HIGH, Weight.MEDIUM, Weight.LOW
PB, CS = LocationType.PROSTITUTION_BUSINESS, LocationType.CONSTRUCTION_SITE


def levels(
    indicators: list[tuple[str, Weight]],
    location: LocationType = CS,
    acute_rules: tuple[str, ...] = (),
    history: dict[str, int] | None = None,
) -> list[AdviceLevel]:
    active = [StandingIndicator(slug, weight) for slug, weight in indicators]
    return [a.level for a in escalation_advice(active, location, acute_rules, history)]


@pytest.mark.parametrize(
    ("indicators", "location", "acute_rules", "expected"),
    [
        ([], CS, (), []),
        ([("gen.fear", L)], CS, (), []),
        ([("gen.fear", L), ("gen.few_belongings", L), ("gen.scripted_story", L)], CS, (), []),
        # one M on its own (with at most one L): informational, so the contact person sees it (D18)
        ([("gen.debt", M)], CS, (), [AdviceLevel.INFORMATIONAL]),
        ([("gen.debt", M), ("gen.fear", L)], CS, (), [AdviceLevel.INFORMATIONAL]),
        # any H: escalate today to the municipal contact person
        ([("gen.id_held_by_other", H)], CS, (), [AdviceLevel.ESCALATE]),
        # two M: referral prompt
        ([("gen.debt", M), ("lab.underpaid", M)], CS, (), [AdviceLevel.REFERRAL]),
        # one M plus two L: referral prompt
        ([("gen.debt", M), ("gen.fear", L), ("gen.few_belongings", L)], CS, (), [AdviceLevel.REFERRAL]),
        # H beats the referral prompt: one escalation, not two messages
        ([("gen.threats", H), ("gen.debt", M), ("lab.underpaid", M)], CS, (), [AdviceLevel.ESCALATE]),
        # acute: a minor in sex work
        ([("gen.minor", H)], PB, (), [AdviceLevel.ACUTE, AdviceLevel.ESCALATE]),
        # a minor at a construction site is H (escalate) but not by itself the sex-work acute case
        ([("gen.minor", H)], CS, (), [AdviceLevel.ESCALATE]),
        # ... but a minor with another H indicator is acute anywhere (audit §5.3.2)
        ([("gen.minor", H), ("gen.id_held_by_other", H)], CS, (), [AdviceLevel.ACUTE, AdviceLevel.ESCALATE]),
        # acute: injuries with ongoing threat
        ([("gen.injuries", H), ("gen.threats", H)], CS, (), [AdviceLevel.ACUTE, AdviceLevel.ESCALATE]),
        ([("gen.injuries", H)], CS, (), [AdviceLevel.ESCALATE]),
        # acute: someone locked in
        ([("sex.room_lock_outside", H)], PB, (), [AdviceLevel.ACUTE, AdviceLevel.ESCALATE]),
        # acute: a rule marked acute fired (person in danger now)
        ([], CS, ("P-DANGER.yes",), [AdviceLevel.ACUTE]),
    ],
)
def test_escalation_rules(
    indicators: list[tuple[str, Weight]],
    location: LocationType,
    acute_rules: tuple[str, ...],
    expected: list[AdviceLevel],
) -> None:
    assert levels(indicators, location, acute_rules) == expected


def test_same_slug_counts_once_at_its_strongest_weight() -> None:
    assert levels([("gen.debt", M), ("gen.debt", L), ("gen.debt", M)]) == [AdviceLevel.INFORMATIONAL]
    assert levels([("gen.debt", L), ("gen.debt", H)]) == [AdviceLevel.ESCALATE]


def test_recurring_signals_at_a_location_suggest_riec() -> None:
    found = levels([("hou.overcrowded", M), ("gen.fines", M)], history={"hou.overcrowded": 2})
    assert found == [AdviceLevel.REFERRAL, AdviceLevel.RIEC]
    assert levels([("gen.fear", L)], history={"gen.fear": 3}) == []


def test_advice_names_recipient_and_partner() -> None:
    advice = escalation_advice(
        [StandingIndicator("lab.underpaid", M), StandingIndicator("lab.excessive_hours", M)], CS
    )
    assert advice[0].recipient is Recipient.CONTACT_PERSON
    assert "Arbeidsinspectie" in advice[0].text
    acute = escalation_advice([], CS, ("P-DANGER.yes",))[0]
    assert acute.recipient is Recipient.POLICE
    assert "112" in acute.text


def test_advice_in_english() -> None:
    set_language("en")
    advice = escalation_advice([StandingIndicator("gen.threats", H)], CS)
    assert "escalate today" in advice[0].text
    set_language("nl")


def test_advice_never_says_victim_or_offender() -> None:
    for language in ("nl", "en"):
        set_language(language)
        texts = [
            a.text
            for a in escalation_advice(
                [
                    StandingIndicator("gen.minor", H),
                    StandingIndicator("gen.injuries", H),
                    StandingIndicator("gen.threats", H),
                    StandingIndicator("lab.underpaid", M),
                ],
                PB,
                ("x",),
                {"gen.minor": 1},
            )
        ]
        joined = " ".join(texts).lower()
        for word in ("slachtoffer", "dader", "mensenhandelaar", "victim", "trafficker", "offender"):
            assert word not in joined
    set_language("nl")


@pytest.mark.parametrize(
    ("indicators", "partner"),
    [
        ([("lab.underpaid", M), ("lab.excessive_hours", M)], "Nederlandse Arbeidsinspectie"),
        ([("sex.unknown_terms", M), ("gen.debt", M)], "politie (AVIM)"),
        ([("beg.dropped_collected", M), ("beg.feigned_or_mutilated", M)], "politie (AVIM)"),
        ([("crim.forced_offences", M), ("lab.underpaid", M)], "politie (AVIM), Nederlandse Arbeidsinspectie"),
        # general signals only: the location type decides (a construction site -> NLA, audit §5.3.1)
        ([("gen.debt", M), ("gen.fines", M)], "Nederlandse Arbeidsinspectie"),
    ],
)
def test_a_referral_names_the_likely_follow_up_partner(
    indicators: list[tuple[str, Weight]], partner: str | None
) -> None:
    """Sexual, criminal and begging signals point to the police (AVIM), labour ones to the labour
    inspectorate (domain.md b.5); with general signals only, the location type decides."""
    advice = escalation_advice([StandingIndicator(slug, weight) for slug, weight in indicators], CS)
    assert [a.level for a in advice] == [AdviceLevel.REFERRAL]
    if partner is None:
        assert "vervolgpartner" not in advice[0].text
    else:
        assert advice[0].text.endswith(f"Waarschijnlijke vervolgpartner: {partner}.")
