#!/usr/bin/env python3
"""install_test.py - `meson install` into a throwaway DESTDIR, and what it
put there works.

usage: install_test.py --meson PATH --build DIR --prefix P --bindir B
                       --mandir M --datadir D --version V --out DIR

Installs the build directory DIR (--no-rebuild) into OUT/destdir and
requires: B/spnctl runs and prints "spnctl V"; B/setspn is a link to
spnctl and answers in setspn's words (-L on the example snapshot); the
man page M/man1/spnctl.1 (and setspn.1, a link to it) is an mdoc page;
D/bash-completion/completions/spnctl (and setspn, a link) completes
"spnctl au" to audit and "setspn -" to setspn's switches with the
installed binary first on PATH.
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
problems = []


def check(ok, what):
    if not ok:
        problems.append(what)
    return ok


def under(dest, path):
    return os.path.join(dest, path.lstrip("/"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for a in ("meson", "build", "prefix", "bindir", "mandir", "datadir", "version", "out"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()
    dest = os.path.join(os.path.abspath(args.out), "destdir")
    shutil.rmtree(dest, ignore_errors=True)
    r = subprocess.run([args.meson, "install", "-C", args.build, "--no-rebuild", "--destdir", dest,
                        "--quiet"], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAIL: meson install: {r.stdout}{r.stderr}")
        return 1
    p = lambda d: d if os.path.isabs(d) else os.path.join(args.prefix, d)  # noqa: E731
    bindir = under(dest, p(args.bindir))
    man1 = os.path.join(under(dest, p(args.mandir)), "man1")
    comp = os.path.join(under(dest, p(args.datadir)), "bash-completion", "completions")
    spnctl, setspn = os.path.join(bindir, "spnctl"), os.path.join(bindir, "setspn")

    if check(os.access(spnctl, os.X_OK), f"{spnctl} is not installed"):
        v = subprocess.run([spnctl, "--version"], capture_output=True, text=True)
        check(v.stdout == f"spnctl {args.version}\n", f"spnctl --version says {v.stdout!r}")
    if check(os.path.islink(setspn) and os.readlink(setspn) == "spnctl",
             f"{setspn} is not a link to spnctl"):
        s = subprocess.run([setspn, "-L", "EXCH01", "--file", "examples/exchange-um.ldif"],
                           cwd=ROOT, capture_output=True, text=True)
        check(s.returncode == 0 and s.stdout.startswith(
            "Registered ServicePrincipalNames for CN=EXCH01,OU=Exchange Servers,"),
              f"the installed setspn -L answers {s.returncode}: {s.stdout[:80]!r} {s.stderr}")
    page = os.path.join(man1, "spnctl.1")
    if check(os.path.isfile(page), f"{page} is not installed"):
        with open(page, encoding="utf-8") as f:
            check(".Dt SPNCTL 1" in f.read(), f"{page} is not spnctl's man page")
    check(os.path.islink(os.path.join(man1, "setspn.1")) and
          os.readlink(os.path.join(man1, "setspn.1")) == "spnctl.1",
          "setspn.1 is not a link to spnctl.1")
    script = os.path.join(comp, "spnctl")
    check(os.path.islink(os.path.join(comp, "setspn")) and
          os.readlink(os.path.join(comp, "setspn")) == "spnctl",
          "the setspn completion is not a link to spnctl's")
    if check(os.path.isfile(script), f"{script} is not installed"):
        t = subprocess.run([sys.executable, os.path.join(HERE, "completion_test.py"),
                            "--script", script, "--bindir", bindir], capture_output=True, text=True)
        check(t.returncode == 0, f"the installed completion: {t.stdout.strip()}")
    installed = sorted(os.path.relpath(os.path.join(d, f), dest)
                       for d, _, fs in os.walk(dest) for f in fs)
    for line in problems:
        print("FAIL: " + line)
    print(f"{'FAIL' if problems else 'ok'}: meson install put {len(installed)} files in {dest}: "
          + ", ".join(installed))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
