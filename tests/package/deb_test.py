#!/usr/bin/env python3
"""deb_test.py - the Debian package: `dpkg-buildpackage -b -us -uc` on a
copy of the source tree (never in it), the .deb unpacked into a throwaway
root with `dpkg -x` and run, and lintian.

usage: deb_test.py --root SRCDIR --spnctl PATH --version V --out DIR

In DIR: src/spnctl-V/ (the copy: the files git knows, tracked or not
ignored), the .deb, build.log, root/ (the unpacked package), lintian.txt.
Fails unless the package builds; holds usr/bin/spnctl, the setspn link,
the man page, the completion and the example snapshot; its spnctl says
"spnctl V" (and V is debian/changelog's version); the packaged audit of the
packaged example prints what the build's spnctl prints for the same file,
with the same exit status; the packaged setspn answers -L; and lintian
reports no errors. Exit 77 when dpkg-buildpackage or lintian is missing.
"""
import argparse
import os
import shutil
import subprocess
import sys

problems = []


def check(ok, what):
    if not ok:
        problems.append(what)
    return ok


def source_files(root):
    """The files git knows (tracked, or new and not ignored); without git,
    every file but build directories and .git."""
    r = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                        "--exclude-standard"], capture_output=True)
    if r.returncode == 0 and r.stdout:
        return [f for f in r.stdout.decode().split("\0") if f and os.path.isfile(os.path.join(root, f))]
    out = []
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        dirs[:] = [x for x in dirs if x != ".git" and not (rel == "." and x.startswith("build"))]
        out += [os.path.normpath(os.path.join(rel, f)) for f in files]
    return out


def copy_tree(root, dest):
    shutil.rmtree(dest, ignore_errors=True)
    for f in source_files(root):
        os.makedirs(os.path.join(dest, os.path.dirname(f)), exist_ok=True)
        shutil.copy2(os.path.join(root, f), os.path.join(dest, f), follow_symlinks=False)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for a in ("root", "spnctl", "version", "out"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()
    for tool in ("dpkg-buildpackage", "dpkg-deb", "lintian"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is missing (apt-get install dpkg-dev debhelper lintian)")
            return 77
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.endswith((".deb", ".changes", ".buildinfo")):
            os.remove(os.path.join(out, f))
    src = os.path.join(out, "src", f"spnctl-{args.version}")
    copy_tree(os.path.abspath(args.root), src)

    v = run(["dpkg-parsechangelog", "-S", "Version"], cwd=src).stdout.strip()
    check(v == args.version, f"debian/changelog says {v}, meson.build {args.version}")
    env = dict(os.environ, DEB_BUILD_OPTIONS=f"nocheck parallel={os.cpu_count() or 1}",
               LC_ALL="C.UTF-8")
    b = run(["dpkg-buildpackage", "-b", "-us", "-uc"], cwd=src, env=env)
    with open(os.path.join(out, "build.log"), "w") as f:
        f.write(b.stdout + b.stderr)
    if b.returncode != 0:
        print(f"FAIL: dpkg-buildpackage exited {b.returncode}; the end of {out}/build.log:")
        print("\n".join((b.stdout + b.stderr).splitlines()[-30:]))
        return 1
    parent = os.path.dirname(src)
    debs = [f for f in os.listdir(parent) if f.startswith("spnctl_") and f.endswith(".deb")]
    changes = [f for f in os.listdir(parent) if f.endswith(".changes")]
    if not check(len(debs) == 1 and len(changes) == 1, f"built {debs} {changes}, not one .deb"):
        print("\n".join("FAIL: " + p for p in problems))
        return 1
    for f in os.listdir(parent):
        if f.endswith((".deb", ".changes", ".buildinfo")):
            shutil.move(os.path.join(parent, f), os.path.join(out, f))
    deb = os.path.join(out, debs[0])

    root = os.path.join(out, "root")
    shutil.rmtree(root, ignore_errors=True)
    check(run(["dpkg-deb", "-x", deb, root]).returncode == 0, "dpkg -x failed")
    files = run(["dpkg-deb", "-c", deb]).stdout
    for want in ("./usr/bin/spnctl", "./usr/bin/setspn -> spnctl", "./usr/share/man/man1/spnctl.1.gz",
                 "./usr/share/man/man1/setspn.1.gz -> spnctl.1.gz",
                 "./usr/share/bash-completion/completions/spnctl",
                 "./usr/share/doc/spnctl/examples/exchange-um.ldif",
                 "./usr/share/doc/spnctl/copyright"):
        check(want in files, f"the package lacks {want}")
    spnctl = os.path.join(root, "usr", "bin", "spnctl")
    example = os.path.join(root, "usr", "share", "doc", "spnctl", "examples", "exchange-um.ldif")
    r = run([spnctl, "--version"])
    check(r.stdout == f"spnctl {args.version}\n", f"the packaged spnctl --version: {r.stdout!r}")
    audit = ["audit", "-f", example, "--now", "2026-11-01"]
    got, want = run([spnctl, *audit]), run([args.spnctl, *audit])
    check(got.returncode == 1 and got.stdout == want.stdout and "duplicate-spn" in got.stdout,
          f"the packaged audit of the example: exit {got.returncode}, output "
          f"{'as the build' if got.stdout == want.stdout else 'differs from the build'}: "
          f"{got.stdout[:200]!r} {got.stderr}")
    s = run([os.path.join(root, "usr", "bin", "setspn"), "-L", "EXCH01", "--file", example])
    check(s.returncode == 0 and s.stdout.startswith("Registered ServicePrincipalNames for "),
          f"the packaged setspn -L: exit {s.returncode}: {s.stdout[:100]!r} {s.stderr}")

    lint = run(["lintian", "--fail-on", "error", "--display-info", os.path.join(out, changes[0])])
    report = (lint.stdout + lint.stderr).strip()
    with open(os.path.join(out, "lintian.txt"), "w") as f:
        f.write(report + "\n")
    check(lint.returncode == 0, f"lintian reports errors:\n{report}")
    print("lintian: " + (report.replace("\n", "\n  ") if report else "(nothing to report)"))
    for p in problems:
        print("FAIL: " + p)
    print(f"{'FAIL' if problems else 'ok'}: {os.path.basename(deb)} built, unpacked in {root} "
          "and run; lintian has no errors")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
