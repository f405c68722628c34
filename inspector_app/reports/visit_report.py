"""The bestuurlijke rapportage (domain.md c.2): the factual, signed report for the enforcement file.

It carries no indicator, advice or referral content (c.4): the view model is filtered before it gets
here (`audience.py`), and this module has no field to print such content even by mistake.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm  # type: ignore[import-untyped,unused-ignore]
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table  # type: ignore[import-untyped,unused-ignore]

from inspector_app.reports import labels
from inspector_app.reports.blocks import (
    Cell,
    fields_table,
    heading,
    notice,
    para,
    table,
    table_style,
    title_block,
)
from inspector_app.reports.fonts import rich
from inspector_app.reports.images import load_photo
from inspector_app.reports.model import AnswerView, PhotoView, SectionView, VisitReportView
from inspector_app.reports.page import ReportDocument
from inspector_app.reports.styles import RULE, TEXT_WIDTH, styles

QUESTION_WIDTH = 82 * mm
PHOTO_CELL = (TEXT_WIDTH - 6 * mm) / 2
PHOTO_MAX_HEIGHT = 62 * mm


def _photo_cell(photo: PhotoView, lang: str) -> list[Flowable]:
    caption = labels.PHOTO.get(lang).format(number=photo.number)
    details = " · ".join(part for part in (photo.caption, photo.taken) if part)
    loaded = load_photo(photo.source)
    cell: list[Flowable] = []
    if loaded is None:
        cell.append(para(labels.PHOTO_MISSING.get(lang), "caption"))
    else:
        data, width, height = loaded
        scale = min(PHOTO_CELL / width, PHOTO_MAX_HEIGHT / height)
        cell.append(Image(data, width * scale, height * scale, hAlign="LEFT"))
    text = f"<b>{rich(caption)}</b>" + (f" — {rich(details)}" if details else "")
    cell.append(Paragraph(text, styles().caption))
    return cell


def photo_grid(photos: tuple[PhotoView, ...], lang: str) -> Table:
    """Photos two to a row with their caption, number and time beneath."""
    cells = [_photo_cell(photo, lang) for photo in photos]
    rows = [cells[index : index + 2] for index in range(0, len(cells), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append([])
    grid = Table(rows, colWidths=[PHOTO_CELL + 3 * mm] * 2, hAlign="LEFT")
    grid.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return grid


def _answer_cell(answer: AnswerView, lang: str) -> list[Flowable]:
    cell: list[Flowable] = [para(answer.value, "cell")]
    if answer.corrected:
        mark = labels.CORRECTED_MARK.get(lang).format(moment=answer.corrected)
        cell.append(Paragraph(f"<b>{rich(mark)}</b>", styles().caption))
    if answer.note:
        cell.append(Paragraph(f"<i>{rich(labels.NOTE.get(lang))}:</i> {rich(answer.note)}", styles().caption))
    return cell


def _section(section: SectionView, lang: str) -> list[Flowable]:
    story: list[Flowable] = [heading(section.title, 1)]
    if not section.answers:
        return [*story, para(labels.NO_ANSWERS.get(lang), "small")]
    label = styles().cell
    rows: list[list[Cell]] = []
    for answer in section.answers:
        question = f"{rich(answer.label)} <font color='#777777' size='7'>{rich(answer.ref)}</font>"
        rows.append([Paragraph(question, label), _answer_cell(answer, lang)])
        if answer.photos:
            story.append(table(rows, (QUESTION_WIDTH, TEXT_WIDTH - QUESTION_WIDTH)))
            story.append(Spacer(1, 2 * mm))
            story.append(photo_grid(answer.photos, lang))
            rows = []
    if rows:
        story.append(table(rows, (QUESTION_WIDTH, TEXT_WIDTH - QUESTION_WIDTH)))
    return story


def render_visit_report(view: VisitReportView) -> bytes:
    lang = view.meta.lang
    story: list[Flowable] = title_block(labels.VISIT_TITLE.get(lang), view.meta.title)
    story.append(Spacer(1, 3 * mm))
    if view.meta.draft:
        story += [notice(labels.DRAFT_NOTICE.get(lang), alert=True), Spacer(1, 2 * mm)]
    story += [heading(labels.H_IDENTIFICATION.get(lang)), fields_table(view.identification)]
    story += [heading(labels.H_VISIT.get(lang)), fields_table(view.visit)]
    story += [heading(labels.H_TEAM.get(lang)), fields_table(view.team)]
    story += [heading(labels.H_LEGAL.get(lang)), fields_table(view.legal)]
    story.append(heading(labels.H_PERSONS.get(lang)))
    if view.persons:
        story.append(para(labels.PERSONS_NOTE.get(lang), "small"))
        story.append(Spacer(1, 1.5 * mm))
        story.append(
            table(
                [[str(p.number), p.role, p.code] for p in view.persons],
                (14 * mm, 70 * mm, TEXT_WIDTH - 84 * mm),
                header=[labels.COL_NUMBER.get(lang), labels.COL_ROLE.get(lang), labels.COL_CODE.get(lang)],
            )
        )
    else:
        story.append(para(labels.NO_PERSONS.get(lang)))
    story.append(heading(labels.H_FINDINGS.get(lang)))
    for section in view.sections:
        story += _section(section, lang)
    story.append(heading(labels.H_VIOLATIONS.get(lang)))
    if view.violations:
        rows: list[list[Cell]] = []
        for number, violation in enumerate(view.violations, 1):
            text = f"<b>{rich(violation.text)}</b>"
            if violation.kind:
                text += f" <font color='#5a5a5a'>({rich(violation.kind)})</font>"
            cell: list[Flowable] = [Paragraph(text, styles().cell)]
            cell += [para(f"{labels.BASIS.get(lang)}: {line}", "caption") for line in violation.basis]
            rows.append([str(number), cell])
        story.append(table(rows, (10 * mm, TEXT_WIDTH - 10 * mm)))
    else:
        story.append(para(labels.NO_VIOLATIONS.get(lang)))
    story += [heading(labels.H_ACTIONS.get(lang)), fields_table(view.actions)]
    story.append(heading(labels.H_SIGNATURE.get(lang)))
    story.append(para(labels.TRUTHFULNESS.get(lang)))
    story.append(Spacer(1, 3 * mm))
    story.append(KeepTogether(_signatures(view, lang)))
    if not view.meta.draft:
        story += _corrections(view, lang)
    buffer = io.BytesIO()
    ReportDocument(buffer, view.meta).build_pdf(story)
    return buffer.getvalue()


def _corrections(view: VisitReportView, lang: str) -> list[Flowable]:
    story: list[Flowable] = [heading(labels.H_CORRECTIONS.get(lang))]
    if not view.corrections:
        return [*story, para(labels.NO_CORRECTIONS.get(lang))]
    story += [para(labels.CORRECTIONS_NOTE.get(lang), "small"), Spacer(1, 1.5 * mm)]
    rows: list[list[Cell]] = [
        [c.question, c.before, c.after, c.reason, f"{c.author}\n{c.at}"] for c in view.corrections
    ]
    widths = (46 * mm, 26 * mm, 26 * mm, TEXT_WIDTH - 134 * mm, 36 * mm)
    header = [
        labels.COL_QUESTION.get(lang),
        labels.COL_BEFORE.get(lang),
        labels.COL_AFTER.get(lang),
        labels.COL_REASON.get(lang),
        labels.COL_BY_AT.get(lang),
    ]
    return [*story, table(rows, widths, header=header)]


def _signatures(view: VisitReportView, lang: str) -> list[Flowable]:
    rows: list[list[Flowable]] = []
    for name in view.signatories or ("",):
        rows.append([para(name or "—", "cell_bold"), para(labels.SIGNATURE.get(lang), "caption")])
    width = TEXT_WIDTH / 2
    grid = Table(
        [[para(labels.PLACE_DATE.get(lang), "label"), para(view.place_and_date, "cell")], *rows],
        colWidths=[width, width],
        rowHeights=[None] + [18 * mm] * len(rows),
        hAlign="LEFT",
    )
    grid.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (1, 1), (1, -1), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [grid]
