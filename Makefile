# falco: top-level entry points. `make run` is live detection; `make test` is what CI runs (via .ci/run).
SHELL := /bin/bash
# rustup installs into ~/.cargo/bin, which a fresh `sudo make` does not have on PATH.
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo

.PHONY: all deps build lint lint-probe fmt-probe test run
all: build

# Host packages (bookworm) and the Rust toolchain; idempotent.
deps:
	scripts/deps.sh

build:
	$(CARGO) build --release --workspace

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings
	$(MAKE) lint-probe

# The kernel modules, which cargo does not build: rustfmt in the kernel's style, then clippy and the
# kernel's lints (clippy::undocumented_unsafe_blocks among them) with warnings denied, in the VM rig's
# chroot against the test kernel (root; tests/vm/modules.sh --lint). abi.rs is formatted with the
# workspace; every other file is formatted alone (from stdin), so that abi.rs is left to cargo fmt.
PROBE_RS := $(filter-out probe/abi.rs,$(wildcard probe/*.rs probe/*/*.rs tests/vm/floor/*.rs))
lint-probe:
	@for f in $(PROBE_RS); do \
	  rustfmt --edition 2021 <$$f | diff -u $$f - || { echo "$$f is not formatted: make fmt-probe"; exit 1; }; \
	done
	tests/vm/modules.sh --lint

fmt-probe:
	@for f in $(PROBE_RS); do rustfmt --edition 2021 <$$f >$$f.fmt && mv $$f.fmt $$f; done

# Live detection with the default rules, on this host with the eBPF driver when its kernel has BTF,
# else with the probe when it can load it, else in the test VM with a demo of the behaviours the
# rules catch (scripts/run.sh says which driver, and why).
run: deps
	CARGO=$(CARGO) scripts/run.sh

# Every test: lint, unit and integration tests (with the sysdig differential tests), the eBPF driver
# on this host's kernel, the container runtimes, then in the VM the probe, live detection and the
# packages, then the fuzz targets for a bounded time.
test: deps
	$(CARGO) build --release --workspace
	$(MAKE) lint
	$(CARGO) test --release --workspace
	$(MAKE) ebpf-test ebpf-live-test
	$(MAKE) container-test
	$(MAKE) vm-test vm-live-test packaging-test vm-packaging-test
	$(MAKE) fuzz

# Every fuzz target for FUZZ_SECONDS each, from the seeds in fuzz/seeds (docs/fuzzing.md).
.PHONY: fuzz
FUZZ_SECONDS ?= 45
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

# ---- eBPF driver (probe-ebpf/, engine/src/capture/ebpf/; docs/modern-ebpf.md) ----
# On this host's kernel (root, BTF). The programs are compiled by engine/build.rs with clang.
.PHONY: ebpf-test ebpf-live-test bench-ebpf bpf-abi-header

# Acceptance, a stalled consumer, 20 load/storm/unload cycles with nothing left loaded.
ebpf-test:
	CARGO=$(CARGO) tests/ebpf/test.sh 20

# Live detection on this host with the default rules: baseline, behaviours, -w replayed with -e.
ebpf-live-test:
	CARGO=$(CARGO) tests/ebpf/live.sh

# Added CPU time per syscall (pinned, thread CPU time) and falco's events/s under a storm.
bench-ebpf:
	CARGO=$(CARGO) tests/ebpf/bench.sh

# Rewrites probe-ebpf/abi.h from probe/abi.rs (a unit test fails while it is stale).
bpf-abi-header:
	FALCO_UPDATE_ABI_HEADER=1 $(CARGO) test --release -p falco-engine --lib abi_header

# ---- containers
# Container metadata against real podman, docker and containerd daemons, started on sockets of
# their own for the run (tests/containers/run.sh): the runtime clients, and falco end to end.
.PHONY: container-test
container-test:
	CARGO=$(CARGO) tests/containers/run.sh

# ---- default rules (rules/, docs/rules.md) ----
# The default rules' tests (rules/tests/*.test.yaml) with `falco test`, on captures the generator
# writes for the run (cargo test runs the same through falco/tests/rule_tests.rs).
.PHONY: rules-test
rules-test:
	$(CARGO) build --release -p falco -p falco-gen
	@d=$$(mktemp -d /tmp/falco-rules-test.XXXXXX); \
	target/release/falco-gen --scenario behaviours $$d/behaviours.scap \
	  && target/release/falco-gen --events 200000 --seed 7 $$d/workload.scap \
	  && target/release/falco test --capture-dir $$d rules/tests/*.test.yaml; \
	rc=$$?; rm -rf $$d; exit $$rc

# ---- probe and VM rig (tests/vm) ----
# The kernel module and the guest rig need root (chroot, mounts, 9p passthrough). Slow artefacts (the
# trixie chroot, the test kernel) are cached under /var/cache/falco-vm keyed by their inputs.
.PHONY: probe vm-test vm-live-test soak bench-probe

# Build probe/ (falco_probe.ko) against the cached test kernel: target/probe/falco_probe.ko.
probe:
	tests/vm/modules.sh

# The rig's bookkeeping on an empty cache (seconds, no guest); the probe's lint build failing on an
# undocumented unsafe block and on a layout mismatch with helpers.h; in the VM: acceptance, a stalled
# reader, and 20 insmod/storm/rmmod cycles; then the rig's retry. tests/vm/README.md says what runs where.
vm-test:
	tests/vm/rig-test.sh
	tests/vm/lint-test.sh
	CARGO=$(CARGO) tests/vm/probe-test.sh 20
	tests/vm/retry-test.sh

# Live detection: falco on the probe with the default rules; a benign baseline, every behaviour the
# rules cover, -w replayed with falco -e and read by sysdig, a 2-minute storm with RSS sampling.
# Results and checks: tests/vm/live-test.sh, tests/vm/check_live.py.
vm-live-test:
	CARGO=$(CARGO) tests/vm/live-test.sh test 120 60

# The probe with 100 cycles, and the live storm for 10 minutes.
soak:
	CARGO=$(CARGO) tests/vm/probe-test.sh 100
	CARGO=$(CARGO) tests/vm/live-test.sh test 600 60

# Syscall microbenchmark in the VM under -icount shift=0 (see docs/performance.md).
bench-probe:
	CARGO=$(CARGO) tests/vm/bench-probe.sh

# ---- engine benchmarks ----
.PHONY: bench-decode gen-capture

# falco inspect vs sysdig -r on a 5 M-event synthetic capture (see docs/performance.md).
bench-decode:
	$(CARGO) build --release -p falco -p falco-gen
	tests/bench/decode.sh

# Audit events posted to the k8s_audit webhook: events/s against a sink and against no rules, peak RSS.
.PHONY: bench-k8s-audit
bench-k8s-audit:
	CARGO=$(CARGO) tests/bench/k8s_audit.sh

# A synthetic capture: make gen-capture OUT=/tmp/x.scap EVENTS=1000000
gen-capture:
	$(CARGO) build --release -p falco-gen
	target/release/falco-gen --events $${EVENTS:-1000000} $${OUT:-/tmp/falco-gen.scap}

# ---- packaging
# falco-probe-loader, the deb/rpm (DKMS, systemd), the container images and the Kubernetes manifests
# and Helm chart (issue 7; docs/install.md). Host tools: dpkg-dev fakeroot lintian rpm (bookworm).
.PHONY: packaging-bins deb rpm images chart packaging-test vm-packaging-test

packaging-bins:
	$(CARGO) build --release -p falco -p falco-probe-loader

# target/packaging/falco_VERSION-1_amd64.deb, lintian-checked.
deb: packaging-bins
	packaging/deb/build.sh

# target/packaging/rpm/falco-VERSION-1.x86_64.rpm.
rpm: packaging-bins
	packaging/rpm/build.sh

# Build contexts in target/images/{falco,falco-driver-loader,falco-no-driver}; built when docker runs.
images: packaging-bins
	packaging/docker/build.sh

# target/chart/falco-VERSION.tgz, after rendering the templates once.
chart:
	$(CARGO) build --release -p helm-render
	packaging/helm/package.sh

# Loader against fake kernel trees, dkms.conf, deb/rpm/images/chart contents, Kubernetes schemas.
packaging-test:
	CARGO=$(CARGO) tests/packaging/run.sh

# In the VM: dpkg -i (DKMS build), falco.service's commands, live detection, container-mode loader, dpkg -r.
vm-packaging-test: deb
	tests/packaging/vm-test.sh

# ---- rules
# Rule matching on the large synthetic capture: 0 rules, the default rules, 200 generated rules;
# events/s and the overhead ratio against the 0-rule replay (see docs/performance.md).
.PHONY: bench-rules
BENCH_RULES_CAPTURE ?= target/bench/rules-5M.scap

bench-rules:
	$(CARGO) build --release -p falco-gen
	$(CARGO) build --release -p falco-engine --example bench_rules
	@mkdir -p $(dir $(BENCH_RULES_CAPTURE))
	@test -s $(BENCH_RULES_CAPTURE) || target/release/falco-gen --events $${EVENTS:-5000000} $(BENCH_RULES_CAPTURE)
	target/release/examples/bench_rules $(BENCH_RULES_CAPTURE) rules/falco_rules.yaml

# Replay: a 1 M-event capture joined from the shipped traces and a 2 M-event generator capture, with
# no rules, the default rules and falco-rules 3.2.0; events/s, CPU, peak RSS, callgrind instructions
# per event, against `sysdig -r CAPTURE FILTER` (see docs/performance.md).
.PHONY: bench-replay
bench-replay:
	$(CARGO) build --release -p falco -p falco-gen
	tests/bench/replay.sh
