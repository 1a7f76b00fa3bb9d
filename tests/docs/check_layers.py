#!/usr/bin/env python3
"""check_layers.py - the house rules of ARCHITECTURE.md, checked on the
built objects rather than on what the headers promise.

For every object file of libspn and the tool (nm: symbols each defines and
needs), it builds the call graph between source files and fails when

  1. a file calls into a layer above its own (data flows one way:
     base -> spn -> model -> source | ldap | check | krb -> plan | diag -> report
     -> tool); files of sibling layers (source, ldap, check, krb) do not
     call each other;
  2. two or more files call each other round in a cycle (a cycle means
     the two are one concern split badly, or one concern leaking into
     another);
  3. tool/ calls a libspn function that no public header (include/spn/)
     declares (tool sees only the front doors - and lib/base, the shared
     containers every layer may use);
  4. a file lives in a lib/ directory that is no layer above.

usage: check_layers.py BUILD_DIR SOURCE_ROOT
"""

import json
import os
import re
import subprocess
import sys

LAYERS = {
    "base": 0,
    "spn": 1,
    "model": 2,
    "source": 3, "ldap": 3, "check": 3, "krb": 3,
    "plan": 4, "diag": 4,
    "report": 5,
    "tool": 6,
}


def objects(build, root):
    """(source path relative to root, object path) for libspn and spnctl.

    compile_commands.json says which source each object was compiled from;
    without it, the object's name is mapped back (source_of)."""
    out = []
    db = os.path.join(build, "compile_commands.json")
    if os.path.isfile(db):
        with open(db) as f:
            for e in json.load(f):
                obj = os.path.join(e["directory"], e["output"])
                if os.path.basename(os.path.dirname(obj)) not in ("libspn.a.p", "spnctl.p"):
                    continue
                src = os.path.relpath(os.path.join(e["directory"], e["file"]), root)
                out.append((src, obj))
        return out
    for dirpath, _, files in os.walk(build):
        if not (dirpath.endswith("libspn.a.p") or dirpath.endswith("spnctl.p")):
            continue
        for f in files:
            if f.endswith(".c.o"):
                # meson names objects after the source path: lib_model_index.c.o
                out.append((source_of(f[:-2], root), os.path.join(dirpath, f)))
    return out


def source_of(objname, root):
    """lib_model_index.c -> lib/model/index.c (the real file decides the split)."""
    parts = objname.split("_")
    for i in range(1, len(parts)):
        for j in range(i + 1, len(parts) + 1):
            head = "/".join(parts[:i])
            mid = "_".join(parts[i:j])
            rest = "_".join(parts[j:])
            cand = os.path.join(head, mid, rest) if rest else os.path.join(head, mid)
            if os.path.isfile(os.path.join(root, cand)):
                return cand
        cand = os.path.join("/".join(parts[:i]), "_".join(parts[i:]))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return objname


def layer_of(path):
    p = path.split("/")
    if p[0] == "tool":
        return "tool"
    if p[0] == "lib" and len(p) > 2:
        return p[1]
    return None


def symbols(objs):
    """{object: (symbols it defines, symbols it needs)}, from one nm run."""
    r = subprocess.run(["nm", "-P", "-A"] + objs, capture_output=True, text=True, check=True)
    out = {o: (set(), set()) for o in objs}
    for line in r.stdout.splitlines():
        obj, _, rest = line.partition(": ")
        f = rest.split()
        if obj not in out or len(f) < 2:
            continue
        name, kind = f[0], f[1]
        if kind == "U":
            out[obj][1].add(name)
        elif kind in "TDBRCVW" and kind.isupper():
            out[obj][0].add(name)
    return out


def public_names(root):
    names = set()
    inc = os.path.join(root, "include", "spn")
    for f in os.listdir(inc):
        with open(os.path.join(inc, f)) as h:
            names.update(re.findall(r"\b(spn_[a-z0-9_]+)\s*\(", h.read()))
            h.seek(0)
            names.update(re.findall(r"extern [^;]*\b(spn_[a-z0-9_]+)\s*(?:\[|;)", h.read()))
    return names


def cycles(graph):
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build, root = sys.argv[1], sys.argv[2]
    objs = objects(build, root)
    if not objs:
        sys.exit(f"check_layers: no objects of libspn or spnctl under {build}")
    owner, needs = {}, {}
    syms = symbols([path for _, path in objs])
    for src, path in objs:
        d, n = syms[path]
        for s in d:
            owner[s] = src
        needs[src] = n
    graph = {}
    for src, n in needs.items():
        graph[src] = sorted({owner[s] for s in n if s in owner and owner[s] != src})
    problems = []
    for src in sorted(needs):
        if layer_of(src) is not None and layer_of(src) not in LAYERS:
            problems.append(f"{src}: {layer_of(src)} is no layer this script knows (LAYERS)")
    for src, callees in graph.items():
        ls = layer_of(src)
        for callee in callees:
            lc = layer_of(callee)
            if ls is None or lc is None or ls == lc or ls not in LAYERS or lc not in LAYERS:
                continue
            if LAYERS[lc] > LAYERS[ls]:
                problems.append(f"{src} ({ls}) calls up into {callee} ({lc})")
            elif LAYERS[lc] == LAYERS[ls]:
                problems.append(f"{src} ({ls}) calls its sibling layer: {callee} ({lc})")
    for comp in cycles(graph):
        problems.append("files calling each other round: " + " <-> ".join(comp))
    public = public_names(root)
    for src, n in needs.items():
        if layer_of(src) != "tool":
            continue
        for s in sorted(n):
            if s in owner and layer_of(owner[s]) not in ("tool", "base") and s not in public:
                problems.append(f"{src} calls {s} ({owner[s]}), which no include/spn/ header "
                                f"declares")
    for p in problems:
        print("FAIL " + p)
    print(f"check_layers: {len(needs)} files, {sum(len(v) for v in graph.values())} calls "
          f"between files, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
