# Deep Learning, Executed — build and test the book.
#   make book      build the executed site into _build/html
#   make test      unit tests of dlbook + every chapter executed as a pytest item
#   make serve     preview the built site on http://127.0.0.1:8000
#   make chapter CHAPTER=book/part1-math/linear-algebra.md   test one chapter alone
#   make ci        everything CI runs (.ci/run and the workflows call this one target)
#   make lock      regenerate requirements.lock from the ranges in requirements*.txt
# Everything runs in the virtual environment $(VENV), created on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Sphinx flags: warnings are errors (-W), nitpicky references (-n), report them all (--keep-going).
JB_FLAGS ?= -W -n --keep-going
PORT ?= 8000

# Offline data: use ../shared/data when it is beside the checkout, unless DLBOOK_DATA is set.
SHARED_DATA := $(abspath ../shared/data)
ifeq ($(origin DLBOOK_DATA),undefined)
ifneq ($(wildcard $(SHARED_DATA)/SHA256SUMS),)
export DLBOOK_DATA := $(SHARED_DATA)
endif
endif
export KERAS_BACKEND ?= tensorflow
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONHASHSEED ?= 0
export PYDEVD_DISABLE_FILE_VALIDATION ?= 1
# On a GPU (GPU=1): TensorFlow with its CUDA libraries instead of tensorflow-cpu, and memory
# allocated as needed rather than all at start.
GPU ?= 0
export TF_FORCE_GPU_ALLOW_GROWTH ?= true

# The environment: exact versions and hashes from requirements.lock, unless RANGES=1, which
# resolves the ranges in requirements*.txt afresh (the weekly workflow, to see drift early).
RANGES ?= 0
LOCK := requirements.lock
# Each chapter may take CHAPTER_BUDGET seconds (tools/chapter_budget.py); a cell that hangs is
# stopped after CELL_TIMEOUT seconds.
CHAPTER_BUDGET ?= 180
CELL_TIMEOUT ?= 600
PYTEST_CHAPTERS := -p tools.chapter_budget --chapter-budget=$(CHAPTER_BUDGET) --nbmake --overwrite --nbmake-timeout=$(CELL_TIMEOUT)

INSTALLED := $(VENV)/.installed
# The site's JS packages (MathJax, axe-core; package.json) in node_modules/, installed by npm ci.
NODE_INSTALLED := node_modules/.installed

.PHONY: help install notebooks test unit chapter book serve lint clean check-site ci lock linkcheck

help:
	@echo "make book     build the executed site into _build/html"
	@echo "make test     run the unit tests and execute every chapter (pytest + nbmake)"
	@echo "make unit     only dlbook's unit tests and the repository checks (no chapters)"
	@echo "make chapter CHAPTER=book/<part>/<chapter>.md   execute one chapter as a test"
	@echo "make serve    preview _build/html on http://127.0.0.1:$(PORT)"
	@echo "make check-site   test the built site in headless Chromium (links, search, math, a11y, weight)"
	@echo "make lint     ruff on dlbook, tests, tools and the chapters' code"
	@echo "make ci       lint, test, book and check-site: what CI runs"
	@echo "make linkcheck   follow the book's external links (needs the internet)"
	@echo "make lock     regenerate requirements.lock (exact versions and hashes) from the ranges"
	@echo "make clean    remove _build, notebooks/ and the virtual environment"

$(INSTALLED): $(LOCK) requirements.txt requirements-site.txt code/pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
ifeq ($(RANGES),1)
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-site.txt
else
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
endif
	$(BIN)/python -m pip install --quiet --no-deps -e ./code
ifeq ($(GPU),1)
	version=$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("tensorflow-cpu"))'); \
	$(BIN)/python -m pip uninstall --quiet --yes tensorflow-cpu; \
	$(BIN)/python -m pip install --quiet "tensorflow[and-cuda]==$$version"
endif
	touch $@

install: $(INSTALLED)

# One .ipynb per chapter in notebooks/, made from the MyST sources with jupytext.
notebooks: $(INSTALLED)
	$(BIN)/python tools/notebooks.py convert

unit: $(INSTALLED)
	$(BIN)/python -m pytest tests --ignore=tests/site

# All tests: dlbook's unit tests, then every chapter executed as its own pytest item.
# --overwrite keeps each executed notebook; fill-cache hands them to the site build, which
# then reuses them instead of executing each chapter a second time.
test: notebooks
	$(BIN)/python -m pytest tests $(CHAPTER_NOTEBOOKS) --ignore=tests/site $(PYTEST_CHAPTERS) --durations=0
	$(BIN)/python tools/notebooks.py fill-cache

chapter: $(INSTALLED)
	@test -n "$(CHAPTER)" || { echo "usage: make chapter CHAPTER=book/<part>/<chapter>.md"; exit 2; }
	$(BIN)/python tools/notebooks.py convert $(CHAPTER)
	$(BIN)/python -m pytest notebooks/$(basename $(CHAPTER)).ipynb $(PYTEST_CHAPTERS)
	$(BIN)/python tools/notebooks.py fill-cache --only $(CHAPTER)

# Chapters whose outputs are cached (by `make test`) are not executed again. The notebooks
# readers download (and Colab opens) are generated into _build/site-extra, served with the site.
book: $(INSTALLED) $(NODE_INSTALLED)
	rm -rf _build/site-extra
	$(BIN)/python tools/notebooks.py convert --out _build/site-extra/ipynb
	$(BIN)/jupyter-book build . --builder html $(JB_FLAGS)
	@echo "The book is at file://$(abspath _build/html/index.html)"

# Follow every external link of the book (needs the internet; the weekly workflow runs it).
# Run `make test` first: the chapters' outputs come from the execution cache.
linkcheck: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/jupyter-book build . --builder linkcheck

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The built site (run `make book` first) in headless Chromium (Debian's /usr/bin/chromium): page
# loads, offline math, search, copy buttons, solutions, dark mode, alt text, links, axe-core and
# the page-weight budget (tests/site/). Reports and screenshots go to _build/site-report/.
check-site: $(INSTALLED) $(NODE_INSTALLED)
	DLBOOK_CHECK_SITE=1 $(BIN)/python -m pytest tests/site --durations=5

serve:
	@test -f _build/html/index.html || { echo "build the book first: make book"; exit 2; }
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# ruff reads notebooks too: the chapters' code is linted through their generated .ipynb, named
# one by one (notebooks/ is git-ignored, and ruff skips ignored folders it walks into), with the
# chapters' line length: 88 characters, so that no code block scrolls sideways on the page.
# CHAPTER_NOTEBOOKS: the notebooks of the chapters in _toc.yml, in order.
CHAPTER_NOTEBOOKS = $$($(BIN)/python tools/notebooks.py list --notebooks)
lint: notebooks
	$(BIN)/ruff check code tests tools
	$(BIN)/ruff check --line-length 88 $(CHAPTER_NOTEBOOKS)

# Everything CI runs, in order; `.ci/run` and the workflows call this target and no other.
ci: install $(NODE_INSTALLED)
	@echo "::: make lint"
	$(MAKE) lint
	@echo "::: make test (unit tests and every chapter, executed once)"
	$(MAKE) test
	@echo "::: make book (reuses the executed chapters; warnings are errors)"
	rm -rf _build/html _build/.doctrees
	mkdir -p _build
	$(MAKE) book 2>&1 | tee _build/book.log
	$(BIN)/python tools/notebooks.py check-built _build/book.log
	@echo "::: make check-site (browser tests of the built site)"
	$(MAKE) check-site

# Exact versions and hashes for every platform, for the oldest supported Python.
lock: $(INSTALLED)
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" -o $(LOCK) requirements.txt requirements-site.txt

clean:
	rm -rf _build notebooks $(VENV)
