#!/usr/bin/env python3
"""Docs and code agree (suite 'docs').

usage: check_docs.py --spnctl PATH --root SRCDIR TEST

TEST is one of:
  commands   every command of tool/commands.c is in `spnctl --help`, has a
             ".Ss <name>" subsection in spnctl(1) and is mentioned in
             README.md as `spnctl <name>`; no man subsection for a command
             that does not exist
  synopsis   `spnctl CMD --help` usage line (and -L/-Q/-X's) equals a
             SYNOPSIS line of spnctl(1), and every SYNOPSIS line is one
  checks     every check of `spnctl checks -o json` (the registry) is an
             ".It Sy <code> Pq <severity>[, dups]" in the man page CHECKS
             section and a row "| `<code>` | <severity> | yes or empty |" of
             README's checks table, with the registry's severity and dups
             flag; neither documents a code that does not exist
  exit       the man page EXIT STATUS lists exactly the codes of tool/exit.h,
             each paragraph starting with the words of exit.h's comment;
             README's exit table lists the same codes
  options    every long option `spnctl --help` shows is documented in the
             man page (.Fl -name)
  helpwidth  every line of `spnctl --help` and of each `spnctl CMD --help`
             fits a terminal: under 80 columns
  examples   every ".Bd -literal" block of spnctl(1) that starts with
             "$ spnctl ... examples/..." and is not shortened (no "...") shows
             exactly what that command prints (run in the source root)
  readme     every fenced block of README.md that starts with
             "$ build/spnctl ..." shows exactly what that command prints
             (run in the source root); --update rewrites the blocks
Prints what disagrees; exit 0 when all agree, 1 otherwise.
"""
import argparse
import difflib
import json
import os
import re
import subprocess
import sys


def run(args, binary):
    p = subprocess.run([binary] + args, capture_output=True, text=True,
                       env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C"})
    return p.returncode, p.stdout, p.stderr


class Missing(Exception):
    pass


def read(root, rel):
    try:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise Missing(f"{rel}: missing")


def man_sections(man):
    """{section name: [lines]} of an mdoc page (.Sh headings)."""
    out, cur = {}, None
    for line in man.splitlines():
        m = re.match(r'^\.Sh\s+(.*)$', line)
        if m:
            cur = m.group(1).strip().strip('"')
            out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    return out


# ---- a tiny mdoc renderer for SYNOPSIS lines ----

CALLABLE = {"Ar", "Cm", "Fl", "Op", "Ns", "Nm", "Li", "Oo", "Oc", "Pa", "Ic", "No"}


def render_macro_line(words):
    """Render one mdoc line (words after the leading '.') to text tokens."""
    out = []
    no_space = False

    def emit(tok):
        nonlocal no_space
        if no_space and out:
            out[-1] += tok
        else:
            out.append(tok)
        no_space = False

    i = 0
    while i < len(words):
        w = words[i]
        if w == "Ns":
            no_space = True
            i += 1
            continue
        if w == "Op":
            inner = render_macro_line(words[i + 1:])
            emit("[" + inner + "]")
            return " ".join(out)
        if w == "Oo":
            emit("[")
            no_space = True
            i += 1
            continue
        if w == "Oc":
            if out:
                out[-1] += "]"
            i += 1
            continue
        if w == "Fl":
            i += 1
            got = False
            while i < len(words) and words[i] not in CALLABLE:
                emit("-" + words[i])
                got = True
                i += 1
            if not got:
                emit("-")
            continue
        if w in ("Ar", "Cm", "Nm", "Li", "Pa", "Ic", "No"):
            i += 1
            while i < len(words) and words[i] not in CALLABLE:
                emit(words[i])
                i += 1
            continue
        emit(w.replace("\\&", ""))
        i += 1
    return " ".join(out)


def synopsis_lines(man):
    """The SYNOPSIS as text lines: each .Nm starts a new line."""
    lines, cur = [], None
    for line in man_sections(man).get("SYNOPSIS", []):
        if not line.startswith("."):
            if cur is not None and line.strip():
                cur.append(line.strip())
            continue
        words = line[1:].split()
        if not words:
            continue
        if words[0] == "Nm":
            if cur is not None:
                lines.append(" ".join(cur))
            cur = []
        if cur is None:
            continue
        text = render_macro_line(words)
        if text:
            cur.append(text)
    if cur:
        lines.append(" ".join(cur))
    return [re.sub(r"\s+", " ", l).strip() for l in lines]


# ---- the tests ----

def table_commands(root):
    src = read(root, "tool/commands.c")
    table = src[src.index("commands[] = {"):]
    table = table[:table.index("};")]
    return re.findall(r'\{\s*"([a-z][a-z0-9-]*)",\s*cmd_', table)


def test_commands(a, problems):
    cmds = table_commands(a.root)
    if not cmds:
        problems.append("tool/commands.c: no command table found")
        return
    rc, out, _ = run(["--help"], a.spnctl)
    helped = set(re.findall(r"^  ([a-z][a-z0-9-]*)\s{2,}\S", out.split("Commands:", 1)[-1].split("\n\n")[0], re.M))
    man = read(a.root, "doc/spnctl.1")
    subsections = set(m.group(1).strip() for m in re.finditer(r"^\.Ss\s+(.+)$",
                      "\n".join(man_sections(man).get("COMMANDS", [])), re.M))
    readme = read(a.root, "README.md")
    for c in cmds:
        if c not in helped:
            problems.append(f"command '{c}': not in `spnctl --help`")
        if c not in subsections:
            problems.append(f"command '{c}': no '.Ss {c}' under COMMANDS in doc/spnctl.1")
        if not re.search(r"spnctl " + re.escape(c) + r"\b", readme):
            problems.append(f"command '{c}': README.md never shows 'spnctl {c}'")
    for s in sorted(subsections - set(cmds)):
        problems.append(f"doc/spnctl.1: '.Ss {s}' under COMMANDS, but there is no such command")
    for h in sorted(helped - set(cmds)):
        problems.append(f"`spnctl --help` lists '{h}', which the command table does not have")


def usage_lines(text):
    lines = []
    for line in text.splitlines():
        m = re.match(r"^(?:usage:|      ) (spnctl .*)$", line)
        if m:
            lines.append(m.group(1).strip())
        elif lines:
            break
    return lines


def test_synopsis(a, problems):
    syn = synopsis_lines(read(a.root, "doc/spnctl.1"))
    if not syn:
        problems.append("doc/spnctl.1: empty SYNOPSIS")
        return
    wanted = []
    for c in table_commands(a.root):
        rc, out, err = run([c, "--help"], a.spnctl)
        u = usage_lines(out)
        if rc != 0 or not u:
            problems.append(f"`spnctl {c} --help`: exit {rc}, no usage line ({err.strip()})")
            continue
        wanted += u
    for mode in (["-L", "x"], ["-Q", "x"], ["-X"]):
        rc, out, err = run(mode + ["--help"], a.spnctl)
        u = usage_lines(out)
        if rc != 0 or not u:
            problems.append(f"`spnctl {' '.join(mode)} --help`: exit {rc}, no usage line")
            continue
        wanted += u
    for w in wanted:
        if w not in syn:
            problems.append(f"usage '{w}' is not a SYNOPSIS line of doc/spnctl.1 (it has: {syn})")
    for s in syn:
        if s not in wanted:
            problems.append(f"SYNOPSIS line '{s}' is no command's usage line")


def man_checks(man):
    """{code: (severity, dups)} of the CHECKS section: ".It Sy <code> Pq <severity>[, dups]"."""
    sec = "\n".join(man_sections(man).get("CHECKS", []))
    out = {}
    for m in re.finditer(r"^\.It Sy ([a-z0-9-]+)(.*)$", sec, re.M):
        words = [w.strip() for w in re.sub(r"^\s*Pq\s*", "", m.group(2)).split(",")]
        out[m.group(1)] = (words[0], "dups" in words[1:])
    return out


def readme_checks(readme):
    """{code: (severity, dups)} of README's checks table: "| `<code>` | <severity> | yes or empty |"."""
    return {m.group(1): (m.group(2), m.group(3) == "yes")
            for m in re.finditer(r"^\|\s*`([a-z0-9-]+)`\s*\|\s*([a-z]*)\s*\|\s*([a-z]*)\s*\|",
                                 readme, re.M)}


def test_checks(a, problems):
    rc, out, err = run(["checks", "-o", "json"], a.spnctl)
    if rc != 0:
        problems.append(f"`spnctl checks -o json`: exit {rc}: {err.strip()}")
        return
    registry = {c["code"]: (c["severity"], c["dups"]) for c in json.loads(out)["checks"]}
    if not registry:
        problems.append("`spnctl checks` lists no check")
    man = man_checks(read(a.root, "doc/spnctl.1"))
    readme = readme_checks(read(a.root, "README.md"))
    for c, (sev, dups) in registry.items():
        for where, doc, want in (
                ("doc/spnctl.1 CHECKS", man, f".It Sy {c} Pq {sev}{', dups' if dups else ''}"),
                ("README.md's checks table", readme, f"| `{c}` | {sev} | {'yes |' if dups else '|'}")):
            if c not in doc:
                problems.append(f"check '{c}': {where} has no entry (want '{want}')")
            elif doc[c] != (sev, dups):
                problems.append(f"check '{c}': {where} says {doc[c][0]}{', dups' if doc[c][1] else ''}, "
                                f"the registry {sev}{', dups' if dups else ''} (want '{want}')")
    for where, doc in (("doc/spnctl.1 CHECKS", man), ("README.md's checks table", readme)):
        for c in sorted(set(doc) - set(registry)):
            problems.append(f"{where} documents '{c}', which `spnctl checks` does not list")


def words(s):
    return [w.lstrip("-") for w in re.findall(r"[a-z0-9-]+", s.lower())]


def test_exit(a, problems):
    hdr = read(a.root, "tool/exit.h")
    defs = {}
    for m in re.finditer(r"/\*((?:(?!\*/).)*)\*/\s*#define\s+SPNCTL_EXIT_\w+\s+(\d+)", hdr, re.S):
        comment = " ".join(l.strip(" *") for l in m.group(1).splitlines())
        defs[int(m.group(2))] = comment.strip()
    if not defs:
        problems.append("tool/exit.h: no SPNCTL_EXIT_* definitions found")
        return
    sec = man_sections(read(a.root, "doc/spnctl.1")).get("EXIT STATUS", [])
    paras, cur = {}, None
    for line in sec:
        m = re.match(r"^\.It\s+(\d+)\s*$", line)
        if m:
            cur = int(m.group(1))
            paras[cur] = []
        elif line.startswith(".El"):
            cur = None
        elif cur is not None:
            paras[cur].append(re.sub(r"^\.\w+\s*", "", line))
    if set(paras) != set(defs):
        problems.append(f"EXIT STATUS of doc/spnctl.1 lists {sorted(paras)}, tool/exit.h defines {sorted(defs)}")
    for code, comment in defs.items():
        if code not in paras:
            continue
        lead = words(re.split(r"[.(:;]", comment)[0])
        text = words(" ".join(paras[code]))
        if text[:len(lead)] != lead:
            problems.append(f"exit status {code}: doc/spnctl.1 says '{' '.join(text[:len(lead)])}...', "
                            f"tool/exit.h says '{' '.join(lead)}...'")
    readme = read(a.root, "README.md")
    rows = set(int(x) for x in re.findall(r"^\|\s*(\d)\s*\|", readme, re.M))
    if rows != set(defs):
        problems.append(f"README.md's exit status table lists {sorted(rows)}, tool/exit.h defines {sorted(defs)}")


def test_options(a, problems):
    rc, out, _ = run(["--help"], a.spnctl)
    longs = set(re.findall(r"--([a-z][a-z-]+)", out))
    man = read(a.root, "doc/spnctl.1")
    documented = set(re.findall(r"\bFl -([a-z][a-z-]+)", man))
    for o in sorted(longs):
        if o not in documented:
            problems.append(f"option --{o} is in `spnctl --help` but not in doc/spnctl.1 (.Fl -{o})")


def test_helpwidth(a, problems):
    for args in [["--help"]] + [[c, "--help"] for c in table_commands(a.root)]:
        rc, out, err = run(args, a.spnctl)
        if rc != 0:
            problems.append(f"`spnctl {' '.join(args)}`: exit {rc} ({err.strip()})")
        for n, line in enumerate(out.splitlines(), 1):
            if len(line) >= 80:
                problems.append(f"`spnctl {' '.join(args)}` line {n} has {len(line)} columns: {line}")


README_BLOCK = re.compile(r"^```\n\$ build/spnctl ([^\n]*)\n(.*?)^```$", re.M | re.S)


def test_readme(a, problems):
    text = read(a.root, "README.md")
    blocks = list(README_BLOCK.finditer(text))
    if not blocks:
        problems.append("README.md: no ```$ build/spnctl ...``` example block")
        return
    out_text, pos = [], 0
    for m in blocks:
        argv = m.group(1).split()
        p = subprocess.run([a.spnctl] + argv, cwd=a.root, capture_output=True, text=True,
                           env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "TZ": "UTC"})
        if p.stderr:
            problems.append(f"README example 'spnctl {m.group(1)}' wrote to stderr: {p.stderr.strip()}")
        if p.stdout != m.group(2):
            problems.append(f"README example 'spnctl {m.group(1)}' no longer matches its output "
                            f"(run tests/docs/check_docs.py --update readme)")
        out_text.append(text[pos:m.start(2)])
        out_text.append(p.stdout)
        pos = m.end(2)
    out_text.append(text[pos:])
    if a.update:
        with open(os.path.join(a.root, "README.md"), "w", encoding="utf-8") as f:
            f.write("".join(out_text))
        problems.clear()
        print("README.md: example output rewritten; review `git diff README.md`")


def test_examples(a, problems):
    man = read(a.root, "doc/spnctl.1")
    checked = 0
    for m in re.finditer(r"^\.Bd -literal[^\n]*\n(.*?)^\.Ed$", man, re.M | re.S):
        lines = m.group(1).replace("\\&", "").replace("\\e", "\\").splitlines()
        if not lines or not lines[0].startswith("$ spnctl ") or len(lines) < 2:
            continue
        if any("..." in l for l in lines[1:]) or "examples/" not in lines[0]:
            continue  # shortened on purpose, or needs a live directory
        argv = lines[0][len("$ spnctl "):].split()
        p = subprocess.run([a.spnctl] + argv, cwd=a.root, capture_output=True, text=True,
                           env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "TZ": "UTC"})
        want = "\n".join(lines[1:]) + "\n"
        if p.stdout != want:
            problems.append(f"doc/spnctl.1 example '{lines[0]}' no longer matches its output:\n"
                            + "".join(difflib.unified_diff(want.splitlines(True), p.stdout.splitlines(True),
                                                           "man page", "spnctl")))
        checked += 1
    if not checked:
        problems.append("doc/spnctl.1: no complete '$ spnctl ...' example to check")


TESTS = {"examples": test_examples, "readme": test_readme, "commands": test_commands, "synopsis": test_synopsis, "checks": test_checks,
         "exit": test_exit, "options": test_options, "helpwidth": test_helpwidth}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spnctl", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true", help="readme: rewrite the example blocks")
    ap.add_argument("test", choices=sorted(TESTS))
    a = ap.parse_args()
    a.spnctl = os.path.abspath(a.spnctl)  # some tests run in the source root
    problems = []
    try:
        TESTS[a.test](a, problems)
    except Missing as e:
        problems.append(str(e))
    for p in problems:
        print(p)
    if not problems:
        print(f"{a.test}: docs and code agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
