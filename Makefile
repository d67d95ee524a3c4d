# The two commands a newcomer runs: `make run` and `make test`.
# Both create .venv when missing, install the project into it, and install the system
# packages daihoi uses when they are missing and we are allowed to (root or sudo):
# LibreOffice (DOC/RTF/ODT), Tesseract + Vietnamese and poppler (OCR), fonts; `make test` adds
# qpdf and Chromium (the tests' encrypted PDF and HTML report checks).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= corpus/daihoi.db

.PHONY: run test lint bench corpus notebook system-deps test-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	@bash .ci/system-deps.sh

test-deps:
	@bash .ci/system-deps.sh test

run: $(STAMP) system-deps
	$(BIN)/daihoi run corpus --db $(DB)

test: $(STAMP) test-deps
	$(BIN)/ruff check pipeline tests benchmarks corpus
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks corpus

bench: $(STAMP) test-deps
	$(BIN)/python benchmarks/run.py

# Run the researcher notebook on the store of `make run` (or DAIHOI_DB=...); the executed copy
# is notebooks/corpus_tour.executed.ipynb (not committed).
# `make test` runs it too (tests/test_notebook.py), on the corpus store and on another store.
notebook: $(STAMP)
	DAIHOI_DB=$${DAIHOI_DB:-$(abspath $(DB))} $(BIN)/python -c "import nbclient, nbformat; \
	  nb = nbformat.read('notebooks/corpus_tour.ipynb', 4); \
	  nbclient.NotebookClient(nb, resources={'metadata': {'path': 'notebooks'}}).execute(); \
	  nbformat.write(nb, 'notebooks/corpus_tour.executed.ipynb')"

# Regenerate the DOCX/PDF corpus from the seed texts (the generated files are committed).
corpus: $(STAMP) system-deps
	$(BIN)/python corpus/build.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(DB)
