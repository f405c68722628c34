"""A hand-ticked `sex.under_min_age` gets the level the rules give, under the municipal minimum age.

Sources: D29 (domain-audit §5.2: the APV minimum is 18 in most municipalities and 21 in some; NOS
2019, ABRvS 5-6-2019) and domain.md b.5 (a minor in the sex branch is acute). Each row: the APV minimum
the visit was filled under, the slug ticked, and the weight and advice level that must follow, or the
refusal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.domain.model import AdviceLevel
from inspector_app.errors import InvalidInputError
from inspector_app.services.app import AppContext
from inspector_app.services.policy import set_policy
from inspector_app.services.visit.indicators import tick
from inspector_app.services.visit.session import VisitSession
from tests.reports.support import new_session

LEGACY_V1 = Path(__file__).parents[1] / "forms" / "legacy_v1"
NOTE = "Sekswerker noemt zelf een leeftijd onder de minimumleeftijd"


@pytest.mark.parametrize(
    ("apv", "form", "slug", "weight", "level"),
    [
        # D29: where the APV says 21, an 18-20-year-old is a licence breach plus an M signal
        pytest.param("21", "PB", "sex.under_min_age", "M", AdviceLevel.INFORMATIONAL, id="D29-PB-21-M"),
        pytest.param("21", "MS", "sex.under_min_age", "M", AdviceLevel.INFORMATIONAL, id="D29-MS-21-M"),
        # domain.md b.5: below 18 is a minor, H and acute in the sex branch, whatever the APV says
        pytest.param("18", "PB", "gen.minor", "H", AdviceLevel.ACUTE, id="b5-PB-18-minor-acute"),
        pytest.param("21", "PB", "gen.minor", "H", AdviceLevel.ACUTE, id="b5-PB-21-minor-acute"),
        pytest.param("18", "MS", "gen.minor", "H", AdviceLevel.ACUTE, id="b5-MS-18-minor-acute"),
    ],
)
def test_a_manual_tick_weighs_what_the_rules_give(
    app: AppContext, apv: str, form: str, slug: str, weight: str, level: AdviceLevel
) -> None:
    set_policy(app, "apv_min_age", apv)
    session = new_session(app, form)
    tick(session, slug, NOTE)
    standing = {i.slug: i.weight.value for i in session.standing_indicators()}
    assert standing == {slug: weight}
    assert session.advice()[0].level is level


@pytest.mark.parametrize("form", ["PB", "MS"])
def test_below_an_apv_minimum_of_18_the_tick_is_refused_and_points_to_a_minor(
    app: AppContext, form: str
) -> None:
    """D29: with an APV minimum of 18 'below the minimum' means a minor; an M tick would hide that."""
    set_policy(app, "apv_min_age", "18")
    session = new_session(app, form)
    with pytest.raises(InvalidInputError, match=r"gen\.minor"):
        tick(session, "sex.under_min_age", NOTE)
    assert VisitSession(app, session.visit_id).standing_indicators() == []


def test_the_visit_keeps_the_minimum_it_was_filled_under(app: AppContext) -> None:
    """The minimum is the visit's prefilled answer (PB-12a), not the policy changed afterwards."""
    set_policy(app, "apv_min_age", "21")
    session = new_session(app)
    set_policy(app, "apv_min_age", "18")
    tick(session, "sex.under_min_age", NOTE)
    assert [(i.slug, i.weight.value) for i in session.standing_indicators()] == [("sex.under_min_age", "M")]


def test_a_version_1_visit_keeps_the_catalogue_weight(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 1 assumed 21 everywhere and weighed the tick H (tests/forms/test_legacy_version.py)."""
    monkeypatch.setenv("INSPECTOR_APP_FORMS", str(LEGACY_V1))
    set_policy(app, "apv_min_age", "18")
    session = new_session(app)
    assert session.form.version == 1
    tick(session, "sex.under_min_age", NOTE)
    assert [(i.slug, i.weight.value) for i in session.standing_indicators()] == [("sex.under_min_age", "H")]
