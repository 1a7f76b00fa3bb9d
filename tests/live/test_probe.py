#!/usr/bin/env python3
"""test_probe.py - spnctl probe and spnctl doctor against a real Samba AD DC.

Issue 9, end to end on one DC (provisioned once, stopped whatever happens);
every answer is checked against what the KDC (`kvno`) and the directory
really hold:
 - the Exchange field case: probe SMTPSVC/exch01 names both holders
   (EXCH01$ and Administrator), the KDC refused it (exit 1); after
   `spnctl fix --apply --yes` the ticket is issued under EXCH01$'s key,
   its kvno that of `kvno` and EXCH01$'s msDS-KeyVersionNumber (exit 0);
 - the alias shadow: cifs/dc1 added to the ordinary user svc_cifs; resolve
   names svc_cifs and the DC it shadows; probe --keytab with the DC's own
   keys (exported as DC1$ before the plant) says the ticket is svc_cifs's,
   the keytab DC1$'s, and fixes it with spnctl rm (exit 1); after the rm
   the same keytab opens the ticket again (exit 0); the readable default
   keytab is offered;
 - a computer created without a password: no usable key, "never had a
   password set", for its explicit SPN and for host/NAME (found by Samba's
   computer-name match, which resolve does not predict: said plainly);
 - a keytab older than a password change: other kvno, told apart by
   msDS-KeyVersionNumber; a name nobody holds next to one with a port;
 - doctor on an HTTP service reached through a DNS alias (nss_wrapper hosts
   entry: intranet -> web01), with its keytab and constrained delegation
   from a front end; the fix for the alias name, applied, then clean;
   doctor on an MSSQL service with port (resource-based delegation), with
   a named instance, and without a port; delegation that is not allowed;
 - no ticket cache, and the KDC stopped: exit 2, one line, nothing else.

usage: test_probe.py SPNCTL
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib  # noqa: E402
from samba_fixture import BASE, HOST, REALM, SambaDC  # noqa: E402

EXCH = f"CN=EXCH01,CN=Computers,{BASE}"
ADMIN = f"CN=Administrator,CN=Users,{BASE}"
SVC_PW = "Svc.Passw0rd.1"
SMTP = "SMTPSVC/exch01.contoso.test"
CIFS = f"cifs/{HOST}"


def samba_tool(dc, c, what, *args):
    r = dc.tool(*args)
    c.check(f"setup: {what}", r.rc == 0, r.show())
    return r


def sams(accounts):
    return sorted(a.get("sam") or "" for a in accounts or [])


def flat(r):
    """stdout with every run of white space as one space (text wraps anywhere)."""
    return " ".join(r.out.split())


def one_line(r):
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    return len(lines) == 1 and not r.out.strip()


def plant(dc, c):
    d = dc.dir
    r = dc.ldapmodify(f"""dn: {EXCH}
objectClass: computer
sAMAccountName: EXCH01$
userAccountControl: 4096
dNSHostName: exch01.contoso.test
servicePrincipalName: {SMTP}
servicePrincipalName: SMTPSVC/EXCH01
servicePrincipalName: HOST/exch01.contoso.test
servicePrincipalName: HOST/EXCH01
""", add=True)
    c.check("setup: EXCH01 with its SMTPSVC and HOST SPNs", r.rc == 0, r.show())
    samba_tool(dc, c, "EXCH01's password", "user", "setpassword", "EXCH01$",
               "--newpassword=Exch.Passw0rd.1")
    r = dc.ldbmodify(f"""dn: {ADMIN}
changetype: modify
add: servicePrincipalName
servicePrincipalName: {SMTP}
servicePrincipalName: SMTPSVC/EXCH01
""")
    c.check("setup: the SMTPSVC pair on Administrator below the DC's checks", r.rc == 0, r.show())
    for sam in ("svc_http", "svc_web", "svc_sql", "svc_cifs", "svc_front"):
        samba_tool(dc, c, f"user {sam}", "user", "create", sam, SVC_PW)
    for spn, sam in (("HTTP/web.contoso.test", "svc_http"), ("HTTP/web01.contoso.test", "svc_web"),
                     ("MSSQLSvc/db01.contoso.test:1433", "svc_sql"),
                     ("MSSQLSvc/db01.contoso.test:SALES", "svc_sql"),
                     ("HTTP/front.contoso.test", "svc_front")):
        samba_tool(dc, c, f"{spn} on {sam}", "spn", "add", spn, sam)
    samba_tool(dc, c, "svc_front may delegate to HTTP/web01 (constrained)", "delegation",
               "add-service", "svc_front", "HTTP/web01.contoso.test")
    samba_tool(dc, c, "svc_sql lets svc_front act for users (resource-based)", "delegation",
               "add-principal", "svc_sql", "svc_front")
    samba_tool(dc, c, "computer WEB02 without a password", "computer", "create", "WEB02")
    samba_tool(dc, c, "HTTP/web02 on WEB02$", "spn", "add", "HTTP/web02.contoso.test", "WEB02$")
    with open(f"{d}/hosts", "a") as f:   # nss_wrapper: the first name is the canonical one
        f.write("127.0.0.1 web01.contoso.test intranet.contoso.test intranet web01\n"
                "127.0.0.1 db01.contoso.test db01\n")
    if os.path.exists(f"{d}/dc.kt"):
        os.unlink(f"{d}/dc.kt")
    samba_tool(dc, c, "the DC's own keys, exported as DC1$ before cifs/dc1 is planted", "domain",
               "exportkeytab", f"{d}/dc.kt", "--principal=DC1$")
    samba_tool(dc, c, "the keytab of HTTP/web01 (svc_web)", "domain", "exportkeytab",
               f"{d}/web01.kt", "--principal=HTTP/web01.contoso.test")


def check_exchange(dc, c, s, krb):
    r = s("probe", SMTP, *krb)
    c.check(f"probe {SMTP}: refused, names both holders (EXCH01$ and Administrator), exit 1",
            r.rc == 1 and "refused: 2 accounts hold it" in r.out and "EXCH01$" in r.out and
            "Administrator" in r.out and f"spnctl rm -- {SMTP} Administrator" in flat(r), r.show())
    r = s("probe", "-o", "json", SMTP, *krb)
    p = (r.json.get("probes") or [{}])[0]
    c.check("... JSON: unknown (KDC_ERR_S_PRINCIPAL_UNKNOWN), asked, holders EXCH01$ and "
            "Administrator, resolve predicted not-unique and agrees",
            r.rc == 1 and p.get("status") == "unknown" and p.get("asked") is True and
            p.get("code_name") == "KDC_ERR_S_PRINCIPAL_UNKNOWN" and
            sams(p.get("holders")) == ["Administrator", "EXCH01$"] and
            (p.get("prediction") or {}).get("outcome") == "not-unique" and
            p.get("agreement") == "agrees" and p.get("exit_status") == 1, r.show())
    r = s("fix", "--apply", "--yes", "--undo-file", f"{dc.dir}/fix-undo.ldif", *krb)
    c.check("spnctl fix --apply --yes: the duplicates removed (exit 0)", r.rc == 0, r.show())
    r = s("probe", "-o", "json", SMTP, *krb)
    p = (r.json.get("probes") or [{}])[0]
    want = dc.kvno(f"{SMTP}@{REALM}")
    c.check(f"after the fix: {SMTP} issued under EXCH01$'s key, kvno as `kvno` prints and equal "
            "to its msDS-KeyVersionNumber, exit 0",
            r.rc == 0 and p.get("status") == "issued" and
            (p.get("key_account") or {}).get("sam") == "EXCH01$" and
            p.get("kvno_match") == "same" and want is not None and p.get("kvno") == want and
            sams(p.get("holders")) == ["EXCH01$"], f"kvno printed {want}\n" + r.show())


def check_alias_shadow(dc, c, s, krb):
    kt = f"{dc.dir}/dc.kt"
    r = s("probe", "-o", "json", "--keytab", kt, CIFS, *krb)
    k = ((r.json.get("probes") or [{}])[0]).get("keytab") or {}
    c.check(f"before: {CIFS} (HOST alias of DC1$) opens with the DC's own keys, exit 0",
            r.rc == 0 and k.get("opens") is True and "the key of DC1$" in (k.get("summary") or ""),
            r.show())
    w = dc.ldapmodify(f"""dn: CN=svc_cifs,CN=Users,{BASE}
changetype: modify
add: servicePrincipalName
servicePrincipalName: {CIFS}
""")
    c.check(f"setup: {CIFS} added to the ordinary user svc_cifs", w.rc == 0, w.show())
    r = s("resolve", "-o", "json", CIFS, *krb)
    x = (r.json.get("resolutions") or [{}])[0]
    c.check("resolve: a ticket under svc_cifs's key that the DC's cifs service (DC1$) cannot "
            "decrypt (wrong-key)", x.get("outcome") == "wrong-key" and
            (x.get("account") or {}).get("sam") == "svc_cifs" and "DC1$" in (x.get("summary") or ""),
            r.show())
    r = s("probe", "-o", "json", "--keytab", kt, CIFS, *krb)
    p = (r.json.get("probes") or [{}])[0]
    k = p.get("keytab") or {}
    text = k.get("text") or ""
    c.check("probe --keytab (the DC's keys): the ticket is svc_cifs's, the keytab DC1$'s - the "
            "mismatch in words, svc_cifs named, exit 1",
            r.rc == 1 and p.get("status") == "issued" and
            (p.get("key_account") or {}).get("sam") == "svc_cifs" and p.get("kvno_match") == "same" and
            k.get("status") == "no-name" and k.get("opens") is False and
            text.startswith(f"the KDC encrypted this ticket for svc_cifs (kvno {p.get('kvno')}, "
                            f"{p.get('enctype_name')}); this keytab holds keys of DC1$@{REALM}") and
            "the account DC1$" in text and "KRB_AP_ERR_MODIFIED" in text and
            sams(p.get("alias_holders")) == ["DC1$"], r.show())
    c.check("... and the fix: spnctl rm the shadowing SPN from svc_cifs",
            f"spnctl rm -- {CIFS} svc_cifs" in (p.get("fix") or []), r.show())
    env = dict(dc.env, KRB5_KTNAME=f"FILE:{kt}")
    r = livelib.run([s.exe, "probe", CIFS] + list(krb), env=env)
    c.check("without --keytab: issued (exit 0), the shadow explained, the readable default "
            "keytab offered", r.rc == 0 and "KRB_AP_ERR_MODIFIED" in flat(r) and
            f"add --keytab FILE:{kt}" in flat(r), r.show())
    r = s("rm", CIFS, "svc_cifs", "--undo-file", f"{dc.dir}/rm-undo.ldif", *krb)
    r2 = s("probe", "-o", "json", "--keytab", kt, CIFS, *krb)
    k = ((r2.json.get("probes") or [{}])[0]).get("keytab") or {}
    c.check("after spnctl rm: the DC's keytab opens the ticket again (exit 0)",
            r.rc == 0 and r2.rc == 0 and k.get("opens") is True, r.show() + "\n" + r2.show())


def check_no_password(dc, c, s, krb):
    r = s("probe", "-o", "json", "HTTP/web02.contoso.test", "HOST/WEB02", *krb)
    ps = r.json.get("probes") or [{}, {}]
    a, b = ps[0], ps[-1]
    c.check("a computer created without a password: no usable key (KDC_ERR_ETYPE_NOSUPP) for its "
            "SPN, 'never had a password set', exit 1", r.rc == 1 and
            a.get("status") == "no-key" and a.get("code_name") == "KDC_ERR_ETYPE_NOSUPP" and
            sams(a.get("holders")) == ["WEB02$"] and
            any("never had a password set" in w for w in a.get("why") or []), r.show())
    c.check("host/WEB02, held by nobody: Samba's KDC found WEB02$ by its name; the same "
            "explanation, and the disagreement with resolve said plainly",
            b.get("status") == "no-key" and
            any("never had a password set" in w for w in b.get("why") or []) and
            (b.get("likely_owner") or {}).get("sam") == "WEB02$" and
            b.get("agreement") == "disagrees" and "Samba" in (b.get("prediction_text") or ""),
            r.show())
    samba_tool(dc, c, "WEB02's password", "user", "setpassword", "WEB02$",
               "--newpassword=Web.Passw0rd.1")
    r = s("probe", "HTTP/web02.contoso.test", *krb)
    c.check("its password set: issued (exit 0)", r.rc == 0 and "ticket issued" in r.out, r.show())


def check_keytab_kvno_and_nobody(dc, c, s, krb):
    d = dc.dir
    samba_tool(dc, c, "keytab of HTTP/web (svc_http)", "domain", "exportkeytab", f"{d}/web-old.kt",
               "--principal=HTTP/web.contoso.test")
    samba_tool(dc, c, "svc_http's password changes", "user", "setpassword", "svc_http",
               "--newpassword=Svc.Passw0rd.2")
    r = s("probe", "-o", "json", "--keytab", f"{d}/web-old.kt", "HTTP/web.contoso.test", *krb)
    p = (r.json.get("probes") or [{}])[0]
    k = p.get("keytab") or {}
    c.check("a keytab older than the password change: other kvno; the ticket's kvno is "
            "svc_http's msDS-KeyVersionNumber, so the password changed after the keytab, exit 1",
            r.rc == 1 and k.get("status") == "other-kvno" and p.get("kvno_match") == "same" and
            "msDS-KeyVersionNumber" in (k.get("text") or "") and
            any("password changed after the keytab was made" in w for w in p.get("why") or []),
            r.show())
    r = s("probe", "-o", "json", "MSSQLSvc/db01.contoso.test", *krb)
    p = (r.json.get("probes") or [{}])[0]
    c.check("MSSQLSvc/db01 without the port: nobody holds it; svc_sql holds it with :1433, so "
            "the fix adds it there (exit 1)", r.rc == 1 and p.get("status") == "unknown" and
            not p.get("holders") and (p.get("likely_owner") or {}).get("sam") == "svc_sql" and
            "spnctl add -- MSSQLSvc/db01.contoso.test svc_sql" in (p.get("fix") or []), r.show())


def check_doctor_http(dc, c, s, krb):
    kt = f"{dc.dir}/web01.kt"
    args = ("doctor", "http://intranet.contoso.test", "--keytab", kt, "--via", "svc_front")
    r = s(*args, "-o", "json", *krb)
    j = r.json
    spns = j.get("spns") or [{}, {}]
    g = j.get("delegation") or {}
    c.check("doctor through a DNS alias: intranet -> web01 (the resolver's canonical name)",
            j.get("canonical") == "web01.contoso.test" and j.get("alias") is True, r.show())
    c.check("... clients ask for HTTP/web01 (canonical) and HTTP/intranet (as typed)",
            [x.get("spn") for x in spns] == ["HTTP/web01.contoso.test",
                                              "HTTP/intranet.contoso.test"], r.show())
    c.check("... HTTP/web01: issued under svc_web's key, its keytab opens it; HTTP/intranet: "
            "nobody holds it", spns[0].get("status") == "issued" and
            (spns[0].get("key_account") or {}).get("sam") == "svc_web" and
            (spns[0].get("keytab") or {}).get("opens") is True and
            spns[1].get("status") == "unknown" and not spns[1].get("holders"), r.show())
    c.check("... constrained delegation from svc_front to exactly one account (svc_web)",
            g.get("kind") == "constrained" and g.get("listed") == "HTTP/web01.contoso.test" and
            (g.get("target") or {}).get("sam") == "svc_web" and g.get("targets") == 1, r.show())
    c.check("... the fix: spnctl add HTTP/intranet to the service's account; exit 0 (the main "
            "name works)", r.rc == 0 and
            j.get("fix") == ["spnctl add -- HTTP/intranet.contoso.test svc_web"], r.show())
    r = s(*args, *krb)
    c.check("... the same on one screen (text): DNS, the SPNs, delegation, verdict, fix",
            r.rc == 0 and "intranet.contoso.test is an alias of web01.contoso.test" in flat(r) and
            "Constrained: svc_front may delegate to HTTP/web01.contoso.test" in flat(r) and
            "Verdict:" in r.out and "Fix: spnctl add -- HTTP/intranet.contoso.test svc_web" in
            flat(r) and max(len(ln) for ln in r.out.splitlines()) < 80, r.show())
    a = s("add", "HTTP/intranet.contoso.test", "svc_web", "--undo-file", f"{dc.dir}/add-undo.ldif",
          *krb)
    r = s(*args, "-o", "json", *krb)
    c.check("the fix applied: both names issued, nothing left to change",
            a.rc == 0 and r.rc == 0 and
            [x.get("status") for x in r.json.get("spns") or []] == ["issued", "issued"] and
            r.json.get("fix") == [], a.show() + "\n" + r.show())


def check_doctor_mssql(dc, c, s, krb):
    r = s("doctor", "-o", "json", "mssql://db01:1433", "--via", "svc_front", *krb)
    j = r.json
    spns = j.get("spns") or [{}]
    g = j.get("delegation") or {}
    c.check("doctor mssql://db01:1433: MSSQLSvc/db01.contoso.test:1433 (the FQDN DNS gave), "
            "issued under svc_sql's key; resource-based delegation from svc_front; exit 0",
            r.rc == 0 and [x.get("spn") for x in spns] == ["MSSQLSvc/db01.contoso.test:1433"] and
            spns[0].get("status") == "issued" and
            (spns[0].get("key_account") or {}).get("sam") == "svc_sql" and
            g.get("kind") == "resource-based" and g.get("resource_based") is True and
            (g.get("target") or {}).get("sam") == "svc_sql", r.show())
    r = s("doctor", "-o", "json", "mssql://db01/SALES", *krb)
    spns = r.json.get("spns") or [{}]
    c.check("doctor mssql://db01/SALES: MSSQLSvc/db01.contoso.test:SALES issued; the note on "
            "TCP and SQL Browser", r.rc == 0 and
            [x.get("spn") for x in spns] == ["MSSQLSvc/db01.contoso.test:SALES"] and
            spns[0].get("status") == "issued" and "SQL Browser" in (r.json.get("note") or ""),
            r.show())
    r = s("doctor", "-o", "json", "mssql://db01", *krb)
    spns = r.json.get("spns") or [{}, {}]
    c.check("doctor mssql://db01 (no port): :1433 issued, the named-pipes name nobody holds - "
            "the fix adds it to svc_sql; exit 0",
            r.rc == 0 and [x.get("spn") for x in spns] == ["MSSQLSvc/db01.contoso.test:1433",
                                                            "MSSQLSvc/db01.contoso.test"] and
            r.json.get("fix") == ["spnctl add -- MSSQLSvc/db01.contoso.test svc_sql"], r.show())
    r = s("doctor", "-o", "json", "mssql://db01:1433", "--via", "WEB02", *krb)
    g = r.json.get("delegation") or {}
    c.check("--via WEB02 (allowed neither way): delegation none, how to allow it, exit 1",
            r.rc == 1 and g.get("kind") == "none" and
            any("samba-tool delegation add-service -- 'WEB02$'" in f for f in r.json.get("fix") or []),
            r.show())


def check_cannot_ask(dc, c, s, krb):
    env = dict(dc.env, KRB5CCNAME=f"FILE:{dc.dir}/no-such-ccache")
    for cmd in (["probe", SMTP], ["doctor", "http://intranet.contoso.test"]):
        r = livelib.run([s.exe] + cmd + list(krb), env=env)
        c.check(f"{cmd[0]} without a ticket cache: exit 2, one line ('run kinit'), nothing else",
                r.rc == 2 and one_line(r) and "run kinit" in r.err, r.show())
    dc.stop()
    for cmd in (["probe", SMTP], ["doctor", "mssql://db01:1433"]):
        t = time.time()
        r = s(*cmd, *krb)
        took = time.time() - t
        c.check(f"{cmd[0]} with the KDC stopped: exit 2, one line (no KDC answered), in "
                f"{took:.1f} s", r.rc == 2 and one_line(r) and "no KDC answered" in r.err,
                r.show())


class Spnctl:
    def __init__(self, exe, dc):
        self.exe, self.dc = exe, dc

    def __call__(self, *args):
        return livelib.run([self.exe] + list(args), env=self.dc.env, timeout=120)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_probe.py SPNCTL")
    exe = os.path.abspath(sys.argv[1])
    livelib.stop_on_signals()
    livelib.need_programs("kvno")
    c = livelib.Checks("probe")
    with SambaDC() as dc:
        t0 = time.time()   # after the fixture's lock: another run's DC may have held it
        dc.preflight()
        print(f"provisioned in {dc.provision():.1f} s, started in {dc.start():.1f} s "
              f"({dc.dir})", flush=True)
        dc.kinit()
        plant(dc, c)
        print(f"ticket-granting ticket, the DC's SPNs and the plants after {time.time() - t0:.1f} s",
              flush=True)
        s = Spnctl(exe, dc)
        krb = ("-H", f"ldap://{HOST}")
        for part in (check_exchange, check_alias_shadow, check_no_password,
                     check_keytab_kvno_and_nobody, check_doctor_http, check_doctor_mssql,
                     check_cannot_ask):   # last: stops the KDC
            t = time.time()
            part(dc, c, s, krb)
            print(f"     ({part.__name__[6:]}: {time.time() - t:.1f} s)", flush=True)
        print(f"ran in {time.time() - t0:.1f} s", flush=True)
    c.finish()


if __name__ == "__main__":
    main()
