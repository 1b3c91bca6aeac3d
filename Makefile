# Two commands on a fresh machine:
#   make quickstart   install into .venv, train LLDif stage 1 + 2 on LL-SynthFER, print test accuracy
#   make test         install into .venv, run the test suite
# and, with the shipped weights, no training:
#   make demo         darken a sample photo, find the face, write the annotated picture and JSON
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Keep pip's "Location ... is ignored" chatter of local mirrors out of the way.
PIP := $(PY) -m pip --disable-pip-version-check -q
QUIET := 2>&1 | { grep -v "^WARNING: Location" || true; }
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: install quickstart test demo lint clean

$(VENV)/.installed: requirements/runtime.txt requirements/tests.txt requirements/deploy.txt requirements/demo.txt requirements/mim.txt setup.py
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements/runtime.txt -r requirements/tests.txt -r requirements/deploy.txt -r requirements/demo.txt wheel $(QUIET)
	$(PIP) install -r requirements/mim.txt $(QUIET)
	$(PIP) install --no-deps openmim==0.3.9 $(QUIET)
	@# legacy develop install: mmlldif.egg-info and mmlldif/.mim in the repo, which mim finds
	$(PIP) install --no-build-isolation --no-use-pep517 --no-deps -e . $(QUIET)
	$(PY) -c "import mmlldif, mim; print('mmlldif', mmlldif.__version__, 'installed')"
	touch $@

install: $(VENV)/.installed

quickstart: install
	$(PY) tools/run_lldif.py

DEMO_MODEL ?= lldif_stage2_ll-fer2013_cpu
demo: install
	$(PY) demo/image_demo.py skimage:astronaut $(DEMO_MODEL) --detector haar \
		--darken 0.08 --out-dir outputs/demo

test: install
	$(PY) -m pytest tests

# flake8 over the code the project writes (configs keep their long paths)
lint: install
	$(PIP) install flake8 $(QUIET)
	$(PY) -m flake8 mmlldif tools tests demo

clean:
	rm -rf work_dirs data/synthfer outputs
