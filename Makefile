# sangkien — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
YEAR   ?= 2023
STAMP  := $(VENV)/.installed
KERNEL := sangkien
# nbstripout's options (tests/test_notebooks.py checks with the same): keep cell ids, drop what a run adds.
NBSTRIP := --keep-id --extra-keys "metadata.language_info.codemirror_mode metadata.language_info.file_extension metadata.language_info.mimetype metadata.language_info.nbconvert_exporter metadata.language_info.pygments_lexer metadata.language_info.version"

.DEFAULT_GOAL := help
PIP    := $(PY) -m pip --quiet --disable-pip-version-check
PIPTOOLS := pip-tools==7.6.2
.PHONY: help report test test-fast lab check figures sample bench clean strip template word-template requirements

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	@echo "==> môi trường Python của dự án: $(VENV)/ (chỉ lần đầu, hoặc khi requirements.txt đổi)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "==> cài $$(grep -c '^[A-Za-z0-9]' requirements.txt) thư viện đã ghim trong requirements.txt (papermill, pandas,\
	 matplotlib, WeasyPrint, python-docx, pyHanko, JupyterLab...): lần đầu mất vài phút"
	$(PIP) install -r requirements.txt
	@echo "==> cài gói sangkien của dự án (chế độ sửa được: pip install -e .)"
	$(PIP) install --no-deps -e .
	@echo "==> đăng ký kernel Jupyter \"$(KERNEL)\" (môi trường này) cho JupyterLab và lệnh dựng"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Sáng kiến (Python 3.11)" >/dev/null
	@echo "==> đã cài xong"
	@touch $@

report: $(STAMP) ## build the sample year's report (YEAR=2023): reports/YEAR/*.html, *.pdf (PDF/A), *.docx, annex, manifest.json
	$(PY) -m sangkien build $(YEAR)

# Two workers (pytest-xdist), each test file on one worker (its module fixtures built once), the longest
# files first (tests/conftest.py): on two cores about twice as fast as one. `make test PYTEST_WORKERS=0`: one process.
PYTEST_WORKERS ?= 2
test: $(STAMP) ## run the test suite (two workers)
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

test-fast: $(STAMP) ## the tests that start no process: no kernel, interpreter or tool (tests/conftest.py enforces it)
	$(PY) -m pytest -q -m "not slow"

lab: $(STAMP) ## start JupyterLab at the project's root: notebooks/, params/, data/, reports/ (kernel "sangkien")
	$(PY) -m jupyter lab --notebook-dir=. --LabApp.default_url=/lab/tree/notebooks/bao-cao-nam.ipynb \
		$(if $(filter 0,$(shell id -u)),--allow-root)

check: $(STAMP) ## validate the sample register (2016-2025, against the blocks of 2025 and its reorganisation)
	$(PY) -m sangkien check data/sample/so-dang-ky-sang-kien.xlsx --params params/2025.yaml

figures: $(STAMP) ## print YEAR's figures as JSON
	$(PY) -m sangkien figures $(YEAR)

sample: $(STAMP) ## regenerate the sample register (deterministic)
	$(PY) -m sangkien.tools.sample

bench: $(STAMP) ## every benchmark side by side in one run, printed as one table (minutes; not a test)
	$(PY) benchmarks/bench.py

strip: $(STAMP) ## remove outputs, execution counts and run-time metadata from notebooks/*.ipynb
	$(PY) -m nbstripout $(NBSTRIP) notebooks/*.ipynb

template: $(STAMP) ## regenerate the register template data/template/so-dang-ky-mau.xlsx (deterministic)
	$(PY) -m sangkien.tools.template

word-template: $(STAMP) ## regenerate the Word template sangkien/templates/word/bao-cao.docx (drops styling done in Word)
	$(PY) -m sangkien.tools.wordtemplate

requirements: ## recompile requirements.txt (exact pins) from pyproject.toml's dependencies and extras
	@test -x .venv-tools/bin/pip-compile || { $(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet $(PIPTOOLS); }
	.venv-tools/bin/pip-compile --quiet --extra test --extra lab --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.txt pyproject.toml

clean: ## delete generated reports (only what builds wrote: files of your own in reports/ stay)
	@test ! -x $(PY) || $(PY) -c "from sangkien.pipeline.stage import unpublish; unpublish('reports')"
