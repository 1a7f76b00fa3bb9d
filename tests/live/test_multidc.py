#!/usr/bin/env python3
"""test_multidc.py - spnctl across two real Samba AD DCs that replicate
on demand (samba_pair.py: dc1 on 127.0.0.1, dc2 joined on 127.0.0.2).

Issue 12, end to end:
 - the same SPN written to two accounts, one on each DC, before
   replication: neither DC alone shows a duplicate; --all-dcs shows it,
   says no DC shows it by itself, and on which DC each account holds it;
   the values the DCs disagree on are listed;
 - provenance names the DC where each value was written (replPropertyMetaData
   read from both DCs), in text and JSON, and a snapshot keeps it for an
   offline audit;
 - after replication both DCs show it and the differences are gone;
 - DNS names only dc1 here (resolv_wrapper answers one SRV record per
   name) while the configuration names both: a note says so, both are
   read; a DC that cannot be read is a gap naming it (exit 2), never
   silence;
 - fix --apply --wait on DC1: without replication DC2 is named as behind;
   with the test replicating a few seconds later it converges on DC2, and
   kvno against each DC's KDC succeeds afterwards; add --wait on DC2
   converges on DC1 the same way.

usage: test_multidc.py SPNCTL
"""

import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib  # noqa: E402
from samba_fixture import BASE, DNSDOMAIN, REALM  # noqa: E402
from samba_pair import SambaPair  # noqa: E402

SPN = "HTTP/shared.contoso.test"
A = f"CN=svc_a,CN=Users,{BASE}"
B = f"CN=svc_b,CN=Users,{BASE}"


def add_spn(dc, dn, spn):
    return dc.ldapmodify(f"dn: {dn}\nchangetype: modify\nadd: servicePrincipalName\n"
                         f"servicePrincipalName: {spn}\n")


def find(report, code, spn):
    for f in report.get("findings", []):
        if f["code"] == code and f.get("spn", "").lower() == spn.lower():
            return f
    return None


def account(finding, dn):
    for a in (finding or {}).get("accounts", []):
        if a["dn"].lower() == dn.lower():
            return a
    return {}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_multidc.py SPNCTL")
    spnctl = os.path.abspath(sys.argv[1])
    livelib.stop_on_signals()
    c = livelib.Checks("multidc")
    with SambaPair() as p:
        p.preflight()
        print(f"dc1 provisioned and started in {p.provision():.1f} s", flush=True)
        print(f"dc2 joined and started in {p.join():.1f} s ({p.dir})", flush=True)
        dc1, dc2 = p.dcs[1], p.dcs[2]
        env = p.env

        def s(*args, env_=None):
            return livelib.run([spnctl] + list(args), env=env_ or env, timeout=300)

        for sam in ("svc_a", "svc_b", "lowpriv"):
            r = dc1.tool("user", "create", sam, "Svc.Passw0rd.1")
            c.check(f"plant: user {sam} on dc1", r.rc == 0, r.show())
        r = p.replicate(2, 1)
        c.check("plant: the users replicated to dc2", r.rc == 0, r.show())
        r = add_spn(dc1, A, SPN)
        c.check(f"plant: {SPN} on svc_a, written on dc1", r.rc == 0, r.show())
        r = add_spn(dc2, B, SPN)
        c.check(f"plant: {SPN} on svc_b, written on dc2 (dc2 does not see dc1's yet)",
                r.rc == 0, r.show())

        # ---- one DC at a time sees no duplicate ----
        for n in (1, 2):
            r = s("dups", "-o", "json", "-H", f"ldap://{p.dcs[n].host}")
            c.check(f"dups against dc{n} alone: no duplicate of {SPN}",
                    r.json is not None and find(r.json, "duplicate-spn", SPN) is None, r.show())

        # ---- every DC ----
        r = s("audit", "--all-dcs", "-d", DNSDOMAIN, "-o", "json")
        rep = r.json or {}
        f = find(rep, "duplicate-spn", SPN)
        c.check("--all-dcs: exit 1 and a duplicate-spn finding for the SPN written on two DCs",
                r.rc == 1 and f is not None, r.show())
        dcs = {d["name"]: d for d in rep.get("dcs", [])}
        # resolv_wrapper answers one SRV record per name (the first: dc1),
        # so DNS and the configuration really disagree here: DC2 is in the
        # configuration only, which a note must say - and DC2 is read.
        c.check("--all-dcs: both DCs found and read; DC1 in DNS and the configuration, DC2 in "
                "the configuration only", sorted(dcs) == ["DC1", "DC2"] and
                all(d["read"] and d["in_configuration"] for d in dcs.values()) and
                dcs["DC1"]["in_dns"] and not dcs["DC2"]["in_dns"],
                json.dumps(rep.get("dcs")))
        c.check("--all-dcs: a note says DC2 has no SRV record (DNS and the configuration "
                "disagree)", any(n.startswith("DC2 (dc2.contoso.test) has no _ldap._tcp.dc."
                                           "_msdcs.contoso.test SRV record")
                                 for n in rep.get("dc_notes", [])), str(rep.get("dc_notes")))
        c.check("--all-dcs: no DC shows the duplicate by itself (shown_by empty, "
                "not_shown_by both)", f is not None and f.get("shown_by") == [] and
                sorted(f.get("not_shown_by", [])) == ["DC1", "DC2"], json.dumps(f))
        a, b = account(f, A), account(f, B)
        c.check("--all-dcs: svc_a holds it on DC1 only, svc_b on DC2 only",
                a.get("on_dcs") == ["DC1"] and a.get("not_on_dcs") == ["DC2"] and
                b.get("on_dcs") == ["DC2"] and b.get("not_on_dcs") == ["DC1"], json.dumps(f))
        c.check("provenance: svc_a's servicePrincipalName last written on DC1, svc_b's on DC2",
                a.get("spn_changed", {}).get("dc") == "DC1" and
                b.get("spn_changed", {}).get("dc") == "DC2", json.dumps(f))
        diffs = {(d["dn"].lower(), d["spn"].lower()): d for d in rep.get("dc_differences", [])}
        da, db = diffs.get((A.lower(), SPN.lower())), diffs.get((B.lower(), SPN.lower()))
        c.check("--all-dcs: the differences between DCs list both values and where they are",
                da is not None and db is not None and da["on_dcs"] == ["DC1"] and
                db["on_dcs"] == ["DC2"], json.dumps(rep.get("dc_differences")))
        r = s("dups", "--all-dcs", "-T", "CONTOSO", "-H", f"ldap://{dc1.host}", "-o", "json")
        c.check("--all-dcs -T CONTOSO (a NetBIOS name) -H dc1: the same two DCs, the duplicate",
                r.rc == 1 and sorted(d["name"] for d in (r.json or {}).get("dcs", [])) ==
                ["DC1", "DC2"] and find(r.json, "duplicate-spn", SPN) is not None, r.show())
        r = s("dups", "--all-dcs", "-d", DNSDOMAIN)
        c.check("--all-dcs text: the DCs, 'last changed ... on DC1' and '... on DC2', "
                "exit 1", r.rc == 1 and "Domain controllers (2):" in r.out and
                "servicePrincipalName on svc_a last changed" in " ".join(r.out.split()) and
                "on DC1 (version" in " ".join(r.out.split()) and
                "on DC2 (version" in " ".join(r.out.split()), r.show())

        # ---- provenance without --all-dcs, kept by a snapshot ----
        r = s("dups", "--provenance", "-H", f"ldap://{dc2.host}", "-o", "json")
        c.check("--provenance against dc2 alone: no duplicate there, exit 0",
                r.rc == 0 and find(r.json or {}, "duplicate-spn", SPN) is None, r.show())
        r = s("audit", "--provenance", "-H", f"ldap://{dc1.host}", "-o", "json")
        c.check("audit --provenance as Administrator: svc_a's stamp, no note on stderr",
                r.rc == 1 and "replPropertyMetaData" not in r.err and
                any(a.get("spn_changed", {}).get("dc") == "DC1"
                    for x in (r.json or {}).get("findings", []) for a in x["accounts"]
                    if a["dn"] == A), r.show())
        lowenv = dict(env)
        lowenv["KRB5CCNAME"] = f"FILE:{p.dir}/ccache-lowpriv"
        k = livelib.run(["kinit", f"lowpriv@{REALM}"], env=lowenv, input="Svc.Passw0rd.1\n",
                        timeout=30)
        r = s("audit", "--provenance", "-H", f"ldap://{dc1.host}", "-o", "json", env_=lowenv)
        low = r.json or {}
        c.check("audit --provenance as an ordinary user (lowpriv): Samba serves "
                "replPropertyMetaData to it too - the same stamp, no note",
                k.rc == 0 and r.rc == 1 and low.get("complete") is True and
                "replPropertyMetaData" not in r.err and
                any(a.get("spn_changed", {}).get("dc") == "DC1"
                    for x in low.get("findings", []) for a in x["accounts"] if a["dn"] == A),
                k.show() + r.show())
        snap = os.path.join(p.dir, "snap.ldif")
        r = s("snapshot", "--all-dcs", "-d", DNSDOMAIN, "--provenance", "-o", snap)
        c.check("snapshot --all-dcs --provenance writes a snapshot", r.rc == 0, r.show())
        r = s("dups", "-f", snap, "-o", "json")
        f = find(r.json or {}, "duplicate-spn", SPN)
        c.check("offline audit of that snapshot: the duplicate, with the DC of each write",
                r.rc == 1 and account(f, A).get("spn_changed", {}).get("dc") == "DC1" and
                account(f, B).get("spn_changed", {}).get("dc") == "DC2", r.show())

        # ---- after replication ----
        for dst, src in ((1, 2), (2, 1)):
            r = p.replicate(dst, src)
            c.check(f"replicate dc{src} -> dc{dst}", r.rc == 0, r.show())
        r = s("audit", "--all-dcs", "-d", DNSDOMAIN, "-o", "json")
        f = find(r.json or {}, "duplicate-spn", SPN)
        c.check("after replication: each DC shows the duplicate itself, no difference left",
                f is not None and sorted(f.get("shown_by", [])) == ["DC1", "DC2"] and
                (r.json or {}).get("dc_differences") == [], r.show())

        def plain(rep):   # findings without what --all-dcs adds
            out = []
            for x in (rep or {}).get("findings", []):
                out.append((x["code"], x["severity"], (x.get("spn") or "").lower(),
                            tuple(sorted(a["dn"].lower() for a in x["accounts"])), x["message"]))
            return sorted(out)
        one = s("audit", "-H", f"ldap://{dc1.host}", "-o", "json")
        c.check("after replication: --all-dcs finds exactly what an audit of dc1 alone finds "
                "(the union loses nothing the checks read)",
                one.json is not None and plain(r.json) == plain(one.json) and
                len(plain(one.json)) >= 2,
                livelib.json_diff(plain(r.json), plain(one.json)))

        # ---- fix with --wait: no replication, DC2 named as behind ----
        r = s("fix", "--apply", "--yes", "--keep", "svc_a", "-H", f"ldap://{dc1.host}",
              "--wait", "8", "-o", "json",
              "--undo-file", os.path.join(p.dir, "undo1.ldif"))
        w = (r.json or {}).get("wait", {})
        behind = sorted(d["name"] for d in w.get("dcs", []) if d.get("behind"))
        c.check("fix --apply --wait 8 without replication: not converged, DC2 named as behind",
                w.get("converged") is False and behind == ["DC2"], r.show())
        r = dc1.kvno(SPN)
        c.check("after the fix: dc1's KDC issues a ticket for the SPN", r.rc == 0, r.show())
        r = dc2.kvno(SPN)
        c.check("after the fix, before replication: dc2's KDC still refuses it (two holders)",
                r.rc != 0, r.show())
        r = p.replicate(2, 1)
        c.check("replicate dc1 -> dc2", r.rc == 0, r.show())

        # ---- fix with --wait while the test replicates a few seconds later ----
        r = add_spn(dc2, B, SPN + ":8080")
        r2 = add_spn(dc1, A, SPN + ":8080")
        c.check("plant again: a port variant on both accounts, one on each DC",
                r.rc == 0 and r2.rc == 0, r.show() + r2.show())
        r = p.replicate(1, 2)
        c.check("replicate dc2 -> dc1 (dc1 sees both now)", r.rc == 0, r.show())
        later = threading.Timer(4.0, lambda: p.replicate(2, 1))
        later.start()
        r = s("fix", "--apply", "--yes", "--keep", "svc_a", "-H", f"ldap://{dc1.host}",
              "--wait", "120", "-o", "json",
              "--undo-file", os.path.join(p.dir, "undo2.ldif"))
        later.join()
        w = (r.json or {}).get("wait", {})
        per = {d["name"]: d for d in w.get("dcs", [])}
        print("     converged in %s ms: %s" % (w.get("milliseconds"), ", ".join(
            f"{n} directory {d.get('directory_ms')} ms, KDC {d.get('kdc_ms')} ms"
            for n, d in sorted(per.items()))), flush=True)
        c.check("fix --apply --wait 120, replication 4 s later: converged on every DC, "
                "DC2's directory agreed after about 4 s",
                r.rc == 0 and w.get("converged") is True and
                per.get("DC2", {}).get("directory_ms", 0) >= 3000, r.show())
        c.check("--wait asked each DC's KDC (a ticket cache) and each issued the ticket",
                w.get("kdcs_asked") is True and
                all(d.get("kdc_ms") is not None for d in per.values()), json.dumps(w))
        for n in (1, 2):
            r = p.dcs[n].kvno(SPN + ":8080")
            c.check(f"kvno against dc{n}'s KDC succeeds afterwards", r.rc == 0, r.show())

        # ---- any write: add on DC2, followed to DC1 ----
        later = threading.Timer(3.0, lambda: p.replicate(1, 2))
        later.start()
        r = s("add", "HTTP/added.contoso.test", "svc_b", "-H", f"ldap://{dc2.host}",
              "--wait", "120", "-o", "json",
              "--undo-file", os.path.join(p.dir, "undo3.ldif"))
        later.join()
        w = (r.json or {}).get("wait", {})
        per = {d["name"]: d for d in w.get("dcs", [])}
        c.check("add on DC2 --wait 120, replication 3 s later: converged, DC1 after >= 2 s, "
                "both KDCs issue the new SPN's ticket",
                r.rc == 0 and w.get("converged") is True and
                per.get("DC1", {}).get("directory_ms", 0) >= 2000 and
                all(d.get("kdc_ms") is not None for d in per.values()), r.show())

        # ---- rm --wait on a terminal, no replication: progress, DC1 behind ----
        cmd = " ".join([spnctl, "rm", "HTTP/added.contoso.test", "svc_b", "-H",
                        f"ldap://{dc2.host}", "--wait", "6", "--undo-file",
                        os.path.join(p.dir, "undo4.ldif")])
        r = livelib.run(["script", "-qec", cmd, "/dev/null"], env=env, timeout=120)
        c.check("rm --wait 6 on a terminal without replication: a progress line 'waiting for "
                "DC1', the text names DC1 as still behind, exit 1",
                r.rc == 1 and "waiting for DC1" in r.out and
                "DC1 is still behind" in r.out and "not yet" not in r.out, r.show())

        # ---- a DC that cannot be read is a gap ----
        dc2.stop()
        t = time.time()
        r = s("audit", "--all-dcs", "-d", DNSDOMAIN, "--timeout", "30", "-o", "json")
        rep = r.json or {}
        unread = [d for d in rep.get("dcs", []) if not d.get("read")]
        c.check("dc2 stopped: exit 2, not complete, DC2 not read with its reason, a gap "
                "naming it", r.rc == 2 and rep.get("complete") is False and
                [d["name"] for d in unread] == ["DC2"] and unread[0].get("error") and
                any("DC2" in g for g in rep.get("gaps", [])), r.show())
        c.check("  ... within the timeout", time.time() - t < 60, f"{time.time() - t:.0f} s")
    c.finish()


if __name__ == "__main__":
    main()
