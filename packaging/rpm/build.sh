#!/usr/bin/env bash
# `make rpm`: builds target/packaging/rpm/falco-VERSION-1.x86_64.rpm from the staged tree with
# rpmbuild (on Debian: apt-get install -t bookworm rpm).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$REPO/target/packaging}
command -v rpmbuild >/dev/null || { echo "make rpm: error: rpmbuild is missing: apt-get install -t bookworm rpm" >&2; exit 1; }
VERSION=$("$REPO/packaging/version.sh")
stage="$OUT/rpm-root"
"$REPO/packaging/stage.sh" "$stage" /usr/lib/systemd/system
top="$OUT/rpmbuild"
rm -rf "$top"; mkdir -p "$top"/{BUILD,BUILDROOT,RPMS,SPECS,SRPMS,SOURCES} "$OUT/rpm"
# Reproducible with SOURCE_DATE_EPOCH. stage.sh already stripped and compressed, so the brp-*
# post-install scripts are off (Debian's rpm runs them with dash, which they do not support).
rpmbuild -bb --quiet \
  --define "_topdir $top" \
  --define "_falco_version $VERSION" \
  --define "_falco_stage $stage" \
  --define "_buildhost falco-build" \
  --define "use_source_date_epoch_as_buildtime 1" \
  --define "__os_install_post %{nil}" \
  "$REPO/packaging/rpm/falco.spec"
rpm=$(find "$top/RPMS" -name "falco-$VERSION-1.*.rpm" | head -1)
[ -n "$rpm" ] || { echo "make rpm: error: rpmbuild produced no package under $top/RPMS" >&2; exit 1; }
cp "$rpm" "$OUT/rpm/"
echo "built $OUT/rpm/$(basename "$rpm")"
