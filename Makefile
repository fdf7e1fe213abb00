# openvox.ucpbx — developer entry points. `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
INSTALLED := $(COLLECTIONS)/ansible_collections/openvox/ucpbx
ANSIBLE_TEST_HOME := $(BUILD)/ansible-test-home

export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH := false
export ANSIBLE_LOCAL_TEMP := $(BUILD)/ansible-tmp
export ANSIBLE_HOME := $(BUILD)/ansible-home
export ANSIBLE_NOCOLOR := 1
export ANSIBLE_FORCE_COLOR := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help venv collection demo test unit emulator-test integration resilience sanity lint changelog clean release package-test ee docs docs-lint compat emulator-dist

help:
	@echo "make demo   - run playbooks/demo.yml against a local PBX emulator"
	@echo "make test   - every check: unit, docs, emulator, integration, ansible-test sanity, ansible-lint"
	@echo "make release - build the collection tarball openvox-ucpbx-<version>.tar.gz in .build/release/"
	@echo "make ee     - the execution environment's build context, with that tarball, in .build/ee/context/"
	@echo "make docs   - build the docs site (plugins, role, docs/*.md guides) in .build/docsite/build/html/"
	@echo "make emulator-dist - build the PBX emulator wheel ucpbx_emulator-<version>-py3-none-any.whl in .build/dist/"
	@echo "make compat - unit tests and a playbook smoke run on the oldest (and, given Python >= 3.12, the newest) ansible-core"
	@echo "PYTEST_ARGS='-k name' narrows make unit / emulator-test / integration / resilience / playbooks"

venv: $(VENV)/.installed $(VENV)/.emulator

$(VENV)/.installed: requirements.txt requirements-dev.txt tests/emulator/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

# The emulator is installed as a package (it is independent of the collection); reinstall it
# whenever its sources change so tests never run an old copy.
EMULATOR_SOURCES := $(shell find tests/emulator/ucpbx_emulator tests/emulator/pyproject.toml -type f -not -name '*.pyc')
$(VENV)/.emulator: $(VENV)/.installed $(EMULATOR_SOURCES)
	rm -rf tests/emulator/build
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps ./tests/emulator
	rm -rf tests/emulator/build
	touch $@

# The collection as Ansible loads it: a copy under an ansible_collections tree.
collection: venv
	rm -rf $(INSTALLED)
	mkdir -p $(INSTALLED)
	tar -c --exclude=./.venv --exclude=./.build --exclude=./.git --exclude='*.egg-info' \
	    --exclude=__pycache__ --exclude=.pytest_cache --exclude=./tests/output --exclude='*.tar.gz' \
	    --exclude=./tests/emulator/build . \
	  | tar -x -C $(INSTALLED)
	# ansible-test lists a collection's files through git; the copy gets a repository of its own
	# so the enclosing checkout's .gitignore (which hides .build) does not hide it.
	git -C $(INSTALLED) init --quiet

demo: collection
	ANSIBLE_CALLBACK_RESULT_FORMAT=yaml tests/tools/with-emulator $(BIN)/ansible-playbook -i playbooks/inventory/demo.yml playbooks/demo.yml --diff

test: unit docs-lint docs units-ansible-test emulator-test integration compat resilience sanity lint molecule playbooks package-test
	@echo "make test: every check passed"

unit: collection
	cd $(INSTALLED) && $(BIN)/python -m pytest -p no:cacheprovider -q tests/unit $(PYTEST_ARGS)

emulator-test: venv
	$(BIN)/python -m pytest -p no:cacheprovider -q tests/emulator/tests $(PYTEST_ARGS)

integration: collection
	cd $(INSTALLED) && $(BIN)/python -m pytest -p no:cacheprovider -q tests/integration $(PYTEST_ARGS)

# The role and the modules under injected faults, killed plays, token expiry and refused logins.
resilience: collection
	cd $(INSTALLED) && $(BIN)/python -m pytest -p no:cacheprovider -q tests/resilience $(PYTEST_ARGS)

# ansible-test fetches a pip bootstrap script from outside the package registries; give it one
# from its cache that uses the interpreter's own ensurepip instead (2.19 asks for pip 24.2, 2.16 for 23.1.2).
GET_PIP := $(ANSIBLE_TEST_HOME)/.ansible/test/cache/get_pip_24_2.py $(ANSIBLE_TEST_HOME)/.ansible/test/cache/get_pip_23_1_2.py
$(GET_PIP):
	mkdir -p $(dir $@)
	printf '%s\n' \
	  'import subprocess, sys' \
	  'subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])' \
	  'args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]' \
	  'subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args)' > $@

# The oldest ansible-core that meta/runtime.yml admits (requires_ansible), in a venv of its own for sanity.
ANSIBLE_CORE_OLDEST := 2.16.19
VENV_OLDEST := $(BUILD)/venv-2.16
$(VENV_OLDEST)/.installed: Makefile
	test -x $(VENV_OLDEST)/bin/python || $(PYTHON) -m venv $(VENV_OLDEST)
	$(VENV_OLDEST)/bin/python -m pip install --quiet ansible-core==$(ANSIBLE_CORE_OLDEST)
	touch $@

# Sanity with the newest (the development venv) and the oldest supported ansible-core, no ignores.
sanity: collection $(GET_PIP) $(VENV_OLDEST)/.installed
	cd $(INSTALLED) && HOME=$(ANSIBLE_TEST_HOME) $(BIN)/ansible-test sanity --requirements --python 3.11 --color no
	cd $(INSTALLED) && rm -rf tests/output && HOME=$(ANSIBLE_TEST_HOME) PATH=$(VENV_OLDEST)/bin:$$PATH \
	  $(VENV_OLDEST)/bin/ansible-test sanity --requirements --python 3.11 --color no

# The unit tests as ansible-test runs them: each test in a forked process, in parallel, in a venv of
# its own with tests/unit/requirements.txt. (Tests that start emulators live in tests/integration.)
units-ansible-test: collection $(GET_PIP)
	cd $(INSTALLED) && HOME=$(ANSIBLE_TEST_HOME) $(BIN)/ansible-test units --venv --requirements --python 3.11 --color no $(ANSIBLE_TEST_ARGS)

lint: collection
	cd $(INSTALLED) && $(BIN)/ansible-lint --profile production

changelog: venv
	$(BIN)/antsibull-changelog lint

# The docs site's guides are docs/*.md (listed in docs/docsite/extra-docs.yml), written as RST into the
# collection copy only while antsibull-docs reads them, so the copy stays what the checkout holds.
DOCSITE_RST := $(INSTALLED)/docs/docsite/rst

# The plugins' and the role's documentation, the guides and the references between them, as the
# docs site needs them.
docs-lint: collection
	$(BIN)/python tests/tools/docsite_rst.py $(INSTALLED)
	cd $(INSTALLED) && $(BIN)/python $(CURDIR)/tests/tools/run_antsibull_docs.py lint-collection-docs --plugin-docs --check-extra-docs-refs \
	  --validate-collection-refs all --disallow-unknown-collection-refs .
	rm -rf $(DOCSITE_RST)

DOCSITE := $(BUILD)/docsite
docs: collection
	rm -rf $(DOCSITE)
	mkdir -m 700 -p $(DOCSITE)
	$(BIN)/python tests/tools/docsite_rst.py $(INSTALLED)
	$(BIN)/python tests/tools/run_antsibull_docs.py sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir $(DOCSITE) \
	  --project openvox.ucpbx --title openvox.ucpbx --copyright "openvox.ucpbx contributors" openvox.ucpbx
	cat docs/docsite/offline-conf.py >> $(DOCSITE)/conf.py
	$(DOCSITE)/build.sh
	rm -rf $(DOCSITE_RST)
	@echo "docs site: $(DOCSITE)/build/html/index.html"

clean:
	rm -rf $(BUILD) $(VENV)

.PHONY: molecule playbooks units-ansible-test chromium

# Debian's chromium package, installed once (10-15 s: 25 packages, 124 MB) on a machine without it;
# CI machines are fresh and run as root.
chromium:
	command -v chromium >/dev/null || { \
	  if test "$$(id -u)" = 0; then as_root=env; elif sudo -n true 2>/dev/null; then as_root="sudo -n env"; else \
	    echo "make playbooks needs chromium: run apt-get install chromium as root"; exit 1; fi; \
	  $$as_root apt-get -o DPkg::Lock::Timeout=300 update -q \
	  && $$as_root DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
	    --no-install-recommends chromium; }

# The molecule scenario (extensions/molecule/default) exactly as a developer runs it from a checkout:
# it installs the collection from here, starts and stops its own emulator.
molecule: venv
	cd extensions && $(BIN)/molecule test

# playbooks/site.yml, playbooks/export.yml, playbooks/report.yml and the pbx_config role, run for real
# against emulators; headless Chromium renders the page report.yml writes.
playbooks: collection chromium
	cd $(INSTALLED) && $(BIN)/python -m pytest -p no:cacheprovider -q tests/playbooks $(PYTEST_ARGS)

# The release tarball, built by ansible-galaxy from this checkout (build_ignore in galaxy.yml keeps
# development files out; package-test checks the list).
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
RELEASE := $(BUILD)/release/openvox-ucpbx-$(VERSION).tar.gz
release: venv
	rm -f $(RELEASE)
	$(BIN)/ansible-galaxy collection build --force --output-path $(BUILD)/release .
	@echo "built $(RELEASE)"

# The execution environment's build context (execution-environment.yml), holding the release tarball
# under the unversioned name that file's additional_build_files gives, so nothing comes from Galaxy.
EE := $(BUILD)/ee
ee: release
	rm -rf $(EE)
	mkdir -p $(EE)
	cp $(RELEASE) $(EE)/openvox-ucpbx.tar.gz
	$(BIN)/ansible-builder create --file execution-environment.yml --context $(EE)/context --output-filename Containerfile
	@echo "build the image with: podman build -t ucpbx-ee .build/ee/context"

# The emulator wheel's name (used as a prerequisite below, so set before any rule names it).
EMULATOR_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' tests/emulator/pyproject.toml)
EMULATOR_WHEEL := $(BUILD)/dist/ucpbx_emulator-$(EMULATOR_VERSION)-py3-none-any.whl

# What a user of the tarball does: install it into a fresh collections path, run the README's
# playbook and playbooks/site.yml from it against the emulator (also through ansible-runner with the
# AWX credential type's environment), check it with galaxy-importer, and create the execution
# environment's build context; and the emulator wheel, installed alone and run as a user's CI does.
package-test: release $(EMULATOR_WHEEL)
	$(BIN)/python -m pytest -p no:cacheprovider -q tests/packaging --tarball $(RELEASE) --emulator-wheel $(EMULATOR_WHEEL) \
	  $(PYTEST_ARGS)

# The emulator as a package of its own, for users who test their fleet repository in their CI
# (tests/emulator/README.md, docs/examples/ci-with-emulator/).
emulator-dist: $(EMULATOR_WHEEL)
$(EMULATOR_WHEEL): $(VENV)/.installed $(EMULATOR_SOURCES) tests/emulator/README.md
	rm -rf tests/emulator/build $(BUILD)/dist
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(BUILD)/dist ./tests/emulator
	rm -rf tests/emulator/build tests/emulator/*.egg-info
	@echo "built $@"

# What the unit tests and the smoke run import besides ansible-core, at the versions requirements-dev.txt pins.
COMPAT_PACKAGES := requests jsonschema pytest markdown-it-py aiohttp
$(VENV_OLDEST)/.compat: $(VENV_OLDEST)/.installed requirements-dev.txt $(EMULATOR_WHEEL)
	$(VENV_OLDEST)/bin/python -m pip install --quiet -c requirements-dev.txt $(COMPAT_PACKAGES)
	$(VENV_OLDEST)/bin/python -m pip install --quiet --force-reinstall --no-deps $(EMULATOR_WHEEL)
	touch $@

# The newest ansible-core needs Python >= 3.12. The first python3.13 / python3.12 that actually runs
# is used: on PATH (a pyenv shim of a version that is not selected does not run), else one that pyenv
# installed; PYTHON_NEWEST=... names one explicitly.
ANSIBLE_CORE_NEWEST := 2.21.5
VENV_NEWEST := $(BUILD)/venv-newest
ifeq ($(origin PYTHON_NEWEST),undefined)
PYTHON_NEWEST := $(shell for p in python3.13 python3.12 $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[23]*/bin/python3 2>/dev/null | sort -rV); do $$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
endif
$(VENV_NEWEST)/.compat: Makefile requirements-dev.txt $(EMULATOR_WHEEL)
	rm -rf $(VENV_NEWEST)
	$(PYTHON_NEWEST) -m venv $(VENV_NEWEST)
	$(VENV_NEWEST)/bin/python -m pip install --quiet ansible-core==$(ANSIBLE_CORE_NEWEST)
	$(VENV_NEWEST)/bin/python -m pip install --quiet -c requirements-dev.txt $(COMPAT_PACKAGES)
	$(VENV_NEWEST)/bin/python -m pip install --quiet --no-deps $(EMULATOR_WHEEL)
	touch $@

# The unit tests and the smoke run (tests/integration/test_core_smoke.py) on the oldest ansible-core
# that meta/runtime.yml admits and on the newest release; make unit and make integration cover the
# development one (requirements-dev.txt).
# Two pytest runs: the unit and integration suites each have a conftest module of that name.
COMPAT_NEWEST := $(if $(PYTHON_NEWEST),$(VENV_NEWEST)/.compat)
compat: collection $(VENV_OLDEST)/.compat $(COMPAT_NEWEST)
	cd $(INSTALLED) && $(VENV_OLDEST)/bin/python -m pytest -p no:cacheprovider -q tests/unit $(PYTEST_ARGS)
	cd $(INSTALLED) && $(VENV_OLDEST)/bin/python -m pytest -p no:cacheprovider -q tests/integration/test_core_smoke.py
ifneq ($(PYTHON_NEWEST),)
	cd $(INSTALLED) && $(VENV_NEWEST)/bin/python -m pytest -p no:cacheprovider -q tests/unit $(PYTEST_ARGS)
	cd $(INSTALLED) && $(VENV_NEWEST)/bin/python -m pytest -p no:cacheprovider -q tests/integration/test_core_smoke.py
else
	@echo "compat: SKIPPED ansible-core $(ANSIBLE_CORE_NEWEST): it needs Python >= 3.12 and no python3.13 or python3.12 on PATH or under pyenv runs here (set PYTHON_NEWEST=/path/to/python3.12+)"
endif
