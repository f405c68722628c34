# Two commands on a fresh machine (Python 3.11+):
#   make run    start the desktop app (creates .venv on first use)
#   make test   lint, type-check, architecture contracts, the whole test suite, and the core suite again
#               without Qt
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The core without Qt (napari's headless job): only the `test` extra, no PySide6, no pytest-qt.
HEADLESS ?= .venv-headless
HBIN := $(HEADLESS)/bin

.PHONY: run test test-headless bench clean package

# The pure core modules in .ci/perfect_files.txt stay 100 % line-covered by their own test modules
# (qutebrowser's PERFECT_FILES). Only those tests run under coverage and the rest of the headless suite
# runs plain: traced, these 377 tests take 48 s against 17 s plain (CPU 24 s against 9.5 s) on this
# 2-core machine, and the whole headless suite under coverage was ~4x slower.
PERFECT_FILES = $(shell paste -s -d, .ci/perfect_files.txt)
PERFECT_TESTS = tests/forms/test_expressions.py tests/forms/test_state.py tests/forms/test_values.py \
	tests/forms/test_display.py tests/signals tests/storage/test_db.py tests/sync/test_envelope.py

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(HBIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(HEADLESS)
	$(HBIN)/pip install --quiet --upgrade pip
	$(HBIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/inspector-app

test: $(BIN)/.installed
	$(BIN)/ruff check inspector_app tests bench docs packaging
	$(BIN)/ruff format --check inspector_app tests bench docs packaging
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/vulture
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest
	$(MAKE) test-headless

test-headless: $(HBIN)/.installed
	$(HBIN)/python -c 'import importlib.util as u, sys; sys.exit("PySide6 must not be installed here" if u.find_spec("PySide6") else 0)'
	for file in $$(cat .ci/perfect_files.txt); do test -f "$$file" || { echo "no such file: $$file"; exit 1; }; done
	$(HBIN)/coverage run --data-file=.coverage.perfect -m pytest $(PERFECT_TESTS) -o required_plugins=hypothesis -q
	$(HBIN)/coverage report --data-file=.coverage.perfect --include='$(PERFECT_FILES)' --show-missing --fail-under=100
	$(HBIN)/pytest --ignore=tests/ui $(addprefix --ignore=,$(PERFECT_TESTS)) -o required_plugins=hypothesis -q

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_core.py

# The desktop build (packaging/README.md): one folder in dist/inspector_app/. PyInstaller is installed
# here, not in the dev extra: only whoever builds a release needs it, CI and `make test` do not.
PYINSTALLER ?= pyinstaller>=6.10,<7
package: $(BIN)/.installed
	$(BIN)/python -c 'import PyInstaller' 2>/dev/null || $(BIN)/pip install --quiet '$(PYINSTALLER)'
	$(BIN)/python packaging/collect_licenses.py
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/inspector_app.spec

clean:
	rm -rf $(VENV) $(HEADLESS) .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.perfect
