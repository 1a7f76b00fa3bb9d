#!/usr/bin/env python3
"""gen_test.py - one 'gen' test: generate a directory with spngen, audit it
with spnctl, and require exactly the findings the manifest expects.

    gen_test.py --spngen PATH --spnctl PATH [spngen options...]
    gen_test.py --spngen PATH --reference [spngen options...]

Asserts, for `spnctl audit -f FILE... -o json --now <manifest now>`:
  - the exit status is the manifest's (1 with warnings/errors, 0 without);
  - "complete" is true and there are no gaps;
  - the number of findings per code and per severity equals the manifest,
    and no other code appears;
  - stats: accounts, groups, SPN values and distinct SPNs equal the manifest.
With --reference the directory is audited by ref_audit.py instead (checks the
generator itself, without spnctl). --tamper changes one expected count and
expects the comparison to fail (proves the comparison can fail).
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def compare(manifest, doc, rc):
    """Return a list of differences between the manifest and spnctl's JSON."""
    diffs = []
    exp_exit = manifest["expected"]["exit"]
    if rc != exp_exit:
        diffs.append(f"exit status {rc}, expected {exp_exit}")
    if doc.get("complete") is not True:
        diffs.append(f"complete is {doc.get('complete')!r}, expected true")
    if doc.get("gaps"):
        diffs.append(f"gaps: {doc['gaps']}")
    got = Counter()
    for f in doc.get("findings", []):
        got[(f["code"], f["severity"])] += 1
    expected = Counter()
    for code, by in manifest["expected"]["by_code"].items():
        for sev, n in by.items():
            if sev != "total" and n:
                expected[(code, sev)] = n
    for key in sorted(set(got) | set(expected)):
        if got[key] != expected[key]:
            diffs.append(f"{key[0]} ({key[1]}): {got[key]} findings, expected {expected[key]}")
    st, ms = doc.get("stats", {}), manifest["stats"]
    for key in ("accounts", "groups", "spn_values", "distinct_spns", "entries"):
        if key in st and st[key] != ms[key]:
            diffs.append(f"stats.{key} = {st[key]}, expected {ms[key]}")
    for key in ("accounts", "spn_values", "distinct_spns"):
        if key not in st:
            diffs.append(f"stats.{key} missing from the JSON")
    if "domains" in st and st["domains"] != len(manifest["domains"]):
        diffs.append(f"stats.domains = {st['domains']}, expected {len(manifest['domains'])}")
    return diffs


def main(argv):
    args = argv[1:]
    spngen = spnctl = None
    reference = tamper = False
    gen_args = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--spngen":
            spngen = args[i + 1]
            i += 2
        elif a == "--spnctl":
            spnctl = args[i + 1]
            i += 2
        elif a == "--reference":
            reference = True
            i += 1
        elif a == "--tamper":
            tamper = True
            i += 1
        else:
            gen_args.append(a)
            i += 1
    if not spngen or not (spnctl or reference):
        print(__doc__, file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="spngen-") as tmp:
        out = os.path.join(tmp, "dir.ldif")
        man = os.path.join(tmp, "dir.json")
        r = subprocess.run([spngen, *gen_args, "-o", out, "--manifest", man],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"spngen {' '.join(gen_args)} exited {r.returncode}: {r.stderr.strip()}")
        with open(man, encoding="utf-8") as f:
            manifest = json.load(f)
        desc = (f"{manifest['stats']['accounts']} accounts, {len(manifest['domains'])} domain(s), "
                f"{len(manifest['files'])} file(s), seed {manifest['seed']}, "
                f"{manifest['expected']['total']} findings expected")
        if tamper:
            by = manifest["expected"]["by_code"]["duplicate-spn"]
            by["error"] = by.get("error", 0) + 1

        if reference:
            r = subprocess.run([sys.executable, os.path.join(HERE, "ref_audit.py"), man],
                               capture_output=True, text=True)
            print(r.stdout.strip())
            if r.returncode != 0:
                fail(f"reference audit disagrees with spngen's manifest ({desc})")
            print(f"ok: {desc}")
            return 0

        cmd = [spnctl, "audit"]
        for path in manifest["files"]:
            cmd += ["-f", path]
        cmd += ["-o", "json", "--now", manifest["now"]]
        r = subprocess.run(cmd, capture_output=True, text=True)
        try:
            doc = json.loads(r.stdout)
        except ValueError as e:
            fail(f"{' '.join(cmd)}: exit {r.returncode}, output is not JSON ({e}); "
                 f"stderr: {r.stderr.strip()[:500]}")
        diffs = compare(manifest, doc, r.returncode)
        if tamper:
            if not diffs:
                fail("a tampered manifest still compared equal: the comparison cannot fail")
            print(f"ok: tampered manifest detected ({diffs[0]})")
            return 0
        if diffs:
            for d in diffs:
                print("  " + d)
            fail(f"spnctl audit disagrees with the manifest ({desc})")
        print(f"ok: {desc}; spnctl exit {r.returncode}, {len(doc.get('findings', []))} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
