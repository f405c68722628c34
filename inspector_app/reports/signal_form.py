"""The restricted signal form (domain.md c.3): every indicator with the answers behind it, the advice,
dismissals and referrals. Marked VERTROUWELIJK on every page; it links to the visit by id and never
copies the visit report.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports import labels
from inspector_app.reports.blocks import (
    Cell,
    banner,
    fields_table,
    heading,
    notice,
    para,
    table,
    title_block,
)
from inspector_app.reports.fonts import rich
from inspector_app.reports.model import Field, IndicatorView, SignalFormView
from inspector_app.reports.page import ReportDocument
from inspector_app.reports.styles import TEXT_WIDTH, styles

EVIDENCE_QUESTION = 80 * mm


def _indicator(indicator: IndicatorView, number: int, lang: str) -> list[Flowable]:
    title = f"{number}. {indicator.label}"
    if indicator.dismissed:
        title += f" ({labels.DISMISSED_MARK.get(lang)})"
    story: list[Flowable] = [heading(title, 1)]
    facts = [
        Field(labels.CATEGORY.get(lang), indicator.category),
        Field(labels.WEIGHT.get(lang), indicator.weight),
        Field(labels.SOURCE.get(lang), indicator.source),
    ]
    if indicator.note:
        facts.append(Field(labels.OBSERVATION.get(lang), indicator.note))
    story.append(fields_table(facts))
    if indicator.evidence:
        rows: list[list[Cell]] = []
        for evidence in indicator.evidence:
            question = f"{rich(evidence.question)} <font color='#777777' size='7'>{rich(evidence.ref)}</font>"
            answer: list[Flowable] = [para(evidence.answer, "cell")]
            if evidence.note:
                answer.append(
                    Paragraph(
                        f"<i>{rich(labels.NOTE.get(lang))}:</i> {rich(evidence.note)}", styles().caption
                    )
                )
            rows.append([Paragraph(question, styles().cell), evidence.person or "—", answer])
        story.append(Spacer(1, 1.5 * mm))
        story.append(
            table(
                rows,
                (EVIDENCE_QUESTION, 34 * mm, TEXT_WIDTH - EVIDENCE_QUESTION - 34 * mm),
                header=[labels.EVIDENCE.get(lang), labels.PERSON.get(lang), labels.ANSWER.get(lang)],
            )
        )
    return story


def render_signal_form(view: SignalFormView) -> bytes:
    lang = view.meta.lang
    story: list[Flowable] = [banner(labels.CONFIDENTIAL.get(lang)), Spacer(1, 3 * mm)]
    story += title_block(labels.SIGNAL_TITLE.get(lang), view.meta.title)
    story += [Spacer(1, 3 * mm), notice(labels.SIGNAL_WARNING.get(lang), alert=True)]
    if view.meta.draft:
        story += [Spacer(1, 2 * mm), notice(labels.DRAFT_NOTICE.get(lang))]
    story += [heading(labels.H_SIGNAL.get(lang)), fields_table(view.header)]
    story.append(heading(labels.H_INDICATORS.get(lang)))
    standing = [i for i in view.indicators if not i.dismissed]
    for number, indicator in enumerate(standing, 1):
        story += _indicator(indicator, number, lang)
    if not standing:
        story.append(para(labels.NO_INDICATORS.get(lang)))
    story += [heading(labels.H_OUTCOME.get(lang)), fields_table(view.outcome)]
    if view.advice:
        rows: list[list[Cell]] = [[a.level, a.text, a.recipient or "—"] for a in view.advice]
        story.append(Spacer(1, 2 * mm))
        story.append(
            table(
                rows,
                (28 * mm, TEXT_WIDTH - 78 * mm, 50 * mm),
                header=[labels.LEVEL.get(lang), labels.ADVICE.get(lang), labels.RECIPIENT.get(lang)],
            )
        )
    else:
        story.append(para(labels.NO_ADVICE.get(lang)))
    story.append(heading(labels.H_DISMISSED.get(lang)))
    dismissed = [i for i in view.indicators if i.dismissed]
    for number, indicator in enumerate(dismissed, len(standing) + 1):
        story += _indicator(indicator, number, lang)
        story.append(fields_table(indicator.dismissal))
    if not dismissed:
        story.append(para(labels.NO_DISMISSED.get(lang)))
    story.append(heading(labels.H_SIGNAL_PERSONS.get(lang)))
    if view.persons:
        story.append(
            table(
                [
                    [p.code, p.role, "; ".join(f"{d.label}: {d.value}" for d in p.details)]
                    for p in view.persons
                ],
                (44 * mm, 44 * mm, TEXT_WIDTH - 88 * mm),
                header=[labels.COL_CODE.get(lang), labels.COL_ROLE.get(lang), ""],
            )
        )
    else:
        story.append(para(labels.NO_PERSONS.get(lang)))
    story.append(heading(labels.H_REFERRALS.get(lang)))
    for referral in view.referrals:
        story.append(KeepTogether([heading(referral.recipient, 1), fields_table(referral.fields)]))
    if not view.referrals:
        story.append(para(labels.NO_REFERRALS.get(lang)))
    buffer = io.BytesIO()
    ReportDocument(buffer, view.meta).build_pdf(story)
    return buffer.getvalue()
