# DânVận — two commands: `make run` (serve with demo data) and `make test` (every test).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
PY        := $(VENV)/bin/python
DANVAN    := $(VENV)/bin/danvan
HOST      ?= 127.0.0.1
PORT      ?= 8000
PYTEST_ARGS ?= -n auto

.PHONY: help run test check bench setup system-deps browser-deps messages clean fmt migrate demo

help:
	@echo "make run    — cài đặt, tạo dữ liệu mẫu và chạy tại http://$(HOST):$(PORT) (install, demo data, serve)"
	@echo "make test   — cài đặt và chạy toàn bộ kiểm thử (install and run every test)"
	@echo "make check  — ruff, ruff format --check, mypy"
	@echo "make bench  — đo hiệu năng (benchmarks)"

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@set -e; py=$$(scripts/find-python.sh); \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	    rm -rf $(VENV); echo "→ Tạo môi trường $(VENV) với $$py"; $$py -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed
	@mkdir -p var

# System packages the PDFs and browser tests need (Debian). Installed only when missing.
system-deps:
	@scripts/system-deps.sh

migrate: setup
	$(DANVAN) migrate --noinput
demo: migrate
	$(DANVAN) demo

run: setup system-deps
	$(DANVAN) migrate --noinput
	$(DANVAN) demo
	$(DANVAN) serve --host $(HOST) --port $(PORT)

test: setup system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

check: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

fmt: setup
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

bench: setup
	@scripts/system-deps.sh --bench
	$(PY) -m bench $(BENCH_ARGS)

messages: setup
	cd src/danvan && ../../$(DANVAN) makemessages -l en --no-obsolete --ignore 'static/*' && ../../$(DANVAN) compilemessages -l en

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
