#!/bin/sh
# The release version: the workspace version in Cargo.toml.
exec sed -n '/^\[workspace.package\]/,/^\[/ s/^version = "\(.*\)"/\1/p' "$(dirname "$0")/../Cargo.toml"
