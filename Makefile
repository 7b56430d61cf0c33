# The README's quick start: `make demo` and `make test` on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-board

.PHONY: demo test bench install clean templates

$(BIN)/o365flow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(BIN)/o365flow

demo: install
	$(BIN)/python examples/demo.py $(DEMO)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/pass_bench.py
	$(BIN)/python benchmarks/register_bench.py

templates: install
	$(BIN)/python tools/build_templates.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache build *.egg-info
