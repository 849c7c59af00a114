# Two commands: `make` sets up and builds everything; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
TR     := $(BIN)/trackrecord
# The stamp names the Python the venv was made with: `make PYTHON=python3.13` rebuilds it.
PYVER  := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
STAMP  := $(VENV)/.installed-$(PYVER)

.PHONY: all setup build fit score site check schemas browser test bench lock clean
all: site

# The virtual environment is rebuilt whenever the lock file changes or another Python is asked for.
# One lock serves Python 3.11, 3.12 and 3.13: every pinned release has wheels for each, and the
# lock holds the hashes of all of them (tests/e2e/test_wheel.py installs it on the oldest and newest).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(STAMP)

check: setup
	$(TR) check

build: setup
	$(TR) check
	$(TR) build

# Trend models: unchanged series come from build/cache (a warm run takes about a second).
fit: build
	$(TR) fit

# Scores, the calibration model and the trend baseline (cached like the fits).
score: fit
	$(TR) score

# The website, generated from the database into build/site/ (chart images cached in build/cache/site/).
site: score
	$(TR) site

schemas: setup
	$(TR) schemas

# The browser tests (tests/browser/) drive Debian's chromium, installed here when missing: as root,
# or through sudo when it needs no password. TRACKRECORD_SKIP_BROWSER=1 skips them and this.
CHROMIUM    := /usr/bin/chromium
APT_INSTALL := apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium

browser:
	@if [ "$$TRACKRECORD_SKIP_BROWSER" = 1 ] || [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then $(APT_INSTALL); \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n sh -c '$(APT_INSTALL)'; \
	else echo "make test needs chromium at $(CHROMIUM) for the browser tests. Install it with" \
	  "'sudo apt-get install chromium' (Debian), or set TRACKRECORD_SKIP_BROWSER=1 to skip them." >&2; exit 1; fi

test: setup browser
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/bench_check_build.py
	$(BIN)/python benchmarks/bench_fit.py
	$(BIN)/python benchmarks/bench_score.py
	$(BIN)/python benchmarks/bench_site.py

# Re-resolve requirements.in into requirements.lock (needs network; commit the result).
lock:
	$(PYTHON) -m venv build/lockenv
	build/lockenv/bin/pip install --quiet pip-tools
	build/lockenv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock requirements.in

clean:
	rm -rf build
