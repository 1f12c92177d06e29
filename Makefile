# Silta – `make help` lists every target.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export SILTA_HOME := $(CURDIR)

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Silta needs Python 3.11 or newer"' || { echo "Silta needs Python 3.11 or newer (found $(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# The Helsinki Design System's CSS, from the npm registry (version pinned in
# npm/package-lock.json), copied into the static files (docs/adr/0021-design-system.md).
HDS_CSS := src/silta/web/static/silta/hds/hds.css

$(HDS_CSS): npm/package.json npm/package-lock.json npm/copy-assets.mjs
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' 2>/dev/null || { echo "Silta needs Node.js 20 or newer (with npm) to build its design system: https://nodejs.org/"; exit 1; }
	cd npm && npm ci --loglevel=error
	cd npm && npm run --silent build

.PHONY: install install-dev
install: $(VENV)/.installed $(HDS_CSS) ## Create .venv and install Silta (Python 3.11, Node.js 20)
install-dev: $(VENV)/.installed-dev $(HDS_CSS) ## Create .venv and install Silta with the development tools

.PHONY: demo
demo: install ## Set up and start the demo (SQLite, synthetic region, demo logins printed)
	$(BIN)/silta demo
	@echo "Silta is starting on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/silta runserver --noreload 127.0.0.1:$(PORT)

.PHONY: demo-reset
demo-reset: install ## Throw away the demo database and generate the region again
	rm -f var/silta.sqlite3 var/silta.sqlite3-wal var/silta.sqlite3-shm
	rm -rf var/audit/checkpoints
	$(BIN)/silta demo

.PHONY: test
test: install-dev ## Set up and run the whole suite: lint, types, migrations, translations, tests
	$(MAKE) --no-print-directory lint typecheck migrations-check translations-check pytest

.PHONY: lint
lint: install-dev ## ruff lint and format check
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

.PHONY: format
format: install-dev ## Format the code with ruff
	$(BIN)/ruff check --fix src tests bench tools
	$(BIN)/ruff format src tests bench tools

.PHONY: typecheck
typecheck: install-dev ## mypy with django-stubs
	SILTA_MODE=test $(BIN)/mypy

.PHONY: migrations-check
migrations-check: install-dev ## Fail when a model change has no migration
	SILTA_MODE=test $(BIN)/silta makemigrations --check --dry-run

.PHONY: translations-check
translations-check: install-dev ## Fail on any untranslated or fuzzy fi/sv string; compile catalogues
	SILTA_MODE=test $(BIN)/silta translations --check

.PHONY: messages
messages: install-dev ## Extract new strings, fill fi/sv from tools/translations/*.tsv, compile
	SILTA_MODE=test $(BIN)/silta translations --update
	$(BIN)/python tools/apply_translations.py

.PHONY: pytest
pytest: install-dev ## Run the tests (browser tests need /usr/bin/chromium)
	@if [ ! -x /usr/bin/chromium ]; then echo "NOTE: /usr/bin/chromium is missing, browser tests are skipped. Install it with: sudo apt-get update && sudo apt-get install -y chromium"; fi
	SILTA_MODE=test $(BIN)/pytest

.PHONY: bench
bench: install-dev ## Print the performance figures (see README)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/synth.py

.PHONY: clean
clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var build src/*.egg-info npm/node_modules src/silta/web/static/silta/hds
