#!/usr/bin/env python3
"""Checks on the falco DaemonSet of a manifest or a rendered chart, on the parsed objects (a grep
would pass on a mount written in the init container, or a toleration of another object).

  daemonset-check.py runtime-sockets FILE     falco mounts the host's /run and /var/run under /host,
                                              read-only (the container runtimes' sockets)
  daemonset-check.py no-runtime-sockets FILE  it mounts neither
  daemonset-check.py values FILE VALUES...    its tolerations and resources are those of the chart's
                                              values merged as helm merges them (VALUES in order)

Needs PyYAML (the kubernetes-validate venv of run.sh has it).
"""
import sys

import yaml

SOCKET_DIRS = {"/host/run": "/run", "/host/var/run": "/var/run"}


def daemonset(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d and d.get("kind") == "DaemonSet"]
    if len(docs) != 1:
        sys.exit(f"{path}: {len(docs)} DaemonSets, expected 1")
    return docs[0]


def falco_container(ds):
    spec = ds["spec"]["template"]["spec"]
    found = [c for c in spec["containers"] if c["name"] == "falco"]
    if len(found) != 1:
        sys.exit("no single container named falco")
    return spec, found[0]


def socket_mounts(path):
    """mountPath -> (host path, readOnly) of the falco container's /host/run and /host/var/run."""
    spec, falco = falco_container(daemonset(path))
    host_paths = {v["name"]: v.get("hostPath", {}).get("path") for v in spec.get("volumes", [])}
    return {
        m["mountPath"]: (host_paths.get(m["name"]), m.get("readOnly", False))
        for m in falco.get("volumeMounts", [])
        if m["mountPath"] in SOCKET_DIRS
    }


def merge(base, over):
    """helm's merge of values files: maps merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    return over


def main(argv):
    cmd, path = argv[1], argv[2]
    if cmd == "runtime-sockets":
        got = socket_mounts(path)
        want = {m: (h, True) for m, h in SOCKET_DIRS.items()}
        if got != want:
            sys.exit(f"falco's runtime socket mounts: {got}, expected {want}")
    elif cmd == "no-runtime-sockets":
        got = socket_mounts(path)
        if got:
            sys.exit(f"falco mounts {sorted(got)} with the container engines off")
    elif cmd == "values":
        values = {}
        for f in argv[3:]:
            values = merge(values, yaml.safe_load(open(f)) or {})
        spec, falco = falco_container(daemonset(path))
        # An empty list or map renders as an absent key (the template's `with`).
        checks = [
            ("tolerations", spec.get("tolerations", []), values.get("tolerations") or []),
            ("resources", falco.get("resources", {}), values.get("resources") or {}),
        ]
        bad = [f"{k}: rendered {got!r}, values {want!r}" for k, got, want in checks if got != want]
        if bad:
            sys.exit("\n".join(bad))
        print("; ".join(f"{k}: {want!r}" for k, _, want in checks))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
