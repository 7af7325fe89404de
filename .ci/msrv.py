"""Fails when the workspace's declared rust-version is below what a locked dependency declares.

No second toolchain can be installed in CI, so the MSRV is checked against the dependency graph
that Cargo.lock pins: every package's own `rust-version` must be at most the workspace's.
"""
import json
import subprocess
import sys


def version(text):
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


metadata = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
members = set(metadata["workspace_members"])
declared = {p["name"]: p["rust_version"] for p in metadata["packages"] if p["id"] in members}
floor = min(version(v) for v in declared.values() if v)
needed = max(
    ((version(p["rust_version"]), p["name"], p["version"])
     for p in metadata["packages"]
     if p["id"] not in members and p.get("rust_version")),
    default=((0,), "", ""),
)
print(f"declared rust-version {'.'.join(map(str, floor))}; the highest a dependency declares: "
      f"{'.'.join(map(str, needed[0]))} ({needed[1]} {needed[2]})")
if needed[0] > floor:
    sys.exit("the declared rust-version is below what Cargo.lock's dependencies need")
