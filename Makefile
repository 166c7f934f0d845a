# Tracemark: `make run` serves the demo, `make test` runs every test on SQLite and PostgreSQL.
# Both set up what they need on a fresh Debian machine (see README.md).

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export TRACEMARK_DATABASE_URL ?= sqlite:///$(CURDIR)/tracemark.sqlite3
export TRACEMARK_KEY_DIR ?= $(CURDIR)/tracemark-keys
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv demo lint clean

venv: $(STAMP)

# The package `trace` shares its name with a rarely used standard-library module, which
# Python would find first; the .pth file puts this checkout ahead of the standard library
# inside this virtual environment only.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	echo "import sys; sys.path.insert(0, '$(CURDIR)')" > "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/00-tracemark-first.pth"
	touch $(STAMP)

demo: venv
	$(BIN)/tracemark db upgrade
	$(BIN)/tracemark demo seed

run: venv
	@$(BIN)/tracemark db upgrade
	@echo "Demo codes (open one in a browser, or: $(BIN)/tracemark verify URL):"
	@TRACEMARK_PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(BIN)/tracemark demo seed
	@echo "API docs:       http://$(HOST):$(PORT)/docs"
	@echo "Published keys: http://$(HOST):$(PORT)/.well-known/tracemark/keys.json"
	$(BIN)/tracemark serve --host $(HOST) --port $(PORT)

test: venv
	scripts/ensure-system-packages.sh
	@set -o pipefail; url=$$(scripts/test-postgres.sh start) || exit 1; \
	TRACEMARK_TEST_POSTGRES_URL="$$url" $(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	scripts/test-postgres.sh stop >/dev/null 2>&1 || true; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure"; fi; \
	exit $$status

lint: venv
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .tmp .pytest_cache test-artifacts
