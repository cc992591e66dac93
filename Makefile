# The README's two set-up commands are `make site` and `make test`; the
# GitHub workflows and .ci/run call these same targets.
PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING = 1

.PHONY: install site test docs serve

install:
	$(PIP) -e .

docs: install
	$(PYTHON) -m generator

site: docs
	$(PYTHON) -m mkdocs build --strict
	@echo "Site built in site/. Browse it with: $(PYTHON) -m mkdocs serve  (then open http://127.0.0.1:8000/)"

test:
	$(PIP) -e '.[test]'
	$(PYTHON) -m pytest

serve: docs
	$(PYTHON) -m mkdocs serve
