#!/usr/bin/env python3
"""test_samba.py - spnctl against a real Samba AD DC on loopback.

One meson test (suite 'live') so the DC is provisioned once (~5 s) and
started once (~3 s); it is stopped at the end whatever happens. Plants the
Exchange field case - EXCH01 with SMTPSVC SPNs, and the same SPNs on the
built-in Administrator written below the DC's uniqueness checks with
ldbmodify on the raw partition - plus a HOST-alias conflict and an account
with 1,700 SPNs, then checks list, query, dups, audit, resolve, snapshot
and diff over Kerberos (GSSAPI, sign+seal, name used as given) and over
LDAPS/StartTLS with a simple bind, the Global Catalog (--forest), DNS SRV
discovery (-d), and every refusal: untrusted certificate, anonymous, a
password over plain LDAP, wrong password, no ticket, GSSAPI inside TLS.

usage: test_samba.py SPNCTL
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib  # noqa: E402
from samba_fixture import BASE, HOST, PASSWORD, REALM, SambaDC  # noqa: E402

NOW = "2026-11-01"
EXCH = f"CN=EXCH01,CN=Computers,{BASE}"
ADMIN = f"CN=Administrator,CN=Users,{BASE}"
WEB = f"CN=svc_web,CN=Users,{BASE}"
MANY = f"CN=svc_many,CN=Users,{BASE}"
NMANY = 1700


def plant(dc, c):
    """The field case and friends. Returns nothing; failures are checks."""
    r = dc.ldapmodify(f"""dn: {EXCH}
objectClass: computer
sAMAccountName: EXCH01$
userAccountControl: 4096
dNSHostName: exch01.contoso.test
servicePrincipalName: SMTPSVC/exch01.contoso.test
servicePrincipalName: SMTPSVC/EXCH01
servicePrincipalName: HOST/exch01.contoso.test
servicePrincipalName: HOST/EXCH01
""", add=True)
    c.check("plant: EXCH01 with its SMTPSVC SPNs (through the DC's checks)", r.rc == 0, r.show())
    dup = f"""dn: {ADMIN}
changetype: modify
add: servicePrincipalName
servicePrincipalName: SMTPSVC/exch01.contoso.test
servicePrincipalName: SMTPSVC/EXCH01
"""
    r = dc.ldapmodify(dup)
    c.check("plant: the DC refuses the duplicate over LDAP (uniqueness check)",
            r.rc != 0 and "onstraint" in r.err, r.show())
    r = dc.ldbmodify(dup)
    c.check("plant: the duplicate on Administrator below the checks (ldbmodify)", r.rc == 0,
            r.show())
    for sam in ("svc_web", "svc_many"):
        r = livelib.run(["samba-tool", "user", "create", sam, "Svc.Passw0rd.1",
                         "-s", f"{dc.dir}/etc/smb.conf"], timeout=120)
        c.check(f"plant: user {sam}", r.rc == 0, r.show())
    # http/ is a HOST alias: an explicit http/exch01... on svc_web shadows
    # EXCH01's HOST/exch01... (Samba's alias check lets it through).
    r = dc.ldapmodify(f"""dn: {WEB}
changetype: modify
add: servicePrincipalName
servicePrincipalName: http/exch01.contoso.test
""")
    c.check("plant: alias conflict http/exch01 on svc_web (through the DC's checks)", r.rc == 0,
            r.show())
    spns = "".join(f"servicePrincipalName: HTTP/many-{i:04d}.contoso.test\n" for i in range(NMANY))
    t = time.time()
    r = dc.ldbmodify(f"dn: {MANY}\nchangetype: modify\nadd: servicePrincipalName\n{spns}")
    c.check(f"plant: {NMANY} SPNs on svc_many ({time.time() - t:.1f} s)", r.rc == 0, r.show())


def accounts_of(report):
    return {a["dn"]: a for a in report.get("accounts", [])}


def findings(report, code, spn=None):
    return [f for f in report.get("findings", [])
            if f["code"] == code and (spn is None or f.get("spn", "").lower() == spn.lower())]


def dns_of(finding):
    return sorted(a["dn"] for a in finding.get("accounts", []))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_samba.py SPNCTL")
    spnctl = os.path.abspath(sys.argv[1])
    livelib.stop_on_signals()
    c = livelib.Checks("samba")
    with SambaDC() as dc:
        dc.preflight()
        print(f"provisioned in {dc.provision():.1f} s, started in {dc.start():.1f} s "
              f"({dc.dir})", flush=True)
        dc.kinit()
        plant(dc, c)
        env = dc.env
        ca = f"{dc.dir}/private/tls/ca.pem"
        pwfile = f"{dc.dir}/password"

        def s(*args, env_=None):
            return livelib.run([spnctl] + list(args), env=env_ or env)

        krb = ["-H", f"ldap://{HOST}"]
        simple = ["-H", f"ldaps://{HOST}", "-D", f"Administrator@{REALM.lower()}",
                  "--password-file", pwfile]

        # ---- Kerberos (the default bind) ----
        r = s("list", "EXCH01", "-o", "json", *krb)
        acc = accounts_of(r.json).get(EXCH, {})
        got = sorted(v.lower() for v in acc.get("spns", [])) if isinstance(acc.get("spns"), list) else []
        c.check("GSSAPI: list EXCH01 shows its 4 SPNs", r.rc == 0 and len(got) == 4, r.show())

        r = s("query", "SMTPSVC/EXCH01", "-o", "json", *krb)
        holders = set()
        for q in r.json.get("queries", []):
            for m in q.get("matches", q.get("groups", [])):
                for h in m.get("holders", m.get("accounts", [])):
                    holders.add(h.get("dn"))
        c.check("GSSAPI: query SMTPSVC/EXCH01 finds EXCH01 and Administrator",
                r.rc == 0 and {EXCH, ADMIN} <= holders, r.show())

        r = s("dups", "-o", "json", *krb)
        d1 = findings(r.json, "duplicate-spn", "SMTPSVC/EXCH01")
        d2 = findings(r.json, "duplicate-spn", "SMTPSVC/exch01.contoso.test")
        c.check("GSSAPI: dups finds both SMTPSVC duplicates on EXCH01 and Administrator (exit 1)",
                r.rc == 1 and len(d1) == 1 and len(d2) == 1 and
                dns_of(d1[0]) == sorted([EXCH, ADMIN]) and dns_of(d2[0]) == sorted([EXCH, ADMIN]),
                r.show())
        c.check("GSSAPI: dups finds the http/exch01 alias conflict",
                any(WEB in dns_of(f) and EXCH in dns_of(f)
                    for f in findings(r.json, "alias-conflict")), r.show())

        audit = s("audit", "--now", NOW, "-o", "json", *krb)
        codes = livelib.finding_codes(audit.json)
        c.check("GSSAPI: audit is complete, exit 1, with duplicate-spn, alias-conflict and "
                "privileged-spn", audit.rc == 1 and audit.json.get("complete") is True and
                {"duplicate-spn", "alias-conflict", "privileged-spn"} <= set(codes), audit.show())
        c.check("GSSAPI: audit read the live sPNMappings",
                audit.json.get("sources", [{}])[0].get("name") == f"ldap://{HOST}", audit.show())

        r = s("resolve", "SMTPSVC/EXCH01", "-o", "json", *krb)
        res = r.json.get("resolutions", [{}])
        c.check("GSSAPI: resolve SMTPSVC/EXCH01 predicts KDC_ERR_S_PRINCIPAL_UNKNOWN (two holders)",
                r.rc == 1 and res and res[0].get("outcome") == "not-unique" and
                res[0].get("kerberos_error") == "KDC_ERR_S_PRINCIPAL_UNKNOWN", r.show())
        k = livelib.run(["kvno", f"SMTPSVC/EXCH01@{REALM}"], env=env)
        c.check("the real KDC agrees: kvno SMTPSVC/EXCH01 fails with 'not found'",
                k.rc != 0 and "not found in Kerberos database" in k.err, k.show())

        # ---- ranged values ----
        r = dc.ldapsearch("-b", BASE, "(sAMAccountName=svc_many)", "servicePrincipalName;range=0-99")
        c.check("Samba answers a ranged request with 100 values named ;range=0-99",
                r.out.count("servicePrincipalName;range=0-99:") == 100, r.show())
        for extra in (["--range-step", "100"], ["--range-step", "999"], []):
            r = s("list", "svc_many", "-o", "json", *krb, *extra)
            spns = accounts_of(r.json).get(MANY, {}).get("spns", [])
            c.check(f"GSSAPI: list svc_many {' '.join(extra) or '(no range step)'} reads all "
                    f"{NMANY} SPNs", r.rc == 0 and len(spns) == NMANY and
                    len(set(s_.lower() for s_ in spns)) == NMANY, r.show())
        r = s("audit", "--now", NOW, "-o", "json", "--range-step", "7", *krb)
        c.check("GSSAPI: audit with --range-step 7 gives the same report",
                r.rc == audit.rc and r.json == audit.json, livelib.json_diff(r.json, audit.json))

        # ---- where the server comes from ----
        r = s("audit", "--now", NOW, "-o", "json", env_=dict(env, LDAPURI=f"ldap://{HOST}"))
        c.check("no -H: ldap.conf/LDAPURI's server, same report", r.rc == audit.rc and
                r.json == audit.json, r.show() + "\n" + livelib.json_diff(r.json, audit.json))
        r = s("audit", "--now", NOW, "-o", "json",
              env_=dict(env, LDAPURI=f"ldap://{HOST}", LDAPBASE=f"CN=Users,{BASE}"))
        dns = {a["dn"] for f in r.json.get("findings", []) for a in f.get("accounts", [])}
        c.check("no -H, no -b: ldap.conf's BASE (LDAPBASE) is the search base, as for ldapsearch",
                r.rc == 1 and dns and all(d.endswith(f"CN=Users,{BASE}") for d in dns) and
                ADMIN in dns, r.show())
        r = s("audit", "--now", NOW, "-o", "json", "-d", "contoso.test")
        c.check("-d contoso.test: DC from _ldap._tcp.dc._msdcs SRV, same report",
                r.rc == audit.rc and r.json == audit.json,
                r.show() + "\n" + livelib.json_diff(r.json, audit.json))
        r = s("audit", "--now", NOW, "-o", "json", "-T", "contoso.test", *krb)
        c.check("-T contoso.test: same findings", r.rc == audit.rc and
                livelib.without(r.json, "sources") == livelib.without(audit.json, "sources"),
                r.show())
        r = s("audit", "--now", NOW, "-o", "json", "-T", "CONTOSO", *krb)
        c.check("-T CONTOSO (the NetBIOS name, as setspn takes it): the crossRef's dnsRoot, "
                "same findings", r.rc == audit.rc and
                livelib.without(r.json, "sources") == livelib.without(audit.json, "sources"),
                r.show())
        r = s("-Q", "HOST/*", "-T", "FABRIKAM", *krb)
        c.check("-T FABRIKAM: no domain of the forest has that NetBIOS name, exit 2, said so",
                r.rc == 2 and "no domain of the forest has that NetBIOS name" in r.err, r.show())
        for how in (krb, ["-d", "contoso.test"]):
            r = s("audit", "--now", NOW, "-o", "json", "--forest", *how)
            src = [x.get("name") for x in r.json.get("sources", [])]
            c.check(f"--forest {' '.join(how)}: Global Catalog on 3268, same findings",
                    r.rc == audit.rc and src == [f"ldap://{HOST}:3268"] and
                    r.json.get("findings") == audit.json.get("findings") and
                    r.json.get("complete") is True,
                    r.show() + "\n" + livelib.json_diff(r.json.get("findings"),
                                                        audit.json.get("findings")))
        # The name is used as given: ldap://127.0.0.1 asks for ldap/127.0.0.1,
        # which no account holds. --canon lets libldap canonicalise - and
        # libldap maps a loopback peer to this machine's own host name, so
        # on loopback --canon can only be seen changing the name asked for.
        trace = dict(env, KRB5_TRACE="/dev/stderr")
        r = s("audit", "-o", "json", "-H", "ldap://127.0.0.1", env_=trace)
        c.check("Kerberos to ldap://127.0.0.1 uses the name as given (ldap/127.0.0.1) and fails "
                "clearly", r.rc == 2 and "-> ldap/127.0.0.1@" in r.err and "ldap/ SPN" in r.err,
                r.show())
        r = s("audit", "-o", "json", "-H", "ldap://127.0.0.1", "--canon", env_=trace)
        c.check("--canon: libldap canonicalises the host (loopback -> this machine's name)",
                "-> ldap/127.0.0.1@" not in r.err and "-> ldap/" in r.err, r.show())

        # ---- simple bind over TLS ----
        r = s("audit", "--now", NOW, "-o", "json", "--cacert", ca, *simple)
        c.check("LDAPS simple bind (trusting the DC's CA with --cacert): same findings",
                r.rc == audit.rc and livelib.without(r.json, "sources") ==
                livelib.without(audit.json, "sources"), r.show())
        for cmd in (["list", "EXCH01", "svc_many"], ["query", "SMTPSVC/*"], ["dups"],
                    ["resolve", "SMTPSVC/EXCH01", "http/exch01.contoso.test"]):
            lk = s(*cmd, "-o", "json", *krb)
            ls_ = s(*cmd, "-o", "json", "--cacert", ca, *simple)
            c.check(f"LDAPS simple bind: {cmd[0]} = over Kerberos", lk.rc == ls_.rc and
                    livelib.without(lk.json, "sources") == livelib.without(ls_.json, "sources") and
                    lk.json.get("complete") is True, lk.show() + "\n" + ls_.show())
        r = s("audit", "-o", "json", *simple)
        c.check("LDAPS without --cacert: certificate verification fails, exit 2",
                r.rc == 2 and "certificate" in r.err and r.out == "", r.show())
        r = s("audit", "--now", NOW, "-o", "json", "-Z", "--cacert", ca, "-H", f"ldap://{HOST}",
              "-D", f"Administrator@{REALM.lower()}", "--password-file", pwfile)
        c.check("StartTLS (-Z) simple bind: same findings", r.rc == audit.rc and
                r.json.get("findings") == audit.json.get("findings"), r.show())
        bad = f"{dc.dir}/wrong-password"
        with open(bad, "w") as f:
            f.write("not-the-password\n")
        r = s("audit", "--cacert", ca, "-H", f"ldaps://{HOST}", "-D", f"Administrator@{REALM.lower()}",
              "--password-file", bad)
        c.check("wrong password: exit 2, invalid credentials", r.rc == 2 and
                "nvalid credentials" in r.err, r.show())
        r = s("audit", "-x", "-H", f"ldap://{HOST}")
        c.check("anonymous (-x without -D): refused with a clear message, exit 2",
                r.rc == 2 and "anonymous" in r.err and r.out == "", r.show())
        r = s("audit", "-H", f"ldap://{HOST}", "-D", f"Administrator@{REALM.lower()}",
              "--password-file", pwfile)
        c.check("a password over plain ldap:// is refused before connecting, exit 2",
                r.rc == 2 and "refusing to send the password" in r.err, r.show())
        r = s("audit", "-H", f"ldap://{HOST}", "-D", f"Administrator@{REALM.lower()}",
              "--password-file", pwfile, "--allow-cleartext-password")
        c.check("--allow-cleartext-password: the DC itself refuses (transport encryption required)",
                r.rc == 2 and "ncryption required" in r.err, r.show())
        r = s("audit", *krb, env_=dict(env, KRB5CCNAME=f"FILE:{dc.dir}/no-such-ccache"))
        c.check("no Kerberos ticket: exit 2, says to run kinit", r.rc == 2 and "kinit" in r.err,
                r.show())
        r = s("audit", "--cacert", ca, "-H", f"ldaps://{HOST}")
        c.check("GSSAPI inside TLS against Samba 4.17 defaults: refused, explained, exit 2",
                r.rc == 2 and "Sign or Seal" in r.err and "channel bindings" in r.err, r.show())
        lines = [x for x in r.err.splitlines() if x.startswith("spnctl: binding")]
        c.check("... in one line that points to ldap:// (sign and seal), not to the certificate",
                len(lines) == 1 and "use ldap:// to the same host, where Kerberos signs and seals"
                in lines[0] and "certificate" not in r.err, r.show())
        r = s("audit", "-v", "--cacert", ca, "-H", f"ldaps://{HOST}")
        c.check("... -v: SASL channel binding tls-endpoint was set for the bind, and TLS "
                "certificate checking is demand",
                r.rc == 2 and f"ldaps://{HOST}: Kerberos over TLS: SASL channel binding "
                "tls-endpoint" in r.err and "TLS certificate checking: demand" in r.err, r.show())

        # ---- snapshot, offline equivalence, diff ----
        snap1 = f"{dc.dir}/snap1.ldif"
        r = s("snapshot", "-o", snap1, *krb)
        c.check("snapshot -o snap1.ldif: complete, exit 0", r.rc == 0 and os.path.exists(snap1),
                r.show())
        off = s("audit", "--now", NOW, "-o", "json", "-f", snap1)
        c.check("offline audit of the snapshot = live audit (apart from sources)",
                off.rc == audit.rc and livelib.without(off.json, "sources") ==
                livelib.without(audit.json, "sources"),
                off.show() + "\n" + livelib.json_diff(livelib.without(off.json, "sources"),
                                                      livelib.without(audit.json, "sources")))
        for cmd in (["dups"], ["list", "EXCH01", "Administrator"], ["query", "SMTPSVC/*"],
                    ["resolve", "SMTPSVC/EXCH01", "http/exch01.contoso.test"]):
            lv = s(*cmd, "-o", "json", *krb)
            of = s(*cmd, "-o", "json", "-f", snap1)
            c.check(f"offline {cmd[0]} of the snapshot = live {cmd[0]}", lv.rc == of.rc and
                    livelib.without(lv.json, "sources", "stats") ==
                    livelib.without(of.json, "sources", "stats"),
                    lv.show() + "\n" + of.show())
        r = dc.ldapmodify(f"""dn: {WEB}
changetype: modify
add: servicePrincipalName
servicePrincipalName: HTTP/intranet.contoso.test
""")
        snap2 = f"{dc.dir}/snap2.ldif"
        s("snapshot", "-o", snap2, *krb)
        r = s("diff", "-o", "json", snap1, snap2)
        ch = r.json.get("changes", [])
        c.check("diff: the SPN added between the snapshots, and nothing else (exit 1)",
                r.rc == 1 and len(ch) == 1 and ch[0].get("change") == "added" and
                ch[0].get("spn") == "HTTP/intranet.contoso.test" and ch[0].get("to") == [WEB],
                r.show())

        # ---- GSSAPI over TLS where the DC allows it ----
        t = dc.restart({"ldap server require strong auth": "allow_sasl_over_tls"})
        dc.kinit()
        r = s("audit", "--now", NOW, "-o", "json", "--cacert", ca, "-H", f"ldaps://{HOST}")
        c.check(f"GSSAPI over LDAPS (no SASL layer inside TLS) with allow_sasl_over_tls "
                f"(restart {t:.1f} s): same findings",
                r.rc == 1 and livelib.finding_codes(r.json) == livelib.finding_codes(
                    s("audit", "--now", NOW, "-o", "json", *krb).json), r.show())
    c.finish()


if __name__ == "__main__":
    main()
