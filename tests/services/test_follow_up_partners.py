"""The follow-up choices offer the care coordinator, CoMensha and Veilig Thuis (domain-audit §5.3.3,
§9.9: S27 CoMensha coordination of care; S26 Wegwijzer; D11/D15 Veilig Thuis and youth care for minors);
choosing one drafts that referral at finalisation, and CoMensha still needs written consent to be sent."""

from __future__ import annotations

import pytest

from inspector_app.domain.model import Recipient, ReferralStatus
from inspector_app.errors import InvalidInputError
from inspector_app.forms.loader import load_all_forms
from inspector_app.services.app import AppContext
from inspector_app.services.visit.finalize import finalize_visit
from inspector_app.services.visit.referrals import ReferralUpdate, update_referral
from inspector_app.storage.referrals import load_referrals
from tests.reports.support import new_session

FOLLOW_UP = {
    "prostitution_business": "PB-35",
    "massage_parlour": "MS-25a",
    "construction_site": "CS-24a",
    "labour_migrant_housing": "AH-36a",
}
OFFERED = {Recipient.CARE_COORDINATOR, Recipient.COMENSHA, Recipient.VEILIG_THUIS}


@pytest.mark.parametrize(("form_id", "question_id"), sorted(FOLLOW_UP.items()))
def test_every_checklist_offers_care_coordinator_comensha_and_veilig_thuis(
    form_id: str, question_id: str
) -> None:
    question = load_all_forms()[form_id].question(question_id)
    assert {Recipient(c.referral) for c in question.choices if c.referral} >= OFFERED


def test_choosing_them_drafts_the_referrals_and_comensha_waits_for_consent(app: AppContext) -> None:
    session = new_session(app)
    closing = {"H-07": "1", "PB-01": "ja", "PB-03": "club", "PB-05": "ja", "PB-09": "ja", "PB-12": "ja"}
    closing |= {"PB-10a": "1", "PB-10b": "1", "PB-35": "comensha,zorgcoordinator,veilig_thuis"}
    for ref, value in closing.items():
        session.answer_text(ref, value)
    finalize_visit(session)
    drafted = {r.recipient: r for r in load_referrals(app.db, session.visit_id)}
    assert set(drafted) >= OFFERED
    with pytest.raises(InvalidInputError, match="toestemming"):
        update_referral(app, drafted[Recipient.COMENSHA].id, ReferralUpdate(status=ReferralStatus.SENT.value))
