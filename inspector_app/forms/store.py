"""The versioned definition store: every checklist version a visit was filled with, by (form id, version).

A visit keeps the definition version it was started with (`visits.form_version`) and must always be
evaluated with that version, so a finalised visit's findings and PDF never change when the shipped
checklists are bumped (an app update) or a reference bundle installs newer ones. The live sets (shipped
and installed) only hold the newest version of each form, so the sources of every version that is put
to use are archived in the data folder, content-addressed:

    <data dir>/forms/versions/<form id>-v<version>-<sha256 of the sources, 16 hex>/
        <form file>.toml  + the `_fragment.toml` files it includes

The first content archived for an (id, version) stays: a definition version never changes meaning.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tomllib
import uuid
from functools import cache
from pathlib import Path

from inspector_app.errors import NotFoundError
from inspector_app.fileio import atomic_write_bytes, create_private_dirs
from inspector_app.forms.definition.load import load_all_forms, load_form_file
from inspector_app.forms.definition.problems import FormDefinitionError
from inspector_app.forms.model import FormDefinition
from inspector_app.i18n import _
from inspector_app.paths import installed_forms_root

logger = logging.getLogger(__name__)

VERSIONS_FOLDER = "versions"
_ENTRY_RE = re.compile(r"^(?P<id>[a-z][a-z0-9_]{1,63})-v(?P<version>[0-9]+)-(?P<digest>[0-9a-f]{16})$")


class UnknownFormVersionError(NotFoundError):
    """No definition with this (form id, version) is shipped, installed or archived on this device."""


def versions_root(data_dir: Path | None = None) -> Path:
    return installed_forms_root(data_dir) / VERSIONS_FOLDER


def definition_sources(form: FormDefinition) -> dict[str, bytes]:
    """The form file and the fragments it includes, by file name: everything needed to load it again."""
    data = form.source.read_bytes()
    sources = {form.source.name: data}
    for section in tomllib.loads(data.decode("utf-8")).get("sections", []):
        name = section.get("include") if isinstance(section, dict) else None
        if isinstance(name, str):
            sources[name] = (form.source.parent / name).read_bytes()
    return sources


def sources_digest(sources: dict[str, bytes]) -> str:
    """SHA-256 over the file names and contents in name order (the content address of a version)."""
    digest = hashlib.sha256()
    for name in sorted(sources):
        data = sources[name]
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _archived_entry(root: Path, form_id: str, version: int) -> Path | None:
    for folder in sorted(root.glob(f"{form_id}-v{version}-*")):
        match = _ENTRY_RE.match(folder.name)
        if match and match["id"] == form_id and int(match["version"]) == version and folder.is_dir():
            return folder
    return None


def archive_form(form: FormDefinition, data_dir: Path | None = None) -> Path:
    """Keep the sources of `form` addressable by (id, version); a no-op when that version is archived.

    Written into a staging folder and renamed into place, so a reader never sees half an entry.
    """
    root = versions_root(data_dir)
    existing = _archived_entry(root, form.id, form.version)
    sources = definition_sources(form)
    digest = sources_digest(sources)[:16]
    if existing is not None:
        if not existing.name.endswith(digest):
            logger.warning(
                "checklist %s version %s changed without a version bump; the archived one stays in use",
                form.id,
                form.version,
            )
        return existing
    target = root / f"{form.id}-v{form.version}-{digest}"
    staging = root / f".staging-{uuid.uuid4()}"
    create_private_dirs(staging)
    try:
        for name, data in sources.items():
            atomic_write_bytes(staging / name, data)
        try:
            staging.replace(target)
        except OSError:
            if not target.is_dir():  # else another process archived the same content first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def archive_forms(forms: dict[str, FormDefinition], data_dir: Path | None = None) -> None:
    for form in forms.values():
        archive_form(form, data_dir)


@cache
def _load_archived(folder: Path) -> FormDefinition:
    match = _ENTRY_RE.match(folder.name)
    files = {p.name: p.read_bytes() for p in folder.glob("*.toml")}
    forms = [name for name in files if not name.startswith("_")]
    if match is None or len(forms) != 1 or sources_digest(files)[:16] != match["digest"]:
        raise FormDefinitionError([])
    return load_form_file(folder / forms[0])


def load_form(form_id: str, version: int, data_dir: Path | None = None) -> FormDefinition:
    """The definition a visit was filled with: archived first, else a live set holding that version.

    Raises UnknownFormVersionError (a Dutch AppError) when this device has never had that version.
    """
    entry = _archived_entry(versions_root(data_dir), form_id, version)
    if entry is not None:
        try:
            form = _load_archived(entry)
        except (FormDefinitionError, OSError, UnicodeDecodeError):
            logger.warning("archived checklist %s is damaged; trying the live checklists", entry.name)
        else:
            if form.id == form_id and form.version == version:
                return form
    live = load_all_forms(data_dir=data_dir).get(form_id)
    if live is not None and live.version == version:
        return live
    raise UnknownFormVersionError(
        _(
            "Checklist {form} versie {version} is niet beschikbaar op dit apparaat; lees de referentiebundel"
            " van het kantoor in waarmee dit bezoek is ingevuld, of werk de app bij.",
            form=form_id,
            version=version,
        )
    )
