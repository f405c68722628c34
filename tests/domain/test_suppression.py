"""Small-number suppression: 1 up to the threshold becomes "< threshold"; 0 and larger counts stay."""

from __future__ import annotations

import pytest

from inspector_app.domain.policy import MunicipalPolicy, PolicyValueError, parse_policy_value
from inspector_app.domain.suppression import suppress


@pytest.mark.parametrize(
    ("count", "threshold", "text", "drawn"),
    [
        (0, 5, "0", 0),
        (1, 5, "< 5", 0),
        (2, 5, "< 5", 0),
        (3, 5, "< 5", 0),
        (4, 5, "< 5", 0),
        (5, 5, "5", 5),
        (6, 5, "6", 6),
        (1234, 5, "1234", 1234),
        (4, 3, "4", 4),
        (2, 3, "< 3", 0),
        (9, 10, "< 10", 0),
        (10, 10, "10", 10),
    ],
)
def test_suppression_replaces_one_to_below_the_threshold(
    count: int, threshold: int, text: str, drawn: int
) -> None:
    shown = suppress(count, threshold)
    assert (shown.text, shown.drawn, shown.suppressed) == (text, drawn, text.startswith("<"))


def test_the_threshold_is_a_policy_setting_with_default_five() -> None:
    assert MunicipalPolicy().suppression_threshold == 5
    assert MunicipalPolicy.from_texts({"suppression_threshold": "10"}).suppression_threshold == 10
    assert (
        MunicipalPolicy.from_texts({"suppression_threshold": "1"}).suppression_threshold == 5
    )  # not allowed: default
    assert parse_policy_value("suppression_threshold", " 3 ")[1] == 3
    for bad in ("1", "21", "vijf", "5.0", "-5", ""):
        with pytest.raises(PolicyValueError):
            parse_policy_value("suppression_threshold", bad)
