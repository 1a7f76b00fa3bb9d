#!/usr/bin/env python3
"""test_slapd.py - spnctl against a real OpenLDAP slapd serving a generated
AD-shaped directory (tests/gen/spngen; schema and loading in
slapd_fixture.py).

 - paging: --page-size 7 over thousands of entries (and the default page
   size) gives exactly the findings of the offline audit of the same LDIF;
 - a snapshot of the live directory audits offline to the same report;
 - the server killed (SIGKILL) in the middle of the search: a TCP relay
   between spnctl and slapd passes a fixed number of the server's bytes,
   then kills slapd and closes - deterministic, and the server really
   dies - so the report must say complete: false, name what is missing, and
   exit 2;
 - a size limit on the bind identity: incomplete, exit 2, says so;
 - a ranged-request option is not sent to a server that is not AD.

usage: test_slapd.py SPNCTL SPNGEN
"""

import os
import pty
import re
import select
import subprocess
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib  # noqa: E402
from slapd_fixture import LIMITED_PASSWORD, Slapd, domain_dn  # noqa: E402

NOW = "2026-01-01"
ACCOUNTS = "20000"
DOMAINS = "3"
FOREST_DOMAINS = ("corp.example.com", "emea.corp.example.com", "apac.corp.example.com")
# What a Global Catalog does not hold (ad-spn-reference.md 5.2): written
# only to the "DC" slapd; the "GC" slapd gets the LDIF without them.
NOT_IN_GC = ("adminCount", "msDS-AllowedToDelegateTo", "msDS-SupportedEncryptionTypes",
             "pwdLastSet", "memberOf", "sPNMappings", "dSHeuristics")


def ad_case(v):
    """slapd writes a DN's attribute types in its schema's spelling ("cn=",
    "ou=", "dc="), AD and the generated LDIF in upper case: compare JSON
    with that one difference taken out."""
    if isinstance(v, str):
        return re.sub(r"(?<![A-Za-z])(cn|ou|dc)=", lambda m: m.group(1).upper() + "=", v)
    if isinstance(v, list):
        return [ad_case(x) for x in v]
    if isinstance(v, dict):
        return {k: ad_case(x) for k, x in v.items()}
    return v


def strip_ldif(src, dst, drop):
    """Copy an LDIF without some attributes (folded lines included)."""
    drop = tuple(a.lower() for a in drop)
    skipping = False
    with open(src, "rb") as f, open(dst, "wb") as out:
        for line in f:
            if line.startswith(b" "):
                if not skipping:
                    out.write(line)
                continue
            name = line.split(b":", 1)[0].split(b";", 1)[0].decode("ascii", "replace").lower()
            skipping = ":" in line.decode("latin-1") and name in drop
            if not skipping:
                out.write(line)


def with_terminal(argv):
    """Run argv with standard error on a pseudo-terminal (standard output
    discarded); returns (exit status, what the terminal showed)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # EIO: the other side is closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    return p.wait(), shown.decode("utf-8", "replace")


def forest_checks(c, s, dc, ldif, off):
    """--forest: a GC slapd holding only the partial attribute set, and the
    full directory on a "DC" slapd found through SRV records (resolv_wrapper)."""
    if not livelib.find_library("libresolv_wrapper.so"):
        c.check("libresolv_wrapper.so is installed (scripts/deps.sh)", False)
        return
    gc_ldif = f"{dc.dir}/gc.ldif"
    strip_ldif(ldif, gc_ldif, NOT_IN_GC)
    with Slapd() as gc:
        gc.configure()
        # The forest's Partitions container: --forest contacts only the
        # domains it lists (crossRef objects with FLAG_CR_NTDS_DOMAIN).
        parts = f"{dc.dir}/partitions.ldif"
        with open(parts, "w") as f:
            for d in FOREST_DOMAINS:
                label = d.split(".")[0].upper()
                f.write(f"dn: CN={label},CN=Partitions,CN=Configuration,{domain_dn(FOREST_DOMAINS[0])}\n"
                        f"objectClass: top\nobjectClass: crossRef\ncn: {label}\n"
                        f"nCName: {domain_dn(d)}\ndnsRoot: {d}\nsystemFlags: 3\n\n")
        gc.load(gc_ldif, parts)
        gc.start()

        def srv(path, port_of):
            with open(path, "w") as f:
                for d in FOREST_DOMAINS:
                    f.write(f"SRV _ldap._tcp.dc._msdcs.{d} 127.0.0.1 {port_of(d)} 0 100\n")
            return dict(os.environ, LD_PRELOAD="libresolv_wrapper.so", RESOLV_WRAPPER_HOSTS=path)

        dcport = int(dc.uri.rsplit(":", 1)[1])
        env = srv(f"{gc.dir}/dns", lambda d: dcport)
        base = ["audit", "--now", NOW, "-o", "json", "-x"]
        r = s(*base, "-H", gc.uri)
        c.check("the GC alone (no --forest) lacks delegation, privilege and encryption data: "
                "different findings", r.rc == 1 and ad_case(r.json.get("findings")) !=
                off.json.get("findings"), r.show())
        r = s(*base, "--forest", "-H", gc.uri, env_=env)
        c.check("--forest: GC (partial attributes) + each domain's DC by SRV, merged: the offline "
                "findings exactly", r.rc == off.rc and r.json.get("complete") is True and
                ad_case(r.json.get("findings")) == off.json.get("findings") and
                [x.get("name") for x in r.json.get("sources", [])] == [gc.uri],
                r.show() + "\n" + livelib.json_diff(ad_case(r.json.get("findings")),
                                                    off.json.get("findings")))
        r = s(*base, "--forest", "-T", "emea.corp.example.com", "-H", gc.uri, env_=env)
        doms = {a.get("domain") for f in r.json.get("findings", []) for a in f.get("accounts", [])}
        c.check("--forest -T emea.corp.example.com: that domain only", r.rc == 1 and
                r.json.get("complete") is True and doms == {"emea.corp.example.com"}, r.show())
        dead = livelib.free_port()
        env1 = dict(env, LDAPURI=f"ldap://127.0.0.1:{dead} {gc.uri}")
        env1.pop("LDAPNOINIT", None)
        r = s(*base, "--forest", env_=env1)
        c.check("--forest without -H: every URI of ldap.conf's list (LDAPURI) is tried as a GC - "
                "an unreachable first one, then the GC: the offline findings exactly",
                r.rc == off.rc and r.json.get("complete") is True and
                ad_case(r.json.get("findings")) == off.json.get("findings") and
                [x.get("name") for x in r.json.get("sources", [])] == [gc.uri], r.show())
        env2 = srv(f"{gc.dir}/dns2", lambda d: dead if d.startswith("apac") else dcport)
        r = s(*base, "--forest", "-H", gc.uri, env_=env2)
        gaps = r.json.get("gaps", [])
        c.check("--forest, apac's DC unreachable: incomplete, exit 2, one gap naming the "
                "attributes, the domain and why", r.rc == 2 and r.json.get("complete") is False and
                len(gaps) == 1 and "apac.corp.example.com" in gaps[0] and
                "msDS-AllowedToDelegateTo" in gaps[0] and "cannot reach" in gaps[0], r.show())
        r = s(*base, "--forest", "-H", gc.uri)
        gaps = r.json.get("gaps", [])
        c.check("--forest on a non-standard GC port without SRV records: no DC is guessed; a "
                "gap per domain, exit 2", r.rc == 2 and len(gaps) == 3 and
                all("no DC found" in g for g in gaps), r.show())


class KillingRelay(threading.Thread):
    """TCP relay to slapd for every connection spnctl opens: once `after`
    bytes from the server have passed (all connections together) it stops
    forwarding, SIGKILLs slapd and closes the clients' connections."""

    def __init__(self, upstream_port, after, kill):
        super().__init__(daemon=True)
        self.upstream_port, self.after, self.kill = upstream_port, after, kill
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.passed = 0
        self.fired = False
        self.lock = threading.Lock()
        self.pipes = []

    def run(self):
        self.sock.settimeout(0.2)
        while not self.fired:
            try:
                client, _ = self.sock.accept()
            except socket.timeout:
                continue
            t = threading.Thread(target=self.pipe, args=(client,), daemon=True)
            t.start()
            self.pipes.append(t)
        self.sock.close()
        for t in self.pipes:
            t.join(30)

    def pipe(self, client):
        up = socket.create_connection(("127.0.0.1", self.upstream_port))
        try:
            while not self.fired:
                r, _, _ = select.select([client, up], [], [], 0.2)
                if client in r:
                    data = client.recv(65536)
                    if not data:
                        break
                    up.sendall(data)
                if up in r:
                    data = up.recv(65536)
                    if not data:
                        break
                    with self.lock:
                        if self.fired:
                            break
                        room = self.after - self.passed
                        client.sendall(data[:room])
                        self.passed += min(len(data), room)
                        if len(data) >= room:
                            self.fired = True
                            self.kill()
        finally:
            client.close()
            up.close()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: test_slapd.py SPNCTL SPNGEN")
    spnctl, spngen = (os.path.abspath(a) for a in sys.argv[1:])
    livelib.stop_on_signals()
    c = livelib.Checks("slapd")
    with Slapd() as sl:
        sl.preflight()
        if not os.access(spngen, os.X_OK):
            livelib.skip(f"{spngen} is not built")
        sl.configure()
        ldif = f"{sl.dir}/gen.ldif"
        r = livelib.run([spngen, "--accounts", ACCOUNTS, "--domains", DOMAINS, "--seed", "1",
                         "-o", ldif])
        if r.rc != 0:
            c.check("spngen writes the directory", False, r.show())
            c.finish()
        print(f"loaded in {sl.load(ldif):.1f} s, started in {sl.start():.1f} s ({sl.uri}, "
              f"{sl.dir})", flush=True)

        def s(*args, env_=None):
            return livelib.run([spnctl] + list(args), env=env_)

        live = ["-H", sl.uri, "-x"]
        off = s("audit", "--now", NOW, "-o", "json", "-f", ldif)
        c.check("offline audit of the generated directory: complete, with findings (exit 1)",
                off.rc == 1 and off.json.get("complete") is True and
                len(off.json.get("findings", [])) > 50, off.show())

        t = time.time()
        r = s("audit", "--now", NOW, "-o", "json", "--page-size", "7", *live)
        el = time.time() - t
        c.check(f"live audit, --page-size 7 ({el:.1f} s): the offline findings exactly",
                r.rc == off.rc and r.json.get("complete") is True and
                ad_case(r.json.get("findings")) == off.json.get("findings") and
                r.json.get("gaps") == [],
                r.show() + "\n" + livelib.json_diff(ad_case(r.json.get("findings")),
                                                    off.json.get("findings")))
        pages = r.json.get("sources", [{}])[0].get("entries", 0) // 7
        c.check(f"... over {pages} pages of 7", pages > 1000, r.show())
        c.check("... the live sPNMappings and dSHeuristics were read (uniqueness-disabled)",
                livelib.finding_codes(r.json).get("uniqueness-disabled") == 1, r.show())
        r2 = s("audit", "--now", NOW, "-o", "json", *live)
        c.check("live audit, default page size: the same report",
                r2.rc == r.rc and r2.json == r.json, livelib.json_diff(r2.json, r.json))
        r3 = s("audit", "--now", NOW, "-o", "json", "--range-step", "5", *live)
        c.check("--range-step is not sent to a server that is not AD (slapd would return no "
                "values): same report", r3.rc == r.rc and r3.json == r.json,
                livelib.json_diff(r3.json, r.json))
        for cmd in (["dups"], ["query", "HTTP/*"], ["list", "Administrator", "EXCH01$"]):
            lv = s(*cmd, "-o", "json", *live)
            of = s(*cmd, "-o", "json", "-f", ldif)
            key = {"dups": "findings", "query": "queries", "list": "accounts"}[cmd[0]]
            c.check(f"live {' '.join(cmd)} = offline", lv.rc == of.rc and
                    ad_case(lv.json.get(key)) == of.json.get(key) and lv.json.get(key),
                    livelib.json_diff(ad_case(lv.json.get(key)), of.json.get(key)) + "\n" +
                    lv.show())

        snap = f"{sl.dir}/snap.ldif"
        r = s("snapshot", "-o", snap, "--page-size", "500", *live)
        o2 = s("audit", "--now", NOW, "-o", "json", "-f", snap)
        c.check("snapshot of the live directory audits offline to the live report",
                r.rc == 0 and o2.rc == r2.rc and
                livelib.without(o2.json, "sources") == livelib.without(r2.json, "sources"),
                r.show() + "\n" + livelib.json_diff(livelib.without(o2.json, "sources"),
                                                    livelib.without(r2.json, "sources")))

        forest_checks(c, s, sl, ldif, off)

        rc, shown = with_terminal([spnctl, "dups", "--page-size", "7", *live])
        lines = [x for x in shown.split("\r") if "entries read" in x]
        c.check("progress on a terminal: one line rewritten with \\r "
                "('spnctl: N entries read (R/s)'), erased at the end",
                rc == 1 and lines and re.search(r"spnctl: [0-9,]+ entries read \([0-9,]+/s\)",
                                                lines[-1]) and "\n" not in "".join(lines) and
                shown.split("\r")[-1].strip() == "",
                repr(shown[-500:]))
        r = s("dups", "--page-size", "7", *live)
        c.check("no progress line when standard error is not a terminal",
                r.rc == 1 and "entries read" not in r.err, r.err[-500:])

        # ---- a size limit ----
        pw = f"{sl.dir}/limited.pw"
        with open(pw, "w") as f:
            f.write(LIMITED_PASSWORD + "\n")
        r = s("audit", "--now", NOW, "-o", "json", "-H", sl.uri, "-D", sl.limited_dn,
              "--password-file", pw, "--allow-cleartext-password", "--page-size", "100")
        gaps = r.json.get("gaps", [])
        c.check(f"size limit {sl.size_limit} on the bind identity: complete false, exit 2, the "
                "gap names the search and the limit",
                r.rc == 2 and r.json.get("complete") is False and len(gaps) == 1 and
                "size limit exceeded" in gaps[0].lower() and "stopped after" in gaps[0] and
                sl.uri in gaps[0] and "incomplete" in r.err, r.show())
        r = s("snapshot", "-o", f"{sl.dir}/limited.ldif", "-H", sl.uri, "-D", sl.limited_dn,
              "--password-file", pw, "--allow-cleartext-password")
        o3 = s("audit", "-o", "json", "-f", f"{sl.dir}/limited.ldif")
        c.check("... its snapshot says so, exits 2, and reads back incomplete",
                r.rc == 2 and "# complete: false" in open(f"{sl.dir}/limited.ldif").read() and
                o3.rc == 2 and o3.json.get("complete") is False, r.show() + "\n" + o3.show())

        # ---- the server killed in the middle of the search ----
        relay = KillingRelay(int(sl.uri.rsplit(":", 1)[1]), 300_000, sl.kill)
        relay.start()
        r = s("audit", "--now", NOW, "-o", "json", "--page-size", "50", "-H",
              f"ldap://127.0.0.1:{relay.port}", "-x")
        relay.join(30)
        gaps = r.json.get("gaps", [])
        c.check("server SIGKILLed mid-search (after 300,000 bytes): slapd is dead",
                relay.fired and sl.proc.poll() is not None, f"fired={relay.fired}")
        c.check("... JSON complete: false, exit 2, the gaps say the connection was lost in the "
                "account search and the rest was not read",
                r.rc == 2 and r.json.get("complete") is False and 1 <= len(gaps) <= 2 and
                "connection lost after" in gaps[0] and "search for accounts with SPNs under "
                f"'{sl.suffix}'" in gaps[0] and "the rest was not read" in gaps[0] and
                "incomplete" in r.err, r.show())
        n = r.json.get("sources", [{}])[0].get("entries", 0)
        c.check(f"... what arrived before the kill was read ({n} entries) and no more",
                0 < n < r2.json.get("sources", [{}])[0].get("entries", 0), r.show())
        sl.start()
        r = s("audit", "--now", NOW, "-o", "json", *live)
        c.check("slapd restarted on the same database: the full report again",
                r.rc == r2.rc and r.json == r2.json, livelib.json_diff(r.json, r2.json))
        r = s("audit", "-o", "json", "-H", "ldap://127.0.0.1:1", "-x")
        c.check("nothing listening: exit 2, cannot reach the server", r.rc == 2 and
                "cannot reach" in r.err and r.out == "", r.show())
    c.finish()


if __name__ == "__main__":
    main()
