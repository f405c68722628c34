#!/usr/bin/env bash
# Smoke test of the frozen build (slow, about a minute; not part of `make test`):
#   bash packaging/smoke_test.sh            build with `make package`, then test dist/inspector_app/
#   SKIP_BUILD=1 bash packaging/smoke_test.sh   test the existing build
# Runs the frozen program headless in a temporary data folder: --version, demo --visits 20, a PDF
# report, the log, and the GUI opening offscreen and closing cleanly (INSPECTOR_APP_SMOKE_EXIT_MS).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-}" = 1 ] || make package
APP="$PWD/dist/inspector_app/inspector_app"
[ -x "$APP" ] || { echo "smoke: $APP missing" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export QT_QPA_PLATFORM=offscreen
unset INSPECTOR_APP_HOME INSPECTOR_APP_FORMS
step() { echo "smoke: $*" >&2; }

step "--version"
version="$("$APP" --version)"
expected="inspector-app $(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
[ "$version" = "$expected" ] || { echo "smoke: got '$version', expected '$expected'" >&2; exit 1; }

step "demo --visits 20 --echt"
"$APP" --data-dir "$TMP/data" demo --visits 20 --echt >/dev/null
count="$("$APP" --data-dir "$TMP/data" visits list --json --limit 100 | .venv/bin/python -c 'import json,sys; print(len(json.load(sys.stdin)))')"
[ "$count" = 20 ] || { echo "smoke: $count visits, expected 20" >&2; exit 1; }

step "forms list (forms/ found in the build)"
"$APP" --data-dir "$TMP/data" forms list --json | .venv/bin/python -c 'import json,sys; assert len(json.load(sys.stdin)) == 4'

step "report VISIT -o visit.pdf (fonts from resources/)"
visit="$("$APP" --data-dir "$TMP/data" visits list --json --limit 1 | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
"$APP" --data-dir "$TMP/data" report "$visit" -o "$TMP/visit.pdf"
"$APP" --data-dir "$TMP/data" --lang en report "$visit" --kind signal -o "$TMP/signal.pdf"
for pdf in "$TMP/visit.pdf" "$TMP/signal.pdf"; do
  head -c 5 "$pdf" | grep -q '%PDF-' || { echo "smoke: $pdf is not a PDF" >&2; exit 1; }
done

step "log written to DATA/logs"
grep -q "start version=" "$TMP/data/logs/inspector_app.log"

step "GUI offscreen, main window shown and closed"
# a profile, so the first-run dialog does not wait for input
mkdir -p "$TMP/data/config"
cat > "$TMP/data/config/settings.json" <<'JSON'
{"schema_version": 1, "language": "nl", "profile": {"name": "Smoke test", "function": "handhaver",
 "municipality": "Westerdam"}, "contact_person": {"name": "A. Jansen", "phone": "0600000000"}, "ui": {}}
JSON
INSPECTOR_APP_SMOKE_EXIT_MS=3000 timeout 120 "$APP" --data-dir "$TMP/data" 2>"$TMP/gui.err" || {
  cat "$TMP/gui.err" >&2; echo "smoke: GUI exit code $?" >&2; exit 1; }
grep -q "smoke: main window shown" "$TMP/gui.err" || { cat "$TMP/gui.err" >&2; exit 1; }
if grep -qi -E "traceback|error" "$TMP/gui.err"; then cat "$TMP/gui.err" >&2; exit 1; fi

echo "smoke: all passed ($(du -sm dist/inspector_app | cut -f1) MB in dist/inspector_app)"
