#!/usr/bin/env bash
# `make packaging-test`: everything of issue 7 that needs no VM.
#   - falco-probe-loader against fake kernel trees (loader-test.sh)
#   - dkms.conf agrees with probe/ and the workspace version
#   - make deb (lintian inside), make rpm, make images, make chart, with their contents checked
#   - the DaemonSet manifest and the rendered Helm chart validate against the Kubernetes schemas
#     (kubernetes-validate from PyPI, pinned in requirements.txt, in a venv cached outside the repo)
# The VM half (dpkg -i / DKMS / falco.service / container mode) is tests/packaging/vm-test.sh.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/tests/packaging"
CARGO=${CARGO:-cargo}
CACHE=${FALCO_PACKAGING_CACHE:-/var/cache/falco-packaging}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
# t NAME CMD...: a check that passes when CMD succeeds.
t() { if "${@:2}" >"$T/out" 2>&1; then ok "$1"; else bad "$1"; sed 's/^/     | /' "$T/out" | tail -30; fi; }
die() { echo "packaging-test: error: $*" >&2; exit 1; }

# Host tools, from bookworm. On a fresh (root) CI machine they are installed here.
need=()
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v fakeroot >/dev/null || need+=(fakeroot)
command -v lintian >/dev/null || need+=(lintian)
command -v rpmbuild >/dev/null || need+=(rpm)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing host packages: ${need[*]}: apt-get install -t bookworm ${need[*]}"
  echo "installing host packages: ${need[*]}"
  { apt-get install -y -q -t bookworm --no-install-recommends "${need[@]}" \
    || { apt-get update -q && apt-get install -y -q -t bookworm --no-install-recommends "${need[@]}"; }; } >"$T/apt.log" 2>&1 \
    || { tail -20 "$T/apt.log"; die "apt-get install -t bookworm ${need[*]} failed"; }
fi

echo "== building falco, falco-probe-loader, helm-render"
(cd "$REPO" && $CARGO build --release -q -p falco -p falco-probe-loader -p helm-render) || die "cargo build failed"

echo "== falco-probe-loader"
if bash "$HERE/loader-test.sh" "$REPO/target/release/falco-probe-loader" >"$T/loader.log" 2>&1; then
  ok "loader: $(tail -1 "$T/loader.log")"
else
  bad "loader:"; grep -v '^ok ' "$T/loader.log" | sed 's/^/     | /'
fi

echo "== dkms.conf"
VERSION=$("$REPO/packaging/version.sh")
conf="$REPO/dkms.conf"
t "dkms.conf PACKAGE_NAME is falco-probe" grep -qx 'PACKAGE_NAME="falco-probe"' "$conf"
t "dkms.conf PACKAGE_VERSION is the workspace version ($VERSION)" grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$conf"
t "dkms.conf builds the module probe/Kbuild declares" grep -q "obj-m := $(sed -n 's/^BUILT_MODULE_NAME\[0\]="\(.*\)"/\1/p' "$conf").o" "$REPO/probe/Kbuild"
t "dkms.conf MAKE uses the kernel's build dir" grep -q '^MAKE\[0\]=".*\${kernel_source_dir}' "$conf"
t "dkms.conf AUTOINSTALL" grep -qx 'AUTOINSTALL="yes"' "$conf"
t "dkms.conf parses as shell (dkms sources it)" bash -n "$conf"
t "probe/Makefile takes KDIR (the MAKE line sets it)" grep -q '^KDIR ?=' "$REPO/probe/Makefile"

echo "== maintainer scripts and unit"
for s in postinst prerm postrm; do
  t "deb $s is valid sh with set -e" sh -c "sh -n '$REPO/packaging/deb/$s' && grep -qx 'set -e' '$REPO/packaging/deb/$s'"
done
unit="$REPO/packaging/systemd/falco.service"
t "falco.service ExecStartPre runs the loader" grep -qx 'ExecStartPre=/usr/bin/falco-probe-loader' "$unit"
t "falco.service ExecStart runs falco with /etc/falco/falco.yaml" grep -qx 'ExecStart=/usr/bin/falco -c /etc/falco/falco.yaml -o engine.kind=kmod' "$unit"
t "falco.service is wanted by multi-user.target" grep -qx 'WantedBy=multi-user.target' "$unit"
units="falco.service falco-kmod.service falco-kmod-inject.service falco-modern-bpf.service falco-custom.service"
for u in $units; do
  t "$u exists (Falco's unit names)" test -f "$REPO/packaging/systemd/$u"
done
for u in falco.service falco-kmod.service falco-modern-bpf.service falco-custom.service; do
  t "$u reloads with SIGHUP (ExecReload)" grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$REPO/packaging/systemd/$u"
done
t "falco-kmod.service runs the kmod engine after falco-kmod-inject.service loads the probe" sh -c "
  grep -qx 'ExecStart=/usr/bin/falco -c /etc/falco/falco.yaml -o engine.kind=kmod' '$REPO/packaging/systemd/falco-kmod.service' &&
  grep -qx 'Requires=falco-kmod-inject.service' '$REPO/packaging/systemd/falco-kmod.service' &&
  grep -qx 'ExecStart=/usr/bin/falco-probe-loader' '$REPO/packaging/systemd/falco-kmod-inject.service'"
t "falco-modern-bpf.service runs the modern_ebpf engine without the loader" sh -c "
  grep -qx 'ExecStart=/usr/bin/falco -c /etc/falco/falco.yaml -o engine.kind=modern_ebpf' '$REPO/packaging/systemd/falco-modern-bpf.service' &&
  ! grep -q probe-loader '$REPO/packaging/systemd/falco-modern-bpf.service'"
if command -v systemd-analyze >/dev/null; then
  for u in $units; do
    # systemd-analyze wants the unit's binaries to exist: point it at the staged ones.
    sed "s|/usr/bin/|$REPO/target/release/|g" "$REPO/packaging/systemd/$u" >"$T/$u"
  done
  for u in $units; do
    t "$u passes systemd-analyze verify" sh -c "cd '$T' && systemd-analyze verify '$T/$u' 2>&1 | grep -v -e 'Failed to connect' -e 'bus' | { ! grep .; }"
  done
fi

echo "== make deb"
if (cd "$REPO" && make -s deb CARGO="$CARGO") >"$T/deb.log" 2>&1; then
  ok "make deb (lintian clean: $(grep -c . "$REPO/packaging/deb/lintian-overrides" | tr -d ' ') override lines, each explained)"
  deb="$REPO/target/packaging/falco_${VERSION}-1_amd64.deb"
  dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$T/deb.files"
  for f in /usr/bin/falco /usr/bin/falco-probe-loader /etc/falco/falco.yaml /etc/falco/falco_rules.yaml \
           /etc/falco/falco_rules.local.yaml /lib/systemd/system/falco.service /lib/systemd/system/falco-kmod.service \
           /lib/systemd/system/falco-kmod-inject.service /lib/systemd/system/falco-modern-bpf.service \
           /lib/systemd/system/falco-custom.service "/usr/src/falco-probe-$VERSION/dkms.conf" \
           "/usr/src/falco-probe-$VERSION/Kbuild" "/usr/src/falco-probe-$VERSION/abi.rs" "/usr/src/falco-probe-$VERSION/main.rs"; do
    t "deb ships $f" grep -qx "$f" "$T/deb.files"
  done
  t "deb's DKMS tree carries the root dkms.conf" cmp -s "$REPO/dkms.conf" <(dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/falco-probe-$VERSION/dkms.conf")
  t "deb depends on dkms" grep -q '^Depends: dkms' <(dpkg-deb -f "$deb")
  t "deb marks /etc/falco files as conffiles" sh -c "dpkg-deb -e '$deb' '$T/ctl' && grep -qx /etc/falco/falco.yaml '$T/ctl/conffiles'"
  t "deb postinst builds with the loader" grep -q 'falco-probe-loader --compile-only --kernel-release' "$T/ctl/postinst"
  t "deb prerm removes with dkms" grep -q 'dkms remove -m falco-probe -v "\$VERSION" --all' "$T/ctl/prerm"
else
  bad "make deb:"; sed 's/^/     | /' "$T/deb.log" | tail -30
fi

echo "== make rpm"
if (cd "$REPO" && make -s rpm CARGO="$CARGO") >"$T/rpm.log" 2>&1; then
  ok "make rpm"
  rpm="$REPO/target/packaging/rpm/falco-$VERSION-1.x86_64.rpm"
  rpm -qpl "$rpm" >"$T/rpm.files" 2>/dev/null
  for f in /usr/bin/falco /usr/bin/falco-probe-loader /etc/falco/falco.yaml /etc/falco/falco_rules.yaml \
           /usr/lib/systemd/system/falco.service /usr/lib/systemd/system/falco-kmod.service \
           /usr/lib/systemd/system/falco-modern-bpf.service "/usr/src/falco-probe-$VERSION/dkms.conf"; do
    t "rpm ships $f" grep -qx "$f" "$T/rpm.files"
  done
  t "rpm requires dkms" grep -q '^dkms' <(rpm -qp --requires "$rpm" 2>/dev/null)
  t "rpm %post builds with the loader, %preun removes with dkms" sh -c \
    "rpm -qp --scripts '$rpm' 2>/dev/null | grep -q 'falco-probe-loader --compile-only' && rpm -qp --scripts '$rpm' 2>/dev/null | grep -q 'dkms remove -m falco-probe'"
  t "rpm marks /etc/falco files as config" grep -qx /etc/falco/falco.yaml <(rpm -qpc "$rpm" 2>/dev/null)
  # Its payload installs (scripts and dependencies are the VM test's and the target system's business).
  t "rpm payload installs into a scratch root" sh -c \
    "rpm --root '$T/rpmroot' --dbpath /rpmdb -i --nodeps --noscripts '$rpm' 2>/dev/null && test -x '$T/rpmroot/usr/bin/falco-probe-loader' && test -f '$T/rpmroot/usr/src/falco-probe-$VERSION/main.rs'"
else
  bad "make rpm:"; sed 's/^/     | /' "$T/rpm.log" | tail -30
fi

echo "== make images"
if (cd "$REPO" && make -s images CARGO="$CARGO") >"$T/images.log" 2>&1; then
  ok "make images"
  for name in falco falco-driver-loader falco-no-driver; do
    ctx="$REPO/target/images/$name"
    # Every COPY source must be in the context, or `docker build` fails where an engine runs.
    missing=$(sed -n 's/^COPY \(.*\) [^ ]*$/\1/p' "$ctx/Dockerfile" | tr ' ' '\n' | while read -r src; do
      [ -e "$ctx/$src" ] || echo "$src"; done)
    t "$name: every COPY source is in the build context" test -z "$missing"
    t "$name: sets HOST_ROOT=/host" grep -qx 'ENV HOST_ROOT=/host' "$ctx/Dockerfile"
    t "$name: documents the host mounts" grep -q -- '-v /dev:/host/dev' "$ctx/Dockerfile"
  done
  t "falco-driver-loader's entrypoint is the loader" grep -qx 'ENTRYPOINT \["/usr/bin/falco-probe-loader"\]' "$REPO/target/images/falco-driver-loader/Dockerfile"
  t "falco image carries the probe sources" test -f "$REPO/target/images/falco/usr/src/falco-probe-$VERSION/dkms.conf"
  t "falco entrypoint is valid sh" sh -n "$REPO/target/images/falco/entrypoint.sh"
else
  bad "make images:"; sed 's/^/     | /' "$T/images.log" | tail -30
fi

echo "== Kubernetes schemas"
req="$HERE/requirements.txt"
venv="$CACHE/venv-$(cat "$req" <(python3 --version 2>&1) | sha256sum | cut -c1-16)"
# Built in place (a venv's scripts hard-code its path), marked complete only once it works.
if [ ! -f "$venv/.ready" ]; then
  mkdir -p "$CACHE"; rm -rf "$venv"
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q --no-deps -r "$req" \
    && "$venv/bin/kubernetes-validate" --version && touch "$venv/.ready"; } >"$T/venv.log" 2>&1 \
    || { tail -20 "$T/venv.log"; die "could not install kubernetes-validate into $venv (needs PyPI; python3-venv)"; }
fi
kv() { "$venv/bin/kubernetes-validate" --strict --quiet "$@"; }
# Checks on the parsed DaemonSet (the venv has PyYAML).
ds() { "$venv/bin/python3" "$HERE/daemonset-check.py" "$@"; }
t "DaemonSet manifest validates (strict)" kv "$REPO/packaging/kubernetes/falco-daemonset.yaml"
t "modern_ebpf DaemonSet manifest validates (strict)" kv "$REPO/packaging/kubernetes/falco-daemonset-modern-ebpf.yaml"
t "modern_ebpf DaemonSet: no driver loader, no kernel headers" \
  sh -c "grep -q engine.kind=modern_ebpf '$REPO/packaging/kubernetes/falco-daemonset-modern-ebpf.yaml' && ! grep -q -e initContainers -e /usr/src -e /lib/modules '$REPO/packaging/kubernetes/falco-daemonset-modern-ebpf.yaml'"
# The validator must reject what is wrong, or a pass means nothing.
sed 's/^      serviceAccountName: falco$/      serviceAccountNme: falco/' "$REPO/packaging/kubernetes/falco-daemonset.yaml" >"$T/bad.yaml"
t "a misspelt field fails validation, naming it" sh -c "! '$venv/bin/kubernetes-validate' --strict --quiet '$T/bad.yaml' >'$T/bad.out' 2>&1 && grep -q serviceAccountNme '$T/bad.out'"
t "DaemonSet is privileged, runs the probe (engine.kind=kmod), with /healthz probes and the host mounts" sh -c "
  f='$REPO/packaging/kubernetes/falco-daemonset.yaml'
  grep -q -- '- engine.kind=kmod' \$f && grep -q 'privileged: true' \$f && grep -q 'path: /healthz' \$f && for p in /dev /proc /boot /lib/modules /usr/src /etc /run /var/run; do grep -q \"hostPath: {path: \$p}\" \$f || exit 1; done"
for m in falco-daemonset.yaml falco-daemonset-modern-ebpf.yaml; do
  t "$m: falco reaches the container runtimes' sockets (host /run and /var/run under /host, read-only)" \
    ds runtime-sockets "$REPO/packaging/kubernetes/$m"
done

echo "== Helm chart"
render="$REPO/target/release/helm-render"
chart="$REPO/packaging/helm/falco"
# The ServiceMonitor is a Prometheus Operator resource, outside the Kubernetes schemas: it is
# checked apart, the rest validates strictly.
core() { python3 - "$1" <<'PY'
import sys
docs = open(sys.argv[1]).read().split("\n---\n")
print("\n---\n".join(d for d in docs if "kind: ServiceMonitor" not in d))
PY
}
t "chart renders with the official chart's default values" sh -c "'$render' '$chart' >'$T/default.yaml'"
core "$T/default.yaml" >"$T/default-core.yaml"
t "default render validates (strict)" kv "$T/default-core.yaml"
t "default render: driver loader init container (driver.kind auto = kmod)" grep -q 'name: falco-driver-loader' "$T/default.yaml"
t "default render: falco.yaml ConfigMap from the falco: values" sh -c "grep -q '  falco.yaml: |-' '$T/default.yaml' && grep -q '    rule_matching: first' '$T/default.yaml'"
t "default render: the kmod engine and the container plugin's suggested fields" sh -c \
  "grep -q -- '- engine.kind=kmod' '$T/default.yaml' && grep -q -- '- load_plugins\[\]=container' '$T/default.yaml'"
t "default render: no rules ConfigMap without customRules" sh -c "! grep -q 'name: falco-rules' '$T/default.yaml'"
t "default render: health probes on falco's webserver" sh -c "grep -q 'path: /healthz' '$T/default.yaml' && grep -q 'startupProbe:' '$T/default.yaml'"
t "default render: falco reaches the container runtimes' sockets" ds runtime-sockets "$T/default.yaml"
t "default render: the values' tolerations and resources reach the DaemonSet" ds values "$T/default.yaml" "$chart/values.yaml"
t "falco loads the default render's falco.yaml and arguments" bash "$HERE/chart-config-check.sh" "$REPO/target/release/falco" "$T/default.yaml" "$REPO/rules/falco_rules.yaml"
t "custom render (customRules, extra.args/env, loader off)" sh -c \
  "'$render' '$chart' -f '$HERE/chart-values-custom.yaml' --name sec --namespace monitoring >'$T/custom.yaml'"
core "$T/custom.yaml" >"$T/custom-core.yaml"
t "custom render validates (strict)" kv "$T/custom-core.yaml"
t "custom render: customRules in a ConfigMap" grep -q 'rule: Shell in container (test)' "$T/custom.yaml"
t "custom render: customRules mounted in /etc/falco/rules.d" grep -q 'mountPath: /etc/falco/rules.d' "$T/custom.yaml"
t "falco.yaml loads /etc/falco/rules.d (where customRules go)" grep -qx '  - /etc/falco/rules.d' "$REPO/falco.yaml"
t "custom render: extra.args appended, extra.env set" sh -c "grep -q -- '- json_output=true' '$T/custom.yaml' && grep -q -e '- --unbuffered' -e '- \"--unbuffered\"' '$T/custom.yaml' && grep -q 'name: SIDEKICK_HOST' '$T/custom.yaml'"
t "custom render: falco reaches the container runtimes' sockets" ds runtime-sockets "$T/custom.yaml"
t "custom render: tolerations: [] leaves none, resources stay the defaults" ds values "$T/custom.yaml" "$chart/values.yaml" "$HERE/chart-values-custom.yaml"
t "custom render: driver.loader.enabled=false drops the init container and its mounts" sh -c \
  "! grep -q -e initContainers -e 'name: lib-modules' '$T/custom.yaml'"
t "typical user's values render (modern_ebpf, metrics, ServiceMonitor, falcosidekick)" sh -c \
  "'$render' '$chart' -f '$HERE/chart-values-user.yaml' >'$T/user.yaml'"
core "$T/user.yaml" >"$T/user-core.yaml"
t "user render validates (strict)" kv "$T/user-core.yaml"
t "user render: modern_ebpf with no loader, no kernel headers, least privilege" sh -c "
  grep -q -- '- engine.kind=modern_ebpf' '$T/user.yaml' && grep -q -- '- engine.modern_ebpf.buf_size_preset=6' '$T/user.yaml' &&
  ! grep -q -e falco-driver-loader -e 'path: /lib/modules' -e 'path: /usr/src' -e 'privileged: true' '$T/user.yaml' &&
  grep -q 'add: \[BPF, SYS_RESOURCE, PERFMON, SYS_PTRACE\]' '$T/user.yaml'"
t "user render: falco reaches the container runtimes' sockets (modern_ebpf)" ds runtime-sockets "$T/user.yaml"
t "user render: the user's tolerations and resources reach the DaemonSet" ds values "$T/user.yaml" "$chart/values.yaml" "$HERE/chart-values-user.yaml"
t "user render: metrics Service and ServiceMonitor" sh -c "
  grep -q 'name: falco-metrics' '$T/user.yaml' && grep -q 'kind: ServiceMonitor' '$T/user.yaml' &&
  grep -q -- '- metrics.enabled=true' '$T/user.yaml' && grep -q -- '- webserver.prometheus_metrics_enabled=true' '$T/user.yaml' &&
  grep -q 'release: kube-prometheus-stack' '$T/user.yaml'"
t "user render: falcosidekick deployed and wired (http_output, JSON)" sh -c "
  grep -q 'name: falco-falcosidekick' '$T/user.yaml' && grep -q -- '- http_output.url=http://falco-falcosidekick:2801' '$T/user.yaml' &&
  grep -q 'name: SLACK_WEBHOOKURL' '$T/user.yaml' && grep -q -- '- json_output=true' '$T/user.yaml'"
t "falco loads the user render's falco.yaml and arguments" bash "$HERE/chart-config-check.sh" "$REPO/target/release/falco" "$T/user.yaml" "$REPO/rules/falco_rules.yaml"
t "user render: falco: values reach falco.yaml" sh -c "grep -q '    priority: notice' '$T/user.yaml' && grep -q 'rule: Read sensitive file untrusted' '$T/user.yaml'"
t "collectors.containerEngine.engines reach falco's container plugin configuration (sockets, enabled)" sh -c "
  '$render' '$chart' --set 'collectors.containerEngine.engines.docker.sockets=[/run/custom/docker.sock]' \
    --set collectors.containerEngine.engines.podman.enabled=false >'$T/engines.yaml' &&
  grep -q \"docker: {enabled: true, sockets: \['/run/custom/docker.sock'\]}\" '$T/engines.yaml' &&
  grep -q \"podman: {enabled: false, sockets: \['/run/podman/podman.sock'\]}\" '$T/engines.yaml'"
t "falco loads that render's falco.yaml and arguments" bash "$HERE/chart-config-check.sh" "$REPO/target/release/falco" "$T/engines.yaml" "$REPO/rules/falco_rules.yaml"
"$render" "$chart" --set collectors.containerEngine.enabled=false >"$T/nosock.yaml" 2>&1
t "collectors.containerEngine.enabled=false: no runtime socket mounts" ds no-runtime-sockets "$T/nosock.yaml"
t "--set driver.loader.enabled=false works too" sh -c "'$render' '$chart' --set driver.loader.enabled=false | { ! grep -q initContainers; }"
for bad in "driver.kind=ebpf:no longer supported" "driver.kind=floppy:unsupported driver kind" "driver.enabled=false:plugin event sources" \
           "controller.kind=deployment:DaemonSet only" "collectors.kubernetes.enabled=true:k8smeta" "grafana.dashboards.enabled=true:dashboard" \
           "falco.grpc.enabled=true:gRPC was removed"; do
  set_arg=${bad%%:*}; msg=${bad#*:}
  t "values it cannot honour fail the render: $set_arg" sh -c "! '$render' '$chart' --set '$set_arg' >'$T/bad.out' 2>&1 && grep -q '$msg' '$T/bad.out'"
done
t "make chart" sh -c "cd '$REPO' && make -s chart CARGO='$CARGO' >/dev/null && tar -tzf target/chart/falco-\$(sed -n 's/^version: *//p' '$chart/Chart.yaml').tgz | grep -qx falco/templates/daemonset.yaml"

echo "packaging: $pass passed, $fail failed"
[ "$fail" = 0 ]
