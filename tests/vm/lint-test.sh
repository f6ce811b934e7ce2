#!/usr/bin/env bash
# Host side; part of `make vm-test`. Shows that the probe's lint build (`modules.sh --lint`, the probe
# half of `make lint`) catches what it is there to catch, on two broken copies of probe/:
#   1. an unsafe block without a `// SAFETY:` comment (clippy::undocumented_unsafe_blocks);
#   2. helpers.h with two fields of a mirrored struct swapped: the size stays the same, so only the
#      field-by-field layout check (helpers_layout.c, see probe/Kbuild) can see it.
# Each must fail the build, with the expected message.
source "$(dirname "$0")/common.sh"
tmp=$(mktemp -d /tmp/falco-lint-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# expect_lint_failure NAME PATTERN: lints $tmp/NAME, which must fail with PATTERN in its output.
expect_lint_failure() {
  local name=$1 pattern=$2 out
  if out=$("$VM_DIR/modules.sh" --lint "$tmp/$name" 2>&1); then
    die "$name: the lint build passed"
  fi
  grep -q -- "$pattern" <<<"$out" || { printf '%s\n' "$out" | tail -20 >&2; die "$name: failed without '$pattern'"; }
  log "$name: the lint build fails as it should ($pattern)"
}

cp -r "$REPO_DIR/probe" "$tmp/unsafe"
# A new function in ring.rs whose unsafe block has no SAFETY comment.
cat >>"$tmp/unsafe/ring.rs" <<'RS'

impl Ring {
    #[allow(dead_code)]
    pub(crate) fn volatile_bytes(&self) -> u64 {
        unsafe { core::ptr::read_volatile(&self.bytes) }
    }
}
RS
expect_lint_failure unsafe "unsafe block missing a safety comment"

cp -r "$REPO_DIR/probe" "$tmp/layout"
sed -i 's/u16 family, type, lport, rport;/u16 type, family, lport, rport;/' "$tmp/layout/helpers.h"
grep -q "u16 type, family" "$tmp/layout/helpers.h" || die "helpers.h changed: update the field swap of this test"
expect_lint_failure layout "offset_of!(SockInfo, family)"
log "lint test passed"
