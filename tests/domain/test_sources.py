"""Provenance: every indicator names at least one source, and every source it names is described."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.domain.catalogue import load_catalogue
from inspector_app.domain.sources import load_sources, load_sources_file


def test_every_indicator_has_a_described_source() -> None:
    sources = load_sources()
    for slug, indicator in load_catalogue().indicators.items():
        assert indicator.refs, f"{slug} names no source"
        unknown = [ref for ref in indicator.refs if ref not in sources]
        assert not unknown, f"{slug} names sources not in resources/sources.toml: {unknown}"


def test_every_source_is_complete_and_no_card_is_claimed() -> None:
    sources = load_sources()
    assert len(sources) >= 43
    for source in sources.values():
        assert source.title and source.publisher and source.year and source.where
        # the CCV signal cards were not available: no source may present itself as one
        assert "signaalkaart" not in source.title.lower()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('format = 1\n[S1]\ntitle = "T"\npublisher = "P"\nyear = "2020"\nwhere = "w"\n', "lacks seen"),
        (
            'format = 1\n[S1]\ntitle = "T"\npublisher = ""\nyear = "2020"\nwhere = "w"\nseen = "text"\n',
            "lacks publisher",
        ),
        (
            'format = 1\n[S1]\ntitle = "T"\npublisher = "P"\nyear = "2020"\nwhere = "w"\nseen = "rumour"\n',
            "seen must be",
        ),
        ('format = 1\nS1 = "x"\n', "must be a table"),
    ],
)
def test_a_bad_sources_file_names_the_key_and_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_sources_file(path)
