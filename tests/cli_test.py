# SPDX-License-Identifier: Apache-2.0
# The `padlock` command line as a user and a CI pipeline meet it: help and usage errors, exit
# statuses, the --json reports of `vectors` and `bench`, `hash` against Python's hashlib, and a
# runner that really fails: a Wycheproof file with one expected value altered, an empty file, a file
# without test groups, an unknown schema and a missing file must each make `vectors` exit non-zero.
# Usage: cli_test.py PADLOCK WYCHEPROOF_DIR. A cross-built padlock runs through $MESON_EXE_WRAPPER.
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

padlock, wycheproof = sys.argv[1], sys.argv[2]
wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
failures = 0


def run(*args):
    return subprocess.run(wrapper + [padlock, *args], capture_output=True, text=True)


def check(ok, what, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "\n     " + detail))
    failures += not ok


def vectors_json(*files):
    r = run("vectors", "--json", *files)
    return r.returncode, json.loads(r.stdout)


# ---- help and usage errors ----
r = run("--help")
check(r.returncode == 0 and all(c in r.stdout for c in ("vectors", "bench", "hash", "help")),
      "--help lists the commands", r.stdout + r.stderr)
r = run("help", "vectors")
check(r.returncode == 0 and "--json" in r.stdout, "help vectors shows its options", r.stdout + r.stderr)
check("share/padlock/vectors" in r.stdout and "testvectors_v1" in r.stdout,
      "help vectors says where the Wycheproof copy is looked for", r.stdout)
r = run("frob")
check(r.returncode != 0 and "unknown command 'frob'" in r.stderr, "an unknown command is named",
      r.stderr)
r = run("bench", "--bogus")
check(r.returncode != 0 and "--bogus" in r.stderr, "an unknown option is named", r.stderr)
# Every usage error exits 2 (`padlock --help` says so), not CLI11's per-kind codes (106 missing
# argument, 109 extras, 105 validation): a script can tell "you called it wrong" from a verdict (1).
check(r.returncode == 2, "an unknown option exits 2", str(r.returncode))
r = run("frob")
check(r.returncode == 2, "an unknown command exits 2", str(r.returncode))
r = run("hash")
check(r.returncode == 2 and "files" in r.stderr, "hash without a file: a missing argument exits 2",
      f"{r.returncode}: {r.stderr}")
r = run("hash", "--alg", "md5", padlock)
check(r.returncode == 2 and "md5" in r.stderr, "hash --alg md5: a value outside the choices exits 2",
      f"{r.returncode}: {r.stderr}")
for sub in ("show", "verify", "embed", "new"):
    r = run("x509", sub)
    check(r.returncode == 2 and "required" in r.stderr, f"x509 {sub} without its argument exits 2",
          f"{r.returncode}: {r.stderr}")
r = run("help", "frob")
check(r.returncode == 2, "help for an unknown command exits 2", str(r.returncode))
r = run("--help")
check(r.returncode == 0 and "usage error" in r.stdout, "--help exits 0 and documents the usage-error status",
      r.stdout)

# ---- vectors: a real file, counted case by case ----
hkdf = os.path.join(wycheproof, "testvectors_v1", "hkdf_sha256_test.json")
with open(hkdf) as f:
    source = json.load(f)
rc, report = vectors_json(hkdf)
total = report["total"]
check(rc == 0 and total["cases"] == source["numberOfTests"] == total["passed"] and total["failed"] == 0,
      "vectors --json counts every case of hkdf_sha256_test.json as passed", json.dumps(total))
check(len(report["files"][0]["tests"]) == source["numberOfTests"], "vectors --json lists every case")

with tempfile.TemporaryDirectory() as tmp:
    # One valid case with a wrong expected output: exactly that case fails.
    altered = json.loads(json.dumps(source))
    case = next(t for g in altered["testGroups"] for t in g["tests"] if t["result"] == "valid")
    case["okm"] = ("0" if case["okm"][0] != "0" else "1") + case["okm"][1:]
    path = os.path.join(tmp, "altered.json")
    with open(path, "w") as f:
        json.dump(altered, f)
    rc, report = vectors_json(path)
    failed = [t["tcId"] for t in report["files"][0]["tests"] if t["verdict"] != "pass"]
    check(rc != 0 and report["total"]["failed"] == 1 and failed == [case["tcId"]],
          "an altered expected value fails exactly its case", json.dumps(report["total"]))

    # Files the runner cannot use are failures, never skips.
    bad = {
        "empty.json": "",
        "nogroups.json": json.dumps({**source, "numberOfTests": 0, "testGroups": []}),
        "unknown_schema.json": json.dumps({**source, "schema": "frob_test_schema.json"}),
    }
    for name, text in bad.items():
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        rc, report = vectors_json(path)
        check(rc != 0 and report["total"]["failed_files"] == 1 and report["total"]["passed"] == 0,
              f"vectors rejects {name}", json.dumps(report["total"]))
    rc, report = vectors_json(os.path.join(tmp, "missing.json"))
    check(rc != 0 and report["total"]["failed_files"] == 1, "vectors rejects a missing file",
          json.dumps(report["total"]))

    # ---- hash: coreutils format, checked against hashlib ----
    data = bytes(range(256)) * 37
    path = os.path.join(tmp, "data.bin")
    with open(path, "wb") as f:
        f.write(data)
    for alg in ("sha1", "sha224", "sha256", "sha384", "sha512"):
        r = run("hash", "--alg", alg, path)
        want = f"{hashlib.new(alg, data).hexdigest()}  {path}\n"
        check(r.returncode == 0 and r.stdout == want, f"hash --alg {alg} matches hashlib", r.stdout)
    r = run("hash", os.path.join(tmp, "missing.bin"))
    check(r.returncode != 0, "hash of a missing file fails", r.stdout + r.stderr)

    # ---- vectors: no compiled-in data path ----
    # A copy of the binary in a directory with no vectors/ beside it, run from there, finds nothing
    # and says so; with PADLOCK_VECTORS_DIR pointing at a vectors/ directory it runs the files.
    lone = os.path.join(tmp, "bin", "padlock")
    os.makedirs(os.path.dirname(lone))
    shutil.copy(padlock, lone)
    env = {k: v for k, v in os.environ.items() if k != "PADLOCK_VECTORS_DIR"}
    r = subprocess.run(wrapper + [lone, "vectors", "hkdf_sha256_test.json"], capture_output=True,
                       text=True, cwd=tmp, env=env)
    check(r.returncode != 0 and "no Wycheproof copy found" in r.stderr,
          "a lone binary finds no vector files and says so", r.stdout + r.stderr)
    env["PADLOCK_VECTORS_DIR"] = os.path.dirname(wycheproof.rstrip("/"))
    r = subprocess.run(wrapper + [lone, "vectors", "hkdf_sha256_test.json"], capture_output=True,
                       text=True, cwd=tmp, env=env)
    check(r.returncode == 0 and "hkdf_sha256_test.json" in r.stdout,
          "PADLOCK_VECTORS_DIR points a lone binary at the vectors", r.stdout + r.stderr)

# ---- bench: a short machine-readable run ----
r = run("bench", "--list")
check(r.returncode == 0 and "sha256" in r.stdout.split(), "bench --list names the primitives", r.stdout)
r = run("bench", "sha256", "--seconds", "0.02", "--json")
rows = json.loads(r.stdout)["rows"] if r.returncode == 0 else []
check(sorted(row["size"] for row in rows) == [16, 256, 1024, 16384] and
      all(row["primitive"] == "sha256" and row["padlock"] > 0 and row["unit"] == "MB/s" and
          len(row["padlock_runs"]) == 5 for row in rows),
      "bench sha256 --json gives one measured row per size", r.stdout + r.stderr)

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
