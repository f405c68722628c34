"""Checks that need the whole form: references between questions, literals, computed order."""

from __future__ import annotations

from inspector_app.forms import expressions as ex
from inspector_app.forms.definition.problems import Problems
from inspector_app.forms.model import Question, Section


def check_expressions(
    problems: Problems, file: str, sections: list[Section], questions: dict[str, Question]
) -> None:
    for section in sections:
        check_refs(
            problems,
            file,
            f"section {section.id!r}",
            section.visible_when,
            questions,
            in_repeat=section.repeat,
        )
        for question in section.questions:
            item = f"question {question.id}"
            for expr in (question.visible_when, question.constraint, question.expression):
                check_refs(problems, file, item, expr, questions, in_repeat=question.repeat)
            if question.visible_when is not None and question.id in question.visible_when.refs:
                problems.add(file, item, "visible_when cannot depend on the question itself")


def check_refs(
    problems: Problems,
    file: str,
    item: str,
    expr: ex.Expression | None,
    questions: dict[str, Question],
    in_repeat: bool,
) -> None:
    if expr is None:
        return
    for ref in expr.refs:
        target = questions.get(ref)
        if target is None:
            problems.add(file, item, f"{expr.source!r} refers to unknown question {ref}")
        elif target.repeat and not in_repeat:
            problems.add(
                file,
                item,
                f"{expr.source!r} refers to person question {ref} outside "
                "the persons repeat; use count_persons()",
            )
    _check_literals(problems, file, item, expr, questions)


def _check_literals(
    problems: Problems, file: str, item: str, expr: ex.Expression, questions: dict[str, Question]
) -> None:
    for node in ex.walk(expr.tree):
        pairs: list[tuple[ex.Node, ex.Node]] = []
        if isinstance(node, ex.Binary) and node.op in ("=", "!="):
            pairs = [(node.left, node.right), (node.right, node.left)]
        elif isinstance(node, ex.Binary) and node.op == "in" and isinstance(node.right, ex.ListLiteral):
            pairs = [(node.left, lit) for lit in node.right.items]
        elif isinstance(node, ex.Call) and node.name == "selected":
            pairs = [(node.args[0], node.args[1])]
        elif isinstance(node, ex.Call) and node.name == "count_persons":
            target, wanted = node.args
            if isinstance(target, ex.Literal) and isinstance(target.value, str):
                if target.value not in questions:
                    problems.add(file, item, f"count_persons() names unknown question {target.value}")
                else:
                    pairs = [(ex.Ref(target.value), wanted)]
        for subject, literal in pairs:
            if not (isinstance(subject, ex.Ref) and isinstance(literal, ex.Literal)):
                continue
            if not isinstance(literal.value, str) or subject.question_id not in questions:
                continue
            allowed = questions[subject.question_id].allowed_values
            if allowed is not None and literal.value not in allowed:
                problems.add(
                    file,
                    item,
                    f"{expr.source!r}: {literal.value!r} is not a value of "
                    f"{subject.question_id} (values: {', '.join(allowed)})",
                )


def computed_order(problems: Problems, file: str, questions: dict[str, Question]) -> tuple[str, ...]:
    """Computed questions sorted so each comes after the computed values it uses."""
    computed = {qid: q for qid, q in questions.items() if q.expression is not None}
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(qid: str, trail: list[str]) -> None:
        if state.get(qid) == "done":
            return
        if state.get(qid) == "busy":
            cycle = " -> ".join([*trail, qid])
            problems.add(file, f"question {qid}", f"computed values form a cycle: {cycle}")
            return
        state[qid] = "busy"
        expression = computed[qid].expression
        for ref in expression.refs if expression else ():
            if ref in computed:
                visit(ref, [*trail, qid])
        state[qid] = "done"
        order.append(qid)

    for qid in computed:
        visit(qid, [])
    return tuple(order)
