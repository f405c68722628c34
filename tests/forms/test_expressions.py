"""The safe expression language: syntax, null semantics, functions and errors."""

from __future__ import annotations

from typing import Any

import pytest

from inspector_app.forms.expressions import ExpressionError, compile_expression, parse


class Context:
    def __init__(self, values: dict[str, Any], self_value: Any = None, persons: int = 0) -> None:
        self.values = values
        self.self_value = self_value
        self.persons = persons

    def value_of(self, question_id: str) -> Any:
        return self.values.get(question_id)

    def persons_count(self) -> int:
        return self.persons

    def count_persons(self, question_id: str, value: Any) -> int:
        return 2 if (question_id, value) == ("P-ROLE", "resident") else 0


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("{A} = 'no'", {"A": "no"}, True),
        ("{A} = 'no'", {}, False),
        ("{A} != 'no'", {}, False),
        ("not ({A} = 'no')", {}, True),
        ("{A} = null", {}, True),
        ("{A} != null", {"A": 1}, True),
        ("{A} > {B}", {"A": 5, "B": 3}, True),
        ("{A} > {B}", {"A": 5}, False),
        ("{A} / {B}", {"A": 10, "B": 0}, None),
        ("{A} / {B}", {"A": 10, "B": 4}, 2.5),
        ("{A} + 1", {}, None),
        ("{A} * 2 - 1", {"A": 3}, 5),
        ("-{A}", {"A": 3}, -3),
        ("({A} + {B}) * 2", {"A": 1, "B": 2}, 6),
        ("{A} in ['x', 'y']", {"A": "y"}, True),
        ("{A} in ['x', 'y']", {}, False),
        ("{A} = 'x' or {B} = 'y'", {"B": "y"}, True),
        ("{A} = 'x' and {B} = 'y'", {"B": "y"}, False),
        ("answered({A})", {"A": ""}, False),
        ("answered({A})", {"A": []}, False),
        ("answered({A})", {"A": 0}, True),
        ("selected({A}, 'x')", {"A": ["x", "z"]}, True),
        ("selected({A}, 'x')", {"A": "x"}, True),
        ("count_selected({A})", {"A": ["x", "z"]}, 2),
        ("count_selected({A})", {}, 0),
        ("if({A} = 'wonen', 12, 10)", {"A": "wonen"}, 12),
        ("if({A} = 'wonen', 12, 10)", {}, 10),
        ("coalesce({A}, {B}, 7)", {"B": 3}, 3),
        ("min({A}, {B})", {"A": 4, "B": 2}, 2),
        ("max({A}, {B})", {"A": 4}, 4),
        ("max({A}, {B})", {}, None),
        ("round({A} / 3, 1)", {"A": 10}, 3.3),
        ("persons() > 2", {}, True),
        ("count_persons('P-ROLE', 'resident')", {}, 2),
        ("{A} >= 3.5", {"A": 3.5}, True),
        ("{A} < 3.5", {"A": "3"}, False),
        ("{A} = 1", {"A": True}, False),
        ("true and not false", {}, True),
        ("'a' = \"a\"", {}, True),
        # a condition is true when it holds something: null, '' and [] are false
        ("if({A}, 1, 2)", {}, 2),
        ("if({A}, 1, 2)", {"A": ""}, 2),
        ("if({A}, 1, 2)", {"A": []}, 2),
        ("if({A}, 1, 2)", {"A": ["x"]}, 1),
        ("if({A}, 1, 2)", {"A": "x"}, 1),
        ("if({A}, 1, 2)", {"A": 0}, 2),
        # lists whose items have no order between them compare false, never raise
        ("{A} < {B}", {"A": ["x"], "B": [1]}, False),
        ("{A} < {B}", {"A": ["a"], "B": ["b"]}, True),
        # arithmetic that leaves the finite numbers has no value
        ("{A} * {B}", {"A": 1e308, "B": 10}, None),
        ("round({A}, 1)", {"A": "3"}, None),
        ("round({A}, {B})", {"A": 3.14, "B": 1.5}, None),
    ],
)
def test_evaluation(source: str, values: dict[str, Any], expected: Any) -> None:
    assert compile_expression(source).evaluate(Context(values, persons=3)) == expected


def test_self_reference_in_constraints() -> None:
    expression = compile_expression(". >= 1 and . <= 50")
    assert expression.uses_self
    assert expression.evaluate(Context({}, self_value=12))
    assert not expression.evaluate(Context({}, self_value=51))


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("{A} = 'x' or {B} = 'y'", {"A": "x"}, ("A",)),  # only the branch that is true
        ("{A} = 'x' or {B} = 'y'", {"B": "y"}, ("B",)),
        ("{A} = 'x' or {B} = 'y'", {"A": "x", "B": "y"}, ("A", "B")),
        ("{A} = 'x' or {B} = 'y'", {}, ("A", "B")),  # neither is true: both are named
        ("{A} = 'x' and {B} = 'y'", {"A": "x", "B": "y"}, ("A", "B")),
        ("({A} = 'x' or {B} = 'y') and {C} > 1", {"B": "y", "C": 2}, ("B", "C")),
        ("not ({A} = 'x' or {B} = 'y')", {}, ("A", "B")),  # below a `not`, everything it reads
    ],
)
def test_deciding_refs_name_the_answers_that_made_it_true(
    source: str, values: dict[str, Any], expected: tuple[str, ...]
) -> None:
    """An indicator says which answers raised it: of an `or`, only the branches that hold."""
    expression = compile_expression(source)
    assert expression.deciding_refs(Context(values)) == expected
    assert expression.deciding_refs(Context(values)) == expected  # the compiled branches are reused


def test_references_are_collected_in_order() -> None:
    assert compile_expression("{B} > {A} or {B} = 1 and answered({C})").refs == ("B", "A", "C")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{A} =", "end of expression"),
        ("{A} == 1", "unexpected '='"),
        ("foo(1)", "unknown function 'foo'"),
        ("if(1, 2)", "if() takes 3"),
        ("(1", "expected ')'"),
        ("'open", "unexpected character"),
        ("1 2", "unexpected '2'"),
        ("{A} and", "end of expression"),
        ("__import__('os')", "unknown function '__import__'"),
        ("{A}.x", "unexpected '.'"),
        ("{A} = or 1", "unexpected 'or' at position 7"),
        ("in", "unexpected 'in' at position 1"),
    ],
)
def test_syntax_errors_name_the_problem(source: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compile_expression(source)


def test_expressions_never_reach_python_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def forbidden(*_args: object) -> None:
        raise AssertionError("eval must not be used")

    monkeypatch.setattr(builtins, "eval", forbidden)
    assert compile_expression("{A} + 1 > 2").evaluate(Context({"A": 5}))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1" * 31, "more than 30 digits"),  # a literal of thousands of digits from a reference bundle
        ("1 + " * 1500 + "1", "longer than 4000 characters"),
        ("(" * 1000 + "1" + ")" * 1000, "nested too deeply"),  # the parser's own recursion
        ("1" + " + 1" * 150, "nested deeper than 100 levels"),  # a long sum is as deep as it is long
    ],
    ids=["huge-literal", "too-long", "parentheses", "long-sum"],
)
def test_hostile_expressions_are_expression_errors_never_crashes(source: str, message: str) -> None:
    """Untrusted checklists (reference bundles) may carry any expression: each limit is a clear error."""
    with pytest.raises(ExpressionError, match=message):
        parse(source)
