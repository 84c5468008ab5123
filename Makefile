# Chartkeep: two commands for people (`make run`, `make test`), plus a few for developers.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
KEYRING := scripts/with-private-keyring
# Tests and the binaries the journeys run carry the named failpoints (inactive unless a test arms
# one) and the admin tool's developer commands (`seed`, `bench`); `make package` builds without
# either.
# The vault's fuzzing entry points too: the tests turn them on, so the binaries the journeys run
# share the tests' build of the core crates instead of a second one.
TEST_FEATURES := --features chartkeep-clinic/failpoints,chartkeep-admin/bench,chartkeep-vault/fuzzing

.PHONY: help deps ui run test lint format-check rust-tests ui-tests generate package package-check package-windows test-windows clean-demo bench-crash bench-startup fuzz

help:
	@echo "make run      install what is missing, build, and start the app on a demo practice"
	@echo "make test     install what is missing and run every check and test"
	@echo "make package  build the Linux installer (.deb)"
	@echo "make package-check  prove the .deb in a fresh Debian 12, from install to uninstall (root)"
	@echo "make package-windows  cross-build the Windows installer (NSIS .exe) and try it under Wine"
	@echo "make test-windows     cross-build the core crates' tests for Windows and run them under Wine"
	@echo "make bench-startup    start-up time and memory beside a hello-world Tauri window"

deps:
	@scripts/install-deps

ui: deps
	cd ui && npm run build

run: ui
	$(CARGO) build -p chartkeep -p chartkeep-admin --features chartkeep-admin/bench
	scripts/run-demo

# `make lint` for a developer; `make test` lints while it builds (below).
lint: ui format-check
	$(CARGO) clippy --workspace --all-targets $(TEST_FEATURES) -- -D warnings

format-check:
	$(CARGO) fmt --all --check

# The tests' build is also the lint: clippy-driver stands in for rustc on the workspace's own
# crates (RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` runs it over `cargo check`, with `-D
# warnings` passed the way `cargo clippy` passes it), so the ~650 dependencies are compiled once
# rather than also checked once more: a cold `cargo clippy` took 16 minutes here. `--all-targets`
# lints what `cargo clippy --all-targets` lints and builds the binaries the journeys run.
CLIPPY_DRIVER = $$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
WITH_CLIPPY = RUSTC_WORKSPACE_WRAPPER="$(CLIPPY_DRIVER)" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

ui-tests: deps
	cd ui && npm run check && npm test

# The release app too, built as shipped (no test features): one journey drives it with the
# keyboard, as WebDriver cannot drive its incognito webview (501 s cold here). `--no-fail-fast`:
# one red test binary does not hide the others' results.
rust-tests: ui
	@test -x "$(CLIPPY_DRIVER)" || { echo "clippy-driver is missing: rustup component add clippy" >&2; exit 1; }
	$(WITH_CLIPPY) $(CARGO) build --workspace --all-targets $(TEST_FEATURES)
	$(CARGO) build --release -p chartkeep
	$(WITH_CLIPPY) $(KEYRING) $(CARGO) test --workspace --no-fail-fast $(TEST_FEATURES)

test: deps
	$(MAKE) format-check ui-tests rust-tests

# Fuzzes every parser of outside input for FUZZ_SECONDS each (cargo-fuzz, installed on first use;
# `make test` runs each target for seconds only).
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

# Rewrites ui/src/generated/bindings.ts from the Rust DTOs.
generate:
	UPDATE_GENERATED=1 $(CARGO) test -p chartkeep generated_typescript_bindings_are_up_to_date

# The Tauri CLI comes prebuilt with the UI's npm packages (@tauri-apps/cli), so packaging needs
# no ten-minute `cargo install tauri-cli`.
# The package carries the admin tool too (scripted backups, verification, restore).
# The admin binary is taken from wherever cargo builds (CARGO_TARGET_DIR when set), so a separate
# target folder packages what it built.
PACKAGE_TARGET_DIR = $(abspath $(or $(CARGO_TARGET_DIR),target))
package: ui
	$(CARGO) build --release -p chartkeep-admin
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb \
		--config '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/chartkeep-admin":"$(PACKAGE_TARGET_DIR)/release/chartkeep-admin"}}}}}'

# Proves the .deb from a fresh Debian 12 to uninstall (as root): see scripts/package-check.
package-check:
	scripts/package-check

# Windows, cross-built on Debian with MinGW-w64 and NSIS, tried under Wine (no Windows here).
# Neither is part of `make test`; both install what they need (scripts/install-windows-deps).
package-windows: ui
	scripts/package-windows

test-windows:
	scripts/test-windows

clean-demo:
	rm -rf .demo-data

# The torture run: a writer killed 1,000 times at random failpoints and instants (release build).
bench-crash: deps
	$(CARGO) build --release -p chartkeep-admin $(TEST_FEATURES)
	$(KEYRING) $${CARGO_TARGET_DIR:-target}/release/chartkeep-admin bench crash --runs $${RUNS:-1000}

# Start-up time and memory beside a hello-world Tauri window (bench/hello-world, the same Tauri
# and WebKitGTK): release builds of both, launched alternately under Xvfb through WebKitWebDriver.
bench-startup: ui
	$(CARGO) build --release -p chartkeep-admin $(TEST_FEATURES)
	$(KEYRING) $${CARGO_TARGET_DIR:-target}/release/chartkeep-admin bench startup --runs $${RUNS:-5}
