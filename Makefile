# Suffrage: `make demo` runs a whole election on the embedded default; `make test` runs every check.
# Both set everything up themselves from a clean clone (Python 3.11+, a Rust toolchain, Node).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.suffrage-installed
NATIVE := $(wildcard native/src/*.rs) native/Cargo.toml native/Cargo.lock

export SUFFRAGE_ELECTION_DATA ?= $(abspath ../shared/data/elections)

.PHONY: setup booth node-check rust-check rustcheck screenshots test lint typecheck archcheck pytest demo bench clean

setup: $(STAMP) booth

$(PY):
	$(PYTHON) -m venv $(VENV)

# Debian packages the letters need: Pango for WeasyPrint (PDF), HarfBuzz's subsetter, and
# fonts for every UN language (Noto covers Arabic; Noto CJK covers Chinese); and the
# PostgreSQL server the storage tests start themselves; and Debian's Chromium (/usr/bin/chromium)
# that the browser tests (tests/browser) drive through Playwright (no downloaded browser).
SYSTEM_PACKAGES := postgresql libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk fonts-dejavu-core chromium

# The kernel (native/) needs Rust $(RUST_MIN) or later with rustfmt and clippy: its Cargo.lock
# is version 4 and its code and dependencies need 1.87 (native/Cargo.toml, rust-version).
# Debian 12's cargo (1.63) is too old, so a missing or older toolchain is replaced by rustup's
# stable one, installed non-interactively into ~/.cargo (put first on PATH below).
RUST_MIN := 1.87
export PATH := $(HOME)/.cargo/bin:$(PATH)

rust-check:
	@version=$$(cargo --version 2>/dev/null | cut -d' ' -f2); \
	if [ -n "$$version" ] && printf '%s\n%s\n' $(RUST_MIN) "$$version" | sort -V -C; then exit 0; fi; \
	echo "Rust $(RUST_MIN) or later is needed (found: $${version:-no cargo}): installing rustup's stable toolchain"; \
	if command -v rustup >/dev/null; then \
	  rustup toolchain install stable --profile minimal -c rustfmt,clippy && rustup default stable; \
	else \
	  command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl ca-certificates; }; \
	  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
	    | sh -s -- -y --no-modify-path --profile minimal -c rustfmt,clippy; \
	fi

# The package and its dev extras, the kernel built by maturin in release mode.
$(STAMP): $(PY) pyproject.toml $(NATIVE) | rust-check
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

# The booth (web/booth): JavaScript from npm (the lockfile's exact versions), bundled by
# esbuild. @noble 2.x needs Node.js 20.19 or later (Debian 12's own nodejs is 18).
BOOTH       := web/booth
BOOTH_STAMP := $(BOOTH)/node_modules/.suffrage-installed
NODE_MIN    := 20.19

node-check:
	@command -v node >/dev/null || { echo "Node.js $(NODE_MIN) or later is needed (see the README): node not found"; exit 1; }
	@node $(BOOTH)/tools/check-node.cjs $(NODE_MIN)

$(BOOTH_STAMP): $(BOOTH)/package.json $(BOOTH)/package-lock.json | node-check
	cd $(BOOTH) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

BOOTH_SOURCES := $(shell find $(BOOTH)/src -type f) $(BOOTH)/build.mjs
BOOTH_BUILT   := src/suffrage/web/static/booth/booth.js

$(BOOTH_BUILT): $(BOOTH_STAMP) $(BOOTH_SOURCES)
	cd $(BOOTH) && node build.mjs

booth: node-check $(BOOTH_STAMP) $(BOOTH_BUILT)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench tools
	$(VENV)/bin/ruff format --check src tests bench tools

typecheck: $(STAMP)
	$(VENV)/bin/mypy

archcheck: $(STAMP)
	$(VENV)/bin/lint-imports

# One worker per core (CI has 2), each test sent to the next free worker (--dist load).
# Not loadscope or loadfile: they schedule by node id, and schemathesis gives all of its
# generated cases one node id, so all but one of them would silently not run.
pytest: $(STAMP) booth
	$(VENV)/bin/pytest -n auto --dist load

# The kernel held to the Python code's standards: formatting, clippy with warnings as errors,
# and its unit tests (RFC 9496 vectors, the batch calls). The test binary embeds the venv's
# Python (no pyo3/extension-module outside maturin), so it is pointed at that libpython.
CARGO_ENV = PYO3_PYTHON=$(abspath $(PY)) \
	LD_LIBRARY_PATH=$$($(abspath $(PY)) -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')

rustcheck: $(STAMP)
	cd native && cargo fmt --check
	cd native && $(CARGO_ENV) cargo clippy --locked --all-targets -- -D warnings
	cd native && $(CARGO_ENV) cargo test --locked

test: lint typecheck archcheck rustcheck pytest

demo: $(STAMP)
	$(VENV)/bin/suffrage demo --voters $(or $(VOTERS),1000) --out $(or $(OUT),demo-record) --force

bench: $(STAMP) booth
	$(PY) bench/core.py
	$(PY) bench/verify.py --ballots $(or $(VERIFY_BALLOTS),1000)
	$(PY) bench/compare_electionguard.py
	$(PY) bench/server.py
	$(PY) bench/booth.py

# The booth's screens as voters see them, the results page and the count charts (the test
# suite saves them into tests/browser/screenshots/, not committed); the README shows these few.
SHOWN := booth-en-contest-2 booth-ar-contest-1 booth-en-5-encrypted booth-en-7-checked booth-ar-6-receipt booth-ar-phone-200 \
	booth-en-ranking booth-ar-ranking-phone results-en-desktop-contest results-ar-phone-contest \
	chart-irv-burlington chart-stv-scotland
screenshots: $(STAMP) booth
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/browser/test_booth.py tests/browser/test_booth_ranked.py tests/browser/test_results_report.py \
		tests/browser/test_charts.py
	mkdir -p docs/screenshots
	for name in $(SHOWN); do cp tests/browser/screenshots/$$name.png docs/screenshots/; done

clean:
	rm -rf $(VENV) native/target build dist src/suffrage/_native*.so $(BOOTH)/node_modules src/suffrage/web/static/booth
