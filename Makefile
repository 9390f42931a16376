# Two entry points for users: `make demo` and `make test`. Everything else bootstraps them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
VSIX := paribus-$(VERSION).vsix

.PHONY: demo test bench fuzz setup client vsix clean lint e2e-setup e2e

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip 'setuptools>=77' wheel
	$(PY) -m pip install -q -e '.[test,test-trackers]'
	touch $@

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

client: $(NODE_STAMP)
	npm run --silent build

# The vsix ships the server wheel and a pip wheel: "Create a Paribus environment" bootstraps pip
# from it where Python has no ensurepip (Debian and Ubuntu without python3-venv).
PIP_WHEEL_VERSION := 26.3

vsix: $(STAMP) client
	rm -rf bundled && mkdir -p bundled
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w bundled .
	$(PY) -m pip download -q --no-deps --only-binary=:all: -d bundled 'pip==$(PIP_WHEEL_VERSION)'
	npx --no-install vsce package --no-dependencies --no-rewrite-relative-links -o $(VSIX)

demo: setup vsix
	@echo
	@echo "== paribus check examples/ecg-af =="
	@$(VENV)/bin/paribus check examples/ecg-af || echo "(paribus check exits 1 when it reports warnings: here, as intended)"
	@echo
	@echo "== paribus workflow (examples/ecg-af) =="
	cd examples/ecg-af && ../../$(VENV)/bin/paribus workflow --format text
	@echo
	@echo "Extension packaged: $(VSIX)  (code --install-extension $(VSIX))"

# Editors for the end-to-end tests: Debian's chromium, neovim and build tools; code-server and
# playwright-core into .cache/e2e/ (about 1 s when everything is there already).
e2e-setup:
	bash scripts/setup-e2e.sh

test: setup vsix e2e-setup
	npm run --silent typecheck
	npm test --silent
	bash scripts/run-tests.sh

# Only the editor tests (code-server, Neovim).
e2e: setup vsix e2e-setup
	bash scripts/run-tests.sh tests/e2e

bench: setup
	$(PY) bench/run.py

# The property tests' long profile: over 100,000 mutated and generated inputs (tests/fuzz).
fuzz: $(STAMP)
	PARIBUS_FUZZ=long bash scripts/run-tests.sh tests/fuzz -p no:cacheprovider -q --durations=0 --hypothesis-show-statistics

clean:
	rm -rf $(VENV) node_modules dist bundled out build *.vsix .pytest_cache test-output
