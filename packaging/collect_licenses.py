"""Copy the licence texts of everything the frozen build bundles into resources/licenses/.

Run from the repository with the project's venv: `.venv/bin/python packaging/collect_licenses.py`
(`make package` runs it). Texts are copied, never written by hand:

- every runtime dependency in pyproject.toml (followed transitively through `Requires-Dist`): the
  licence files listed in its installed distribution's metadata (`*.dist-info/licenses/...`, LICENSE*);
- PySide6 / shiboken6 (Qt for Python) ship no licence file in their wheels, only the metadata field
  `LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only`; the build uses them under the LGPL-3.0, whose text
  (and the GPL-3.0 it builds on) is copied from the system's verbatim FSF copies
  (/usr/share/common-licenses on Debian/Ubuntu);
- Python itself (the interpreter in the build): LICENSE.txt of the running Python;
- the PyInstaller bootloader (GPL-2.0 with an exception that allows shipping it with any program);
- the fonts keep their licences in resources/fonts/ and are listed in the manifest.

It writes resources/licenses/components.json, which the About dialog shows.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "resources" / "licenses"
SYSTEM_LICENSES = Path("/usr/share/common-licenses")
LICENCE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
QT_DISTRIBUTIONS = {"pyside6-essentials", "shiboken6"}
# required by sqlite-utils only for its `install` command; the spec excludes them from the build
NOT_BUNDLED = {"pip", "setuptools"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions() -> list[metadata.Distribution]:
    seen: dict[str, metadata.Distribution] = {}
    with (ROOT / "pyproject.toml").open("rb") as handle:
        todo = list(tomllib.load(handle)["project"]["dependencies"])
    while todo:
        requirement = todo.pop()
        name = _normal(re.split(r"[ ;<>=!~\[(]", requirement, maxsplit=1)[0])
        if name in seen or name in NOT_BUNDLED:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a dependency for another platform or Python version
        seen[name] = dist
        todo += [req for req in dist.requires or [] if "extra ==" not in req]
    return [seen[name] for name in sorted(seen)]


def _licence_files(dist: metadata.Distribution) -> list[Path]:
    found = []
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if parts and parts[0].endswith(".dist-info") and LICENCE_NAME.search(parts[-1]):
            if parts[-1].endswith((".json", ".md")) and "AUTHORS" not in parts[-1]:
                continue
            found.append(Path(str(dist.locate_file(file))))
    return found


def main() -> int:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    components: list[dict[str, object]] = []

    def add(name: str, version: str, licence: str, sources: list[Path], folder: str) -> None:
        files = []
        for source in sources:
            destination = TARGET / folder / source.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            files.append(f"licenses/{folder}/{source.name}")
        components.append({"name": name, "version": version, "license": licence, "files": files})

    for dist in runtime_distributions():
        name = dist.metadata["Name"]
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        if len(licence) > 80 or not licence:
            classifiers = [
                c.split(" :: ")[-1]
                for c in dist.metadata.get_all("Classifier") or []
                if c.startswith("License ::")
            ]
            licence = ", ".join(classifiers) or "see files"
        sources = _licence_files(dist)
        if _normal(name) in QT_DISTRIBUTIONS and not sources:
            sources = [SYSTEM_LICENSES / "LGPL-3", SYSTEM_LICENSES / "GPL-3"]
            licence = "LGPL-3.0-only (used under the LGPL; GPL-2.0/GPL-3.0 also offered)"
        if not sources:
            print(f"warning: no licence file for {name}", file=sys.stderr)
        add(name, dist.version, licence, sources, _normal(name))

    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    add(
        "Python",
        sys.version.split()[0],
        "PSF-2.0",
        [python_licence] if python_licence.exists() else [],
        "python",
    )
    try:
        pyinstaller = metadata.distribution("pyinstaller")
        add(
            "PyInstaller bootloader",
            pyinstaller.version,
            "GPL-2.0-or-later with the PyInstaller bootloader exception",
            _licence_files(pyinstaller),
            "pyinstaller",
        )
    except metadata.PackageNotFoundError:
        print(
            "note: pyinstaller not installed; its bootloader licence is added by `make package`",
            file=sys.stderr,
        )
    for font, licence, text in (
        ("DejaVu Sans (font)", "Bitstream Vera / DejaVu licence", "fonts/LICENSE-DejaVu.txt"),
        ("Droid Sans Fallback (font)", "Apache-2.0", "fonts/LICENSE-DroidSansFallback.txt"),
    ):
        components.append({"name": font, "version": "", "license": licence, "files": [text]})
    (TARGET / "components.json").write_text(
        json.dumps(components, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{len(components)} components, licences in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
