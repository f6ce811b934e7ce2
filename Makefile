# falco: top-level entry points. `make test` is what CI runs (via .ci/run).
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: all build test
all: build

build:
	$(CARGO) build --release --workspace

# Every test: unit and integration tests, the sysdig differential tests, and the VM tests.
test: build
	$(CARGO) test --release --workspace

# ---- probe and VM rig (tests/vm) ----
