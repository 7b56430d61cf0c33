# The README's quick start: `make demo` and `make test` on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-board

.PHONY: demo test pytest lint package-check bench install clean templates

$(BIN)/o365flow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/o365flow

demo: install
	$(BIN)/python examples/demo.py $(DEMO)

# Everything CI runs: the linter, the test suite, and the package as a board's IT installs it.
test: lint package-check pytest

pytest: install
	$(BIN)/python -m pytest -q

# ruff's rules and the files held to all of them are in pyproject.toml ([tool.ruff]); the modules
# held to the type checker, in [tool.mypy].
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# Builds the sdist and wheel, checks they carry the templates and workflows, installs the wheel
# into a fresh venv (and with pipx) outside the checkout and runs a board from it.
package-check: install
	$(BIN)/python tools/package_check.py --pipx

bench: install
	$(BIN)/python benchmarks/pass_bench.py
	$(BIN)/python benchmarks/register_bench.py

templates: install
	$(BIN)/python tools/build_templates.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache build dist *.egg-info
