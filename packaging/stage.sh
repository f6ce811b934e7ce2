#!/usr/bin/env bash
# Lays out falco's installed files under DEST, the common content of the deb, the rpm and the images:
#   /usr/bin/falco, /usr/bin/falco-probe-loader
#   /etc/falco/falco.yaml, falco_rules.yaml, falco_rules.local.yaml (+ any other rules/*.yaml)
#   UNITDIR/falco.service, and Falco's unit names: falco-kmod.service (with falco-kmod-inject.service),
#   falco-modern-bpf.service, falco-custom.service
#   /usr/src/falco-probe-VERSION/   the probe sources and dkms.conf: the DKMS source tree
#   /usr/share/doc/falco/install.md, /usr/share/man/man8/falco-probe-loader.8.gz
#   stage.sh DEST UNITDIR        (binaries from target/release: build them first)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
DEST=${1:?usage: stage.sh DEST UNITDIR}
UNITDIR=${2:?usage: stage.sh DEST UNITDIR}
die() { echo "packaging: error: $*" >&2; exit 1; }

VERSION=$("$REPO/packaging/version.sh")
BIN=${FALCO_BIN_DIR:-$REPO/target/release}
for b in falco falco-probe-loader; do
  [ -x "$BIN/$b" ] || die "$BIN/$b is missing: build it first (cargo build --release -p falco -p falco-probe-loader, or make deb/rpm/images, which do)"
done
# The configuration and rules to ship: the repository's, unless a packager points elsewhere.
CONFIG=${FALCO_CONFIG_FILE:-$REPO/falco.yaml}
RULES=${FALCO_RULES_DIR:-$REPO/rules}
[ -f "$CONFIG" ] || die "$CONFIG is missing: the package installs it as /etc/falco/falco.yaml (write falco.yaml at the repository root, or set FALCO_CONFIG_FILE)"
[ -f "$RULES/falco_rules.yaml" ] || die "$RULES/falco_rules.yaml is missing: the package installs the default rules into /etc/falco (write rules/falco_rules.yaml, or set FALCO_RULES_DIR)"
dkms_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$REPO/dkms.conf")
[ "$dkms_ver" = "$VERSION" ] || die "dkms.conf has PACKAGE_VERSION=\"$dkms_ver\" but the workspace version is $VERSION: make them equal"

rm -rf "$DEST"
install -d "$DEST/usr/bin" "$DEST/etc/falco" "$DEST$UNITDIR" "$DEST/usr/share/doc/falco"
# Stripped: the packaged binaries need no debug info (lintian: unstripped-binary-or-object).
for b in falco falco-probe-loader; do
  install -m 0755 "$BIN/$b" "$DEST/usr/bin/$b"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$DEST/usr/bin/$b"
done
install -m 0644 "$CONFIG" "$DEST/etc/falco/falco.yaml"
for r in "$RULES"/*.yaml; do
  install -m 0644 "$r" "$DEST/etc/falco/$(basename "$r")"
done
[ -f "$DEST/etc/falco/falco_rules.local.yaml" ] \
  || install -m 0644 "$REPO/packaging/falco_rules.local.yaml" "$DEST/etc/falco/falco_rules.local.yaml"
for u in "$REPO"/packaging/systemd/*.service; do
  install -m 0644 "$u" "$DEST$UNITDIR/$(basename "$u")"
done

# The DKMS tree: exactly the files Kbuild needs (probe/ is self-contained, abi.rs included).
src="$DEST/usr/src/falco-probe-$VERSION"
install -d "$src"
for f in "$REPO"/probe/Kbuild "$REPO"/probe/Makefile "$REPO"/probe/*.rs "$REPO"/probe/*/*.rs "$REPO"/probe/*.c \
  "$REPO"/probe/*.h; do
  [ -f "$f" ] && install -D -m 0644 "$f" "$src/${f#"$REPO"/probe/}"
done
install -m 0644 "$REPO/dkms.conf" "$src/dkms.conf"
[ -f "$src/Kbuild" ] && [ -f "$src/main.rs" ] && [ -f "$src/abi.rs" ] || die "probe/ is incomplete (Kbuild, main.rs, abi.rs expected)"
install -m 0644 "$REPO/docs/install.md" "$DEST/usr/share/doc/falco/install.md"
install -d "$DEST/usr/share/man/man8"
gzip -9n <"$REPO/packaging/man/falco-probe-loader.8" >"$DEST/usr/share/man/man8/falco-probe-loader.8.gz"
