"""livelib.py - what the live tests share: skipping (exit 77, or a failure
under SPNCTL_NO_SKIP=1), running spnctl, named checks that report every
failure and keep going, free ports, and comparing JSON reports."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys

SKIP = 77


def stop_on_signals():
    """meson ends a test that runs too long with SIGTERM: turn it into an
    exception so fixtures stop their servers on the way out."""
    def handler(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def keep_dirs():
    """SPNCTL_KEEP_LIVE=1 keeps the servers' directories for a post-mortem."""
    return os.environ.get("SPNCTL_KEEP_LIVE") == "1"


def skip(reason):
    """The real peer cannot run here: skip, unless CI forbids skipping."""
    if os.environ.get("SPNCTL_NO_SKIP") == "1":
        print(f"FAIL: cannot run (and SPNCTL_NO_SKIP=1 forbids a skip): {reason}", flush=True)
        sys.exit(1)
    print(f"SKIP: {reason}", flush=True)
    sys.exit(SKIP)


def need_programs(*names):
    missing = [n for n in names if not shutil.which(n)]
    if missing:
        skip("missing program(s): " + ", ".join(missing))


def find_library(name):
    """Path of a shared library in the usual Debian places, or None."""
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
              "/usr/lib", "/lib/x86_64-linux-gnu"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    return None


def port_free(port, host="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Result:
    def __init__(self, argv, rc, out, err):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err
        self._json = None

    @property
    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.out)
            except ValueError:
                self._json = {}
        return self._json

    def show(self):
        out = self.out if len(self.out) < 3000 else self.out[:3000] + "\n[...]"
        return f"$ {' '.join(self.argv)}\nexit {self.rc}\nstdout:\n{out}\nstderr:\n{self.err}"


# spnctl stamps its reports with the time ("audit_time"); two runs compared
# for equal output must carry the same stamp: SOURCE_DATE_EPOCH pins it.
PINNED_TIME = "1767225600"


def run(argv, env=None, input=None, timeout=180):
    if os.path.basename(argv[0]) in ("spnctl", "setspn"):
        env = dict(os.environ if env is None else env)
        env.setdefault("SOURCE_DATE_EPOCH", PINNED_TIME)
    try:
        p = subprocess.run(argv, env=env, input=input, capture_output=True, text=True,
                           timeout=timeout)
        return Result(argv, p.returncode, p.stdout, p.stderr)
    except subprocess.TimeoutExpired as e:
        return Result(argv, -1, e.stdout or "", f"timed out after {timeout}s")


class Checks:
    """Named checks: each prints ok/FAIL with the evidence; all run."""

    def __init__(self, title):
        self.title = title
        self.n = 0
        self.failed = []

    def check(self, name, cond, detail=""):
        self.n += 1
        print(("ok   " if cond else "FAIL ") + name, flush=True)
        if not cond:
            self.failed.append(name)
            if detail:
                print("     " + str(detail).replace("\n", "\n     "), flush=True)
        return cond

    def finish(self):
        print(f"{self.title}: {self.n - len(self.failed)} of {self.n} checks passed", flush=True)
        for f in self.failed:
            print(f"  failed: {f}")
        sys.exit(1 if self.failed else 0)


def without(d, *keys):
    """A JSON report without some top-level keys (e.g. "sources")."""
    return {k: v for k, v in d.items() if k not in keys}


def json_diff(a, b):
    """A short description of where two JSON values first differ, or ''."""
    if a == b:
        return ""
    sa = json.dumps(a, indent=1, sort_keys=True).splitlines()
    sb = json.dumps(b, indent=1, sort_keys=True).splitlines()
    for i, (x, y) in enumerate(zip(sa, sb)):
        if x != y:
            return f"line {i}: {x.strip()} != {y.strip()}"
    return f"lengths {len(sa)} != {len(sb)}"


def finding_codes(report):
    """{code: count} of a findings report."""
    out = {}
    for f in report.get("findings", []):
        out[f["code"]] = out.get(f["code"], 0) + 1
    return out
