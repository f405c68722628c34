"""Read a definition file and the fragments it includes into raw sections and rules, with their origin."""

from __future__ import annotations

import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspector_app.forms.definition.problems import Problems
from inspector_app.forms.definition.schema import DEFINITION_FORMAT, FRAGMENT_KEYS


@dataclass
class Draft:
    """Raw sections and rules gathered from a form and its fragments, with their origin files."""

    sections: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rules: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class DefinitionReader:
    """Reads TOML files and follows `include` entries (one level: fragments include nothing)."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def read(self, path: Path) -> dict[str, Any] | None:
        try:
            if path.exists() and not stat.S_ISREG(path.stat().st_mode):
                # a pipe or device would be read without end: refused before it is opened
                self.problems.add(str(path), "", "not a regular file")
                return None
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            self.problems.add(str(path), "", "file not found")
        except tomllib.TOMLDecodeError as error:
            self.problems.add(str(path), "", f"TOML syntax error: {error}")
        except RecursionError:
            self.problems.add(str(path), "", "TOML nested too deeply")
        except ValueError as error:  # e.g. an integer of thousands of digits (Python's conversion limit)
            self.problems.add(str(path), "", f"TOML value out of range: {str(error)[:120]}")
        except (OSError, UnicodeDecodeError) as error:
            self.problems.add(str(path), "", f"cannot read file: {error}")
        return None

    def gather(self, path: Path, raw: dict[str, Any], draft: Draft, allow_include: bool) -> None:
        file = str(path)
        sections = raw.get("sections", [])
        rules = raw.get("rules", [])
        if not isinstance(sections, list) or not isinstance(rules, list):
            self.problems.add(file, "", "sections and rules must be arrays of tables")
            return
        for section in sections:
            if not isinstance(section, dict):
                self.problems.add(file, "", "every [[sections]] entry must be a table")
                continue
            if "include" in section:
                self._include(path, section, draft, allow_include)
            else:
                draft.sections.append((file, section))
        for rule in rules:
            if isinstance(rule, dict):
                draft.rules.append((file, rule))
            else:
                self.problems.add(file, "", "every [[rules]] entry must be a table")

    def _include(self, path: Path, section: dict[str, Any], draft: Draft, allow_include: bool) -> None:
        file = str(path)
        name = section["include"]
        if not allow_include:
            self.problems.add(file, f"include {name!r}", "fragments cannot include other fragments")
            return
        if set(section) != {"include"}:
            self.problems.add(file, f"include {name!r}", "an include entry holds nothing but 'include'")
        if not isinstance(name, str) or not re.fullmatch(r"_[a-z0-9_]+\.toml", name):
            self.problems.add(file, f"include {name!r}", "must name a fragment file like '_header.toml'")
            return
        fragment_path = path.parent / name
        fragment = self.read(fragment_path)
        if fragment is None:
            return
        self.problems.unknown_keys(str(fragment_path), "", fragment, FRAGMENT_KEYS)
        if fragment.get("format") != DEFINITION_FORMAT:
            self.problems.add(str(fragment_path), "", f"format must be {DEFINITION_FORMAT}")
        self.gather(fragment_path, fragment, draft, allow_include=False)
