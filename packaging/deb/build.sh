#!/usr/bin/env bash
# `make deb`: builds target/packaging/falco_VERSION-1_amd64.deb with dpkg-deb from the staged tree
# (packaging/stage.sh), then runs lintian on it. Needs dpkg-dev, fakeroot and lintian:
#   apt-get install -t bookworm dpkg-dev fakeroot lintian
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$REPO/target/packaging}
die() { echo "make deb: error: $*" >&2; exit 1; }
for t in dpkg-deb fakeroot dpkg-shlibdeps lintian; do
  command -v "$t" >/dev/null || die "$t is missing: apt-get install -t bookworm dpkg-dev fakeroot lintian"
done

VERSION=$("$REPO/packaging/version.sh")
root="$OUT/deb-root"
"$REPO/packaging/stage.sh" "$root" /lib/systemd/system

# Shared-library dependencies of the binaries, as dpkg-shlibdeps computes them (it wants a
# debian/control to exist, so give it a scratch one).
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/debian"
printf 'Source: falco\n\nPackage: falco\nArchitecture: amd64\n' >"$scratch/debian/control"
shlibs=$(cd "$scratch" && dpkg-shlibdeps -O -e"$root/usr/bin/falco" -e"$root/usr/bin/falco-probe-loader" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependencies for the binaries"

install -d "$root/DEBIAN" "$root/usr/share/lintian/overrides"
sed "s/@VERSION@/$VERSION/g" "$REPO/packaging/deb/changelog" | gzip -9n >"$root/usr/share/doc/falco/changelog.Debian.gz"
install -m 0644 "$REPO/packaging/deb/copyright" "$root/usr/share/doc/falco/copyright"
install -m 0644 "$REPO/packaging/deb/lintian-overrides" "$root/usr/share/lintian/overrides/falco"
for s in postinst prerm postrm; do
  sed "s/@VERSION@/$VERSION/g" "$REPO/packaging/deb/$s" >"$root/DEBIAN/$s"
  chmod 0755 "$root/DEBIAN/$s"
done
(cd "$root" && find etc -type f | sort | sed 's|^|/|') >"$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$VERSION/g" -e "s/@SIZE@/$size/" -e "s/@SHLIBS@/$shlibs/" \
  "$REPO/packaging/deb/control.in" >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
# Reproducible: every mtime is the changelog's date.
find "$root" -exec touch -h -d "@$(date -d "$(sed -n 's/^ -- .*>  //p' "$REPO/packaging/deb/changelog")" +%s)" {} +

deb="$OUT/falco_${VERSION}-1_amd64.deb"
rm -f "$deb"
fakeroot dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "built $deb"
# Errors and warnings fail the build; the overrides in packaging/deb/lintian-overrides say why each is there.
lintian --fail-on error,warning "$deb"
echo "lintian: clean"
