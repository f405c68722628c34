"""A small, safe expression language for visibility, constraints, computed values and rules.

Expressions are tokenised and parsed into a tree, then compiled into plain Python closures: nothing is
ever passed to `eval`. Unanswered questions are `null`; comparisons with `null` are false, arithmetic
with `null` gives `null` and division by zero gives `null`, so a half-filled checklist never crashes
and never raises an indicator by accident.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

Value = Any


class ExpressionError(ValueError):
    """A syntax or reference error in an expression, with the position where it was found."""


class EvaluationContext(Protocol):
    """What an expression can see while it is evaluated."""

    def value_of(self, question_id: str) -> Value: ...

    @property
    def self_value(self) -> Value: ...

    def persons_count(self) -> int: ...

    def count_persons(self, question_id: str, value: Value) -> int: ...


# ---------------------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Literal:
    value: Value


@dataclass(frozen=True)
class Ref:
    question_id: str


@dataclass(frozen=True)
class SelfRef:
    pass


@dataclass(frozen=True)
class ListLiteral:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | Ref | SelfRef | ListLiteral | Unary | Binary | Call

# ------------------------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\{[A-Za-z0-9_.-]+\})
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
  | (?P<self>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)

KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
FUNCTION_ARITY: dict[str, tuple[int, int | None]] = {
    "answered": (1, 1),
    "selected": (2, 2),
    "count_selected": (1, 1),
    "if": (3, 3),
    "coalesce": (1, None),
    "min": (1, None),
    "max": (1, None),
    "round": (2, 2),
    "persons": (0, 0),
    "count_persons": (2, 2),
}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokenise(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN_RE.match(source, position)
        if match is None:
            raise ExpressionError(f"unexpected character {source[position]!r} at position {position + 1}")
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


class _Parser:
    """Recursive descent: or > and > not > comparison > sum > product > unary > atom."""

    def __init__(self, source: str) -> None:
        self.tokens = _tokenise(source)
        self.index = 0

    def _peek(self) -> _Token:
        return self.tokens[self.index]

    def _take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _accept(self, text: str) -> bool:
        token = self._peek()
        if token.kind in ("op", "name") and token.text == text:
            self.index += 1
            return True
        return False

    def _expect(self, text: str) -> None:
        if not self._accept(text):
            token = self._peek()
            found = token.text or "end of expression"
            raise ExpressionError(f"expected {text!r} at position {token.position + 1}, found {found!r}")

    def parse(self) -> Node:
        node = self._or()
        token = self._peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.text!r} at position {token.position + 1}")
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._accept("or"):
            node = Binary("or", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._not()
        while self._accept("and"):
            node = Binary("and", node, self._not())
        return node

    def _not(self) -> Node:
        if self._accept("not"):
            return Unary("not", self._not())
        return self._comparison()

    def _comparison(self) -> Node:
        node = self._sum()
        token = self._peek()
        if token.text in ("=", "!=", "<", "<=", ">", ">=", "in") and token.kind in ("op", "name"):
            self._take()
            node = Binary(token.text, node, self._sum())
        return node

    def _sum(self) -> Node:
        node = self._product()
        while self._peek().text in ("+", "-") and self._peek().kind == "op":
            node = Binary(self._take().text, node, self._product())
        return node

    def _product(self) -> Node:
        node = self._unary()
        while self._peek().text in ("*", "/") and self._peek().kind == "op":
            node = Binary(self._take().text, node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._peek().kind == "op" and self._peek().text == "-":
            self._take()
            return Unary("-", self._unary())
        return self._atom()

    def _atom(self) -> Node:
        token = self._take()
        if token.kind == "number":
            if len(token.text) > MAX_NUMBER_DIGITS:
                raise ExpressionError(f"number {token.text[:12]}... has more than {MAX_NUMBER_DIGITS} digits")
            return Literal(float(token.text) if "." in token.text else int(token.text))
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            return Ref(token.text[1:-1])
        if token.kind == "self":
            return SelfRef()
        if token.kind == "op" and token.text == "(":
            node = self._or()
            self._expect(")")
            return node
        if token.kind == "op" and token.text == "[":
            items: list[Node] = []
            if not self._accept("]"):
                items.append(self._or())
                while self._accept(","):
                    items.append(self._or())
                self._expect("]")
            return ListLiteral(tuple(items))
        if token.kind == "name":
            if token.text in ("true", "false"):
                return Literal(token.text == "true")
            if token.text == "null":
                return Literal(None)
            if token.text in KEYWORDS:
                raise ExpressionError(f"unexpected {token.text!r} at position {token.position + 1}")
            return self._call(token)
        found = token.text or "end of expression"
        raise ExpressionError(f"unexpected {found!r} at position {token.position + 1}")

    def _call(self, name: _Token) -> Node:
        if name.text not in FUNCTION_ARITY:
            known = ", ".join(sorted(FUNCTION_ARITY))
            raise ExpressionError(f"unknown function {name.text!r} (known: {known})")
        self._expect("(")
        args: list[Node] = []
        if not self._accept(")"):
            args.append(self._or())
            while self._accept(","):
                args.append(self._or())
            self._expect(")")
        low, high = FUNCTION_ARITY[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            expected = str(low) if low == high else f"at least {low}"
            raise ExpressionError(f"{name.text}() takes {expected} argument(s), got {len(args)}")
        return Call(name.text, tuple(args))


MAX_EXPRESSION = 4000  # characters; a checklist condition is a line, not a program
MAX_NUMBER_DIGITS = 30
MAX_DEPTH = 100  # levels of the syntax tree; a sum of n terms is n levels deep


def parse(source: str) -> Node:
    """Parse `source` into a syntax tree, or raise ExpressionError saying where it is wrong.

    Input from a reference bundle is untrusted: a very long or deeply nested expression, or a
    number literal of thousands of digits, is an ExpressionError like any other, never a crash.
    """
    if len(source) > MAX_EXPRESSION:
        raise ExpressionError(f"expression longer than {MAX_EXPRESSION} characters")
    try:
        tree = _Parser(source).parse()
    except RecursionError as error:
        raise ExpressionError("expression nested too deeply") from error
    if depth(tree) > MAX_DEPTH:
        raise ExpressionError(f"expression nested deeper than {MAX_DEPTH} levels")
    return tree


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, depth first (an explicit stack: no recursion, whatever the depth)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(_children(current)))


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, ListLiteral):
        return node.items
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def depth(node: Node) -> int:
    """How deep the tree is (evaluation recurses this deep)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in _children(current))
    return deepest


def references(node: Node) -> tuple[str, ...]:
    """Question ids the expression refers to, in order of first appearance."""
    seen: dict[str, None] = {}
    for child in walk(node):
        if isinstance(child, Ref):
            seen.setdefault(child.question_id)
    return tuple(seen)


# ------------------------------------------------------------------------------------------ semantics


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def truthy(value: Value) -> bool:
    if value is None:
        return False
    if isinstance(value, list | str):
        return len(value) > 0
    return bool(value)


def is_answered(value: Value) -> bool:
    return value is not None and value != "" and value != []


def _compare(op: str, left: Value, right: Value) -> bool:
    """Compare two values; anything involving null or mixed types is false (see compile_node for null)."""
    if left is None or right is None:
        return False
    if not (_is_number(left) and _is_number(right)) and type(left) is not type(right):
        return False
    try:
        return bool(
            {
                "=": lambda: left == right,
                "!=": lambda: left != right,
                "<": lambda: left < right,
                "<=": lambda: left <= right,
                ">": lambda: left > right,
                ">=": lambda: left >= right,
            }[op]()
        )
    except TypeError:
        return False


def _arithmetic(op: str, left: Value, right: Value) -> Value:
    if not (_is_number(left) and _is_number(right)):
        return None
    if op == "+":
        result = left + right
    elif op == "-":
        result = left - right
    elif op == "*":
        result = left * right
    else:
        if right == 0:
            return None
        result = left / right
    if isinstance(result, float) and not math.isfinite(result):
        return None
    return result


Compiled = Callable[[EvaluationContext], Value]


def _numbers(values: list[Value]) -> list[Any]:
    return [value for value in values if _is_number(value)]


def _compile_call(node: Call) -> Compiled:
    args = [compile_node(arg) for arg in node.args]
    name = node.name
    if name == "answered":
        (arg,) = args
        return lambda ctx: is_answered(arg(ctx))
    if name == "selected":
        subject, option = args

        def selected(ctx: EvaluationContext) -> bool:
            value, wanted = subject(ctx), option(ctx)
            return wanted in value if isinstance(value, list) else (value is not None and value == wanted)

        return selected
    if name == "count_selected":
        (arg,) = args
        return lambda ctx: len(v) if isinstance(v := arg(ctx), list) else (0 if v is None else 1)
    if name == "if":
        condition, then, otherwise = args
        return lambda ctx: then(ctx) if truthy(condition(ctx)) else otherwise(ctx)
    if name == "coalesce":
        return lambda ctx: next((v for arg in args if (v := arg(ctx)) is not None), None)
    if name in ("min", "max"):
        pick = min if name == "min" else max
        return lambda ctx: pick(found) if (found := _numbers([a(ctx) for a in args])) else None
    if name == "round":
        number, digits = args

        def rounded(ctx: EvaluationContext) -> Value:
            value, places = number(ctx), digits(ctx)
            if not _is_number(value) or not isinstance(places, int):
                return None
            return round(value, places)

        return rounded
    if name == "persons":
        return lambda ctx: ctx.persons_count()
    question, wanted = args
    return lambda ctx: ctx.count_persons(str(question(ctx)), wanted(ctx))


def compile_node(node: Node) -> Compiled:
    """Turn a syntax tree into a closure over an EvaluationContext."""
    if isinstance(node, Literal):
        constant = node.value
        return lambda _ctx: constant
    if isinstance(node, Ref):
        question_id = node.question_id
        return lambda ctx: ctx.value_of(question_id)
    if isinstance(node, SelfRef):
        return lambda ctx: ctx.self_value
    if isinstance(node, ListLiteral):
        items = [compile_node(item) for item in node.items]
        return lambda ctx: [item(ctx) for item in items]
    if isinstance(node, Unary):
        operand = compile_node(node.operand)
        if node.op == "not":
            return lambda ctx: not truthy(operand(ctx))
        return lambda ctx: -v if _is_number(v := operand(ctx)) else None
    if isinstance(node, Binary) and node.op in ("=", "!=") and Literal(None) in (node.left, node.right):
        # `x = null` asks "is x unanswered?"; only the literal null compares true with a missing value
        subject = compile_node(node.right if node.left == Literal(None) else node.left)
        wanted_missing = node.op == "="
        return lambda ctx: (subject(ctx) is None) == wanted_missing
    if isinstance(node, Binary):
        left, right, op = compile_node(node.left), compile_node(node.right), node.op
        if op == "and":
            return lambda ctx: truthy(left(ctx)) and truthy(right(ctx))
        if op == "or":
            return lambda ctx: truthy(left(ctx)) or truthy(right(ctx))
        if op == "in":

            def contained(ctx: EvaluationContext) -> bool:
                needle, haystack = left(ctx), right(ctx)
                return needle is not None and isinstance(haystack, list) and needle in haystack

            return contained
        if op in ("+", "-", "*", "/"):
            return lambda ctx: _arithmetic(op, left(ctx), right(ctx))
        return lambda ctx: _compare(op, left(ctx), right(ctx))
    return _compile_call(node)


@dataclass(frozen=True)
class Expression:
    """A parsed and compiled expression, with the question ids it depends on."""

    source: str
    tree: Node
    refs: tuple[str, ...]
    uses_self: bool
    _compiled: Compiled
    _branches: dict[int, Compiled] = field(default_factory=dict, compare=False, repr=False)

    def evaluate(self, context: EvaluationContext) -> Value:
        return self._compiled(context)

    def deciding_refs(self, context: EvaluationContext) -> tuple[str, ...]:
        """The question ids that made this (true) expression true: of an `or`, only the true branches."""
        found: dict[str, None] = {}
        self._collect(self.tree, context, found)
        return tuple(found)

    def _collect(self, node: Node, context: EvaluationContext, found: dict[str, None]) -> None:
        if isinstance(node, Binary) and node.op == "or":
            branches = [b for b in (node.left, node.right) if truthy(self._branch(b)(context))]
            for branch in branches or [node.left, node.right]:
                self._collect(branch, context, found)
            return
        if isinstance(node, Binary) and node.op == "and":
            self._collect(node.left, context, found)
            self._collect(node.right, context, found)
            return
        found.update(dict.fromkeys(references(node)))

    def _branch(self, node: Node) -> Compiled:
        compiled = self._branches.get(id(node))
        if compiled is None:
            compiled = self._branches[id(node)] = compile_node(node)
        return compiled


def compile_expression(source: str) -> Expression:
    tree = parse(source)
    return Expression(
        source=source,
        tree=tree,
        refs=references(tree),
        uses_self=any(isinstance(node, SelfRef) for node in walk(tree)),
        _compiled=compile_node(tree),
    )
