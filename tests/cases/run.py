#!/usr/bin/env python3
"""Run golden-output cases of the spnctl binary (format: tests/cases/README).

usage: run.py --spnctl PATH --setspn PATH --root SRCDIR [--update] CASEDIR...
       run.py --check-registered --root SRCDIR NAME...

Each case runs with the source root as working directory, a clean
environment (LC_ALL=C, TZ=UTC, LDAPNOINIT=1, SOURCE_DATE_EPOCH, no
SPNCTL_PASSWORD), its input files' modification times pinned, and
standard input from the case's `stdin` file or /dev/null, and must give
exactly expect.out, expect.err and expect.rc. --update writes what the
binary did into the expect files instead (review `git diff` before you
commit: an update is a claim that the new output is right).
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

TOKENS = {
    "@EXAMPLES@": "examples",
    "@DATA@": "tests/cases/data",
}
CASE_RE = re.compile(r"^\d{4}-[A-Za-z0-9][A-Za-z0-9-]*$")
# 2026-01-01T00:00:00Z: the time reports are stamped with (JSON
# "audit_time", a snapshot's "# written:") and the modification time of
# every input, which a snapshot without whenChanged or pwdLastSet takes
# for its own: the output must not depend on when the tree was checked out.
PINNED_TIME = 1767225600


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def expand(arg, case_rel):
    for tok, val in TOKENS.items():
        arg = arg.replace(tok, val)
    return arg.replace("@CASE@", case_rel)


def lines_of(data):
    """One item per line; a final newline does not make an empty item."""
    text = data.decode("utf-8")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def show_diff(what, want, got):
    w = want.decode("utf-8", "replace").splitlines(keepends=True)
    g = got.decode("utf-8", "replace").splitlines(keepends=True)
    sys.stdout.write(f"--- {what} differs (- expected, + actual):\n")
    sys.stdout.writelines(difflib.unified_diff(w, g, "expected", "actual", n=2))
    if not want.endswith(b"\n") or not got.endswith(b"\n"):
        sys.stdout.write("\n(no newline at end of one side)\n")


def pin_times(root, case):
    """Every file a case may read gets the modification time PINNED_TIME."""
    for d in list(TOKENS.values()) + [case]:
        top = os.path.join(root, d)
        for dirpath, _, files in os.walk(top):
            for f in files:
                path = os.path.join(dirpath, f)
                if os.path.isfile(path) and os.stat(path).st_mtime != PINNED_TIME:
                    os.utime(path, (PINNED_TIME, PINNED_TIME))


def run_case(case, args):
    root = os.path.abspath(args.root)
    case = os.path.abspath(case)
    case_rel = os.path.relpath(case, root)
    name = os.path.basename(case)
    argv_data = read(os.path.join(case, "args"))
    if argv_data is None:
        print(f"{name}: no 'args' file")
        return False
    prog = (read(os.path.join(case, "prog"), b"spnctl").decode().strip() or "spnctl")
    if prog not in ("spnctl", "setspn"):
        print(f"{name}: prog must be 'spnctl' or 'setspn', not '{prog}'")
        return False
    binary = os.path.abspath(args.setspn if prog == "setspn" else args.spnctl)
    argv = [binary] + [expand(a, case_rel) for a in lines_of(argv_data)]

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LC_ALL": "C",
        "TZ": "UTC",
        "HOME": os.path.join(case, ".no-home"),
        "LDAPNOINIT": "1",
        "KRB5CCNAME": "FILE:/nonexistent/spnctl-test-ccache",
        "SOURCE_DATE_EPOCH": str(PINNED_TIME),
    }
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    env_data = read(os.path.join(case, "env"))
    if env_data is not None:
        for line in lines_of(env_data):
            if not line:
                continue
            if line.startswith("-"):  # "-NAME": take NAME out (e.g. -LDAPNOINIT)
                env.pop(line[1:], None)
                continue
            k, sep, v = line.partition("=")
            if not sep:
                print(f"{name}: env line without '=': {line!r}")
                return False
            env[k] = expand(v, case_rel)

    # "modes": FILE OCTAL lines, the mode a case's file must have (git keeps
    # only the executable bit; the checkout's umask decides the rest).
    modes_data = read(os.path.join(case, "modes"))
    if modes_data is not None:
        for line in lines_of(modes_data):
            if line:
                f, _, mode = line.partition(" ")
                os.chmod(os.path.join(case, f), int(mode, 8))

    pin_times(root, case)
    stdin_data = read(os.path.join(case, "stdin"))
    try:
        # A new session has no controlling terminal: a password prompt
        # cannot reach the developer's terminal and block the run.
        p = subprocess.run(argv, cwd=root, env=env, capture_output=True, timeout=120,
                           start_new_session=True,
                           input=stdin_data if stdin_data is not None else None,
                           stdin=None if stdin_data is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print(f"{name}: timed out")
        return False

    out_path = os.path.join(case, "expect.out")
    err_path = os.path.join(case, "expect.err")
    rc_path = os.path.join(case, "expect.rc")
    if args.update:
        for path, data in ((out_path, p.stdout), (err_path, p.stderr)):
            if data or os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(data)
        with open(rc_path, "w") as f:
            f.write(f"{p.returncode}\n")
        print(f"{name}: updated (rc {p.returncode})")
        return True

    ok = True
    want_rc = int((read(rc_path, b"0").decode().strip() or "0"))
    if p.returncode != want_rc:
        print(f"{name}: exit status {p.returncode}, expected {want_rc}")
        ok = False
    for what, path, got in (("stdout", out_path, p.stdout), ("stderr", err_path, p.stderr)):
        want = read(path, b"")
        if got != want:
            show_diff(f"{name}: {what}", want, got)
            ok = False
    if not ok:
        print(f"{name}: command: {' '.join(argv)}  (in {root})")
    return ok


def check_registered(args):
    """Fail when a case directory exists that meson did not register, or two
    cases share a number."""
    here = os.path.join(args.root, "tests", "cases")
    on_disk = sorted(d for d in os.listdir(here)
                     if CASE_RE.match(d) and os.path.isdir(os.path.join(here, d)))
    missing = sorted(set(on_disk) - set(args.cases))
    bad = sorted(d for d in os.listdir(here)
                 if re.match(r"^\d{4}-", d) and not CASE_RE.match(d))
    # Two branches that each add a case may pick the same number: the
    # number is the case's name in reports and notes, so it must be unique.
    by_number = {}
    for d in on_disk:
        by_number.setdefault(d[:4], []).append(d)
    shared = sorted(v for v in by_number.values() if len(v) > 1)
    for d in missing:
        print(f"{d}: not registered as a test; run 'meson setup --reconfigure BUILDDIR'")
    for d in bad:
        print(f"{d}: a case name is NNNN-slug (letters, digits, '-')")
    for v in shared:
        print(f"{', '.join(v)}: one number for {len(v)} cases; give each its own")
    return not missing and not bad and not shared


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spnctl")
    ap.add_argument("--setspn")
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--check-registered", action="store_true")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    if args.check_registered:
        return 0 if check_registered(args) else 1
    if not args.spnctl or not args.setspn:
        ap.error("--spnctl and --setspn are required")
    ok = True
    for c in args.cases:
        ok = run_case(c, args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
