"""Plain views of a checklist definition and of catalogue indicators, for `forms show` and `catalogue`.

Built from the loaded definitions, so what an office script or a domain owner reads is what the rules
run with: every question, its choices, the policy key it is prefilled from, and every rule with the
indicators it raises, the weight it overrides, its finding and whether it is acute.
"""

from __future__ import annotations

from typing import Any

from inspector_app.domain.catalogue import Catalogue, Indicator
from inspector_app.forms.model import FormDefinition, Rule


def rule_view(rule: Rule, language: str) -> dict[str, Any]:
    return {
        "id": rule.id,
        "when": rule.when.source if rule.when is not None else None,
        "raises": list(rule.raises),
        "raise_selected": rule.raise_selected,
        "weight": rule.weight.value if rule.weight else None,
        "finding": rule.finding.get(language) if rule.finding else None,
        "finding_kind": rule.finding_kind,
        "acute": rule.acute,
        "per_person": rule.per_person,
    }


def form_view(form: FormDefinition, language: str) -> dict[str, Any]:
    sections = []
    for section in form.sections:
        questions = []
        for question in section.questions:
            questions.append(
                {
                    "id": question.id,
                    "type": question.type.value,
                    "label": question.label.get(language),
                    "required": question.required,
                    "visible_when": question.visible_when.source if question.visible_when else None,
                    "choices": [{"value": c.value, "label": c.label.get(language)} for c in question.choices],
                    "policy": question.policy.value if question.policy else None,
                    "audience": question.audience.value,
                }
            )
        sections.append(
            {
                "id": section.id,
                "title": section.title.get(language),
                "repeat": section.repeat,
                "questions": questions,
            }
        )
    return {
        "id": form.id,
        "version": form.version,
        "location_type": form.location_type.value,
        "title": form.title.get(language),
        "sections": sections,
        "rules": [rule_view(rule, language) for rule in form.rules],
    }


def raising_rules(slug: str, forms: dict[str, FormDefinition]) -> list[dict[str, str]]:
    """Every (form, rule, question) that can raise `slug`: a rule naming it, or an observation list offering it."""
    found = []
    for form in forms.values():
        for rule in form.rules:
            if slug in rule.raises:
                found.append({"form": form.id, "rule": rule.id, "question": ""})
            elif rule.raise_selected:
                question = form.questions.get(rule.raise_selected)
                if question is not None and question.choice(slug) is not None:
                    found.append({"form": form.id, "rule": rule.id, "question": question.id})
    return found


def indicator_view(indicator: Indicator, catalogue: Catalogue, language: str) -> dict[str, Any]:
    return {
        "slug": indicator.slug,
        "label": indicator.label.get(language),
        "category": indicator.category.value,
        "weight": indicator.weight.value,
        "where": list(indicator.where),
        "families": list(indicator.families),
        "refs": list(indicator.refs),
        "ilo": [
            {"number": n, "label": catalogue.ilo[n].get(language)}
            for n in indicator.ilo
            if n in catalogue.ilo
        ],
        "derived": indicator.derived,
    }
