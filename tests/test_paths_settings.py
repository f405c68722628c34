"""Folders come from platformdirs unless --data-dir or INSPECTOR_APP_HOME moves them; settings survive damage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_app.paths import app_paths, forms_dir, resources_dir
from inspector_app.settings import NewerSettingsError, Settings, load_settings, save_settings


def test_explicit_folder_beats_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECTOR_APP_HOME", str(tmp_path / "env"))
    assert app_paths().database == (tmp_path / "env" / "inspector.sqlite3").resolve()
    chosen = app_paths(tmp_path / "chosen")
    assert chosen.database.parent == (tmp_path / "chosen").resolve()
    assert chosen.settings_file.parent == (tmp_path / "chosen" / "config").resolve()


def test_platform_folders_without_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSPECTOR_APP_HOME", raising=False)
    paths = app_paths()
    assert "inspector_app" in str(paths.data_dir) and "inspector_app" in str(paths.config_dir)


def test_shipped_folders_are_found() -> None:
    assert (forms_dir() / "_header.toml").exists()
    assert (resources_dir() / "indicators.toml").exists()


def test_settings_round_trip_and_damage(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings()
    settings.profile.name = "Toezichthouder 1042"
    settings.contact_person.phone = "0600000000"
    save_settings(path, settings)
    loaded = load_settings(path)
    assert loaded.problem is None and loaded.settings.profile.name == "Toezichthouder 1042"
    assert not list(tmp_path.glob("*.tmp"))
    path.write_text("{ half written", encoding="utf-8")
    damaged = load_settings(path)
    assert damaged.settings == Settings() and damaged.problem and "beschadigd" in damaged.problem
    assert "settings.damaged.json" in damaged.problem and not damaged.read_only
    assert (tmp_path / "settings.damaged.json").exists()
    path.write_text(json.dumps({"schema_version": 99}), encoding="utf-8")
    newer = load_settings(path)
    assert newer.read_only and newer.problem and "nieuwere versie" in newer.problem


def test_a_newer_settings_file_is_read_and_never_written(tmp_path: Path) -> None:
    """Regression: a newer file used to be replaced by defaults (load gave Settings(), close saved it)."""
    path = tmp_path / "settings.json"
    text = json.dumps(
        {"schema_version": 99, "language": "en", "profile": {"name": "T 1042"}, "new_in_v99": [1, 2]}
    )
    path.write_text(text, encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.read_only and loaded.settings.profile.name == "T 1042" and loaded.settings.language == "en"
    with pytest.raises(NewerSettingsError, match="nieuwere versie"):
        save_settings(path, loaded.settings)
    with pytest.raises(NewerSettingsError):
        save_settings(path, Settings())
    assert path.read_text(encoding="utf-8") == text
    assert not list(tmp_path.glob("*.damaged.json")) and not list(tmp_path.glob("*.tmp"))


def test_a_newer_file_of_an_unknown_shape_is_kept_too(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    text = json.dumps({"schema_version": 7, "profile": ["not", "a", "mapping"]})
    path.write_text(text, encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.read_only and loaded.settings == Settings()
    with pytest.raises(NewerSettingsError):
        save_settings(path, loaded.settings)
    assert path.read_text(encoding="utf-8") == text


def test_data_folder_chosen_in_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from inspector_app.paths import choose_data_dir, chosen_data_dir, data_dir_is_overridden

    monkeypatch.delenv("INSPECTOR_APP_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    assert not data_dir_is_overridden() and chosen_data_dir() is None
    assert app_paths().data_dir == tmp_path / "xdg-data" / "inspector_app"
    choose_data_dir(tmp_path / "elsewhere")
    assert app_paths().data_dir == (tmp_path / "elsewhere").resolve()
    assert app_paths().settings_file.parent == tmp_path / "xdg-config" / "inspector_app"
    assert app_paths(tmp_path / "explicit").data_dir == (tmp_path / "explicit").resolve()  # --data-dir wins
    choose_data_dir(None)
    assert app_paths().data_dir == tmp_path / "xdg-data" / "inspector_app"


def test_a_quick_look_leaves_a_damaged_file_for_the_real_open(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{ half written", encoding="utf-8")
    peek = load_settings(path, set_aside=False)
    assert peek.settings == Settings() and peek.problem and path.exists()
    assert not (tmp_path / "settings.damaged.json").exists()
    real = load_settings(path)
    assert real.problem and (tmp_path / "settings.damaged.json").exists() and not path.exists()
