#!/usr/bin/env python3
"""completion_test.py - the bash completion (completions/spnctl), sourced
in a real bash and asked as bash asks it: COMP_WORDS, COMP_CWORD, the
completion function, COMPREPLY.

usage: completion_test.py --script FILE --bindir DIR [--with-bash-completion]

DIR holds the spnctl to complete for (and a setspn link, if there is one);
it goes first on PATH. --with-bash-completion sources Debian's
bash_completion first (its _filedir), else plain bash. Every case below
must give exactly its words (or, for files, at least them). Exit 77 when
--with-bash-completion is asked for and bash-completion is not installed.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"

COMMANDS = ["list", "query", "dups", "audit", "resolve", "probe", "doctor", "checks", "snapshot",
            "diff", "add", "rm", "reset", "fix", "undo"]


def cases(checks):
    """(words, how, expected): how is 'exact' or 'contains'."""
    return [
        (["spnctl", ""], "exact", COMMANDS),
        (["spnctl", "au"], "exact", ["audit"]),
        (["spnctl", "-f", "x.ldif", "d"], "exact", ["dups", "doctor", "diff"]),
        (["spnctl", "audit", "--ou"], "exact", ["--output"]),
        (["spnctl", "audit", "-o", ""], "exact", ["text", "json", "csv", "html"]),
        (["spnctl", "dups", "-o", ""], "exact", ["text", "json", "csv", "setspn", "html"]),
        (["spnctl", "fix", "-o", ""], "exact", ["text", "json", "ldif"]),
        (["spnctl", "list", "-o", ""], "exact", ["text", "json", "csv", "setspn"]),
        (["spnctl", "audit", "--explain", "dup"], "exact", ["duplicate-spn"]),
        (["spnctl", "fix", "--only", ""], "exact", checks),
        (["spnctl", "checks", ""], "exact", checks),
        (["spnctl", "checks", "k"], "exact", ["kerberoastable"]),
        (["spnctl", "audit", "--fail-on", ""], "exact", ["error", "warning", "info", "none"]),
        (["spnctl", "list", "--comp"], "exact", ["--computers"]),
        (["spnctl", "audit", "--max"], "exact", ["--max-password-age"]),
        (["spnctl", "-f", "examples/exc"], "exact", ["examples/exchange-um.ldif"]),
        (["spnctl", "audit", "-f", "examples/exc"], "exact", ["examples/exchange-um.ldif"]),
        (["spnctl", "diff", "examples/exc"], "exact", ["examples/exchange-um.ldif"]),
        (["spnctl", "snapshot", "-o", "examples/exc"], "exact", ["examples/exchange-um.ldif"]),
        (["spnctl", "-H", "ldaps"], "exact", ["ldaps://"]),
        # Every option the help shows with a value takes the next word
        # (--keytab FILE, --timeout SECONDS), not only a list of some.
        (["spnctl", "--keytab", "examples/exc"], "exact", ["examples/exchange-um.ldif"]),
        (["spnctl", "--timeout", "60", "au"], "exact", ["audit"]),
        (["spnctl", "--via", "svc", "pro"], "exact", ["probe"]),
        (["spnctl", "audit", "--timeout", ""], "exact", []),
        (["spnctl", "audit", "-T", ""], "exact", []),
        (["spnctl", "audit", "-"], "contains", ["-f", "--file", "-o", "--explain", "--uri"]),
        (["setspn", "-"], "contains", ["-L", "-Q", "-X", "-F", "-T", "--file", "--uri"]),
        (["setspn", "--fi"], "exact", ["--file"]),
        (["setspn", "--file", "examples/exc"], "exact", ["examples/exchange-um.ldif"]),
    ]


def complete(script, bindir, words, with_bc):
    prog = """
set -u
{bc}
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${{#COMP_LINE}}
COMPREPLY=()
f=_spnctl
[[ $1 == setspn ]] && f=_spnctl_setspn
$f spnctl "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]:-}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
""".format(bc=f'source "{BASH_COMPLETION}"' if with_bc else "")
    env = {"PATH": bindir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
           "LC_ALL": "C", "HOME": "/nonexistent"}
    r = subprocess.run(["bash", "-c", prog, "bash", script, *words], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return None, r.stderr.strip()
    return [w for w in r.stdout.split("\n") if w], r.stderr.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--script", required=True)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--with-bash-completion", action="store_true")
    args = ap.parse_args()
    if args.with_bash_completion and not os.path.exists(BASH_COMPLETION):
        print(f"SKIP: {BASH_COMPLETION} is missing (apt-get install bash-completion)")
        return 77
    spnctl = os.path.join(args.bindir, "spnctl")
    r = subprocess.run([spnctl, "checks", "-o", "json"], capture_output=True, text=True)
    checks = [c["code"] for c in json.loads(r.stdout)["checks"]]
    bad = 0
    for words, how, want in cases(checks):
        got, err = complete(os.path.abspath(args.script), os.path.abspath(args.bindir), words,
                            args.with_bash_completion)
        if got is None:
            ok = False
        elif how == "exact":
            ok = got == want
        else:
            ok = all(w in got for w in want)
        if not ok:
            bad += 1
            print(f"FAIL: {' '.join(repr(w) for w in words)}: {got}, expected {how} {want}"
                  + (f" (stderr: {err})" if err else ""))
    mode = "with bash-completion" if args.with_bash_completion else "in plain bash"
    print(f"{'FAIL' if bad else 'ok'}: {len(cases(checks)) - bad} of {len(cases(checks))} "
          f"completions right, {mode}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
