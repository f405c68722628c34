"""A small valid checklist definition and the helpers that write and load variants of it, shared by the
loader, semantics, state and rule tests."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from inspector_app.forms.loader import FormDefinitionError, load_form_file
from inspector_app.forms.model import FormDefinition
from inspector_app.paths import forms_dir

VALID = """
format = 1
id = "test_form"
version = 3
location_type = "PB"
title = { nl = "Test", en = "Test" }

[persons]
roles = [{ value = "sex_worker", code = "SW", nl = "Sekswerker", en = "Sex worker" }]

[[sections]]
include = "_header.toml"

[[sections]]
id = "vergunning"
audience = "report"
title = { nl = "Vergunning", en = "Licence" }

[[sections.questions]]
id = "PB-01"
type = "yesno"
required = true
label = { nl = "Vergunning aanwezig?", en = "Licence present?" }

[[sections.questions]]
id = "PB-03"
type = "single"
label = { nl = "Soort", en = "Kind" }
choices = [{ value = "club", nl = "Club", en = "Club" }, { value = "raam", nl = "Raam", en = "Window" }]

[[sections.questions]]
id = "PB-10a"
type = "integer"
unit = { nl = "personen", en = "persons" }
label = { nl = "Aantal in register", en = "Number in register" }
constraint = ". >= 0"
constraint_message = { nl = "Niet negatief", en = "Not negative" }

[[sections.questions]]
id = "PB-10c"
type = "computed"
expression = "{PB-10a} * 2"
label = { nl = "Dubbel", en = "Double" }

[[sections]]
include = "_persons.toml"

[[sections]]
id = "gesprek"
repeat = "persons"
audience = "signal"
visible_when = "{P-ROLE} = 'sex_worker'"
title = { nl = "Gesprek", en = "Interview" }

[[sections.questions]]
id = "PB-19"
type = "yesno"
label = { nl = "Kan klanten weigeren?", en = "Can refuse clients?" }

[[sections.questions]]
id = "PB-27"
type = "multiple"
label = { nl = "Waargenomen signalen", en = "Observed signals" }
choices = [{ value = "gen.fear", nl = "Angstig", en = "Fearful" }]

[[rules]]
id = "PB-01.no"
when = "{PB-01} = 'no'"
raise = ["sex.unlicensed_location"]
finding = { nl = "Geen vergunning.", en = "No licence." }
finding_kind = "compliance"

[[rules]]
id = "PB-19.no"
when = "{PB-19} = 'no'"
raise = ["sex.cannot_refuse"]

[[rules]]
raise_selected = "PB-27"
"""


def write_form(tmp_path: Path, text: str, name: str = "test_form.toml") -> Path:
    for fragment in forms_dir().glob("_*.toml"):
        shutil.copy(fragment, tmp_path / fragment.name)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(FormDefinitionError) as caught:
        load_form_file(write_form(tmp_path, text))
    return [str(problem) for problem in caught.value.problems]


def form_from_text(text: str) -> FormDefinition:
    """Load a definition text outside a pytest tmp_path (hypothesis tests run many examples per test)."""
    folder = Path(tempfile.mkdtemp(prefix="form-"))
    try:
        return load_form_file(write_form(folder, text))
    finally:
        shutil.rmtree(folder)
