#!/usr/bin/env python3
"""Sum meson's test logs of the given build dirs into 'N passed, N failed'.

A skipped test counts as failed when SPNCTL_NO_SKIP=1 (CI), because a green
run must mean the real servers ran. A build dir without a log (it did not
build) counts as one failure.
"""
import json
import os
import sys

passed = failed = skipped = 0
no_skip = os.environ.get("SPNCTL_NO_SKIP") == "1"
for d in sys.argv[1:]:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        print(f"{d}: no test log (build failed?)")
        failed += 1
        continue
    for line in open(log, encoding="utf-8", errors="replace"):
        line = line.strip()
        if not line:
            continue
        r = json.loads(line)
        res = r.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            if no_skip:
                print(f"{d}: {r.get('name')}: skipped, counted as failed (SPNCTL_NO_SKIP=1)")
                failed += 1
            else:
                skipped += 1
        else:
            print(f"{d}: {r.get('name')}: {res}")
            failed += 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
