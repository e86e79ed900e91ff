# Workforce Workbench. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

.DEFAULT_GOAL := help
.PHONY: help install pack test lint notebooks lab app validate clean bench

help: ## List the targets
	@grep -E '^[a-z][a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv (if missing) and install the workbench with its test tools

pack: $(STAMP) ## Render the sample committee pack into reports/sample/
	$(BIN)/workforce pack packs/sample.yaml

test: $(STAMP) ## Lint, unit tests and nbval over every notebook
	$(BIN)/ruff check workforce_lib tests bench
	$(BIN)/python -m pytest tests notebooks $(PYTEST_NBVAL)

lint: $(STAMP) ## Ruff only
	$(BIN)/ruff check workforce_lib tests bench

notebooks: $(STAMP) ## Re-execute every notebook in place on the sample data (refreshes stored outputs)
	cd notebooks && for nb in *.ipynb; do ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; done

validate: $(STAMP) ## Check data/sample against the data contract
	$(BIN)/workforce validate data/sample

app: $(STAMP) ## Serve the workforce plan as a dashboard without code (Voila) on http://127.0.0.1:8866
	$(BIN)/voila notebooks/03_workforce_plan.ipynb --no-browser --port=8866 --Voila.ip=127.0.0.1 \
		--MappingKernelManager.cull_idle_timeout=600 --MappingKernelManager.cull_interval=60 \
		--MappingKernelManager.cull_connected=True

lab: $(STAMP) ## Open JupyterLab on notebooks/
	$(BIN)/jupyter lab notebooks

clean: ## Remove .venv and generated packs
	rm -rf $(VENV) reports/*/

bench: $(STAMP) ## Run the benchmarks in bench/ and print their figures
	for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python "$$b" || exit 1; done
