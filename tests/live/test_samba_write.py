#!/usr/bin/env python3
"""test_samba_write.py - spnctl's writes against a real Samba AD DC.

Issue 8, end to end on one DC (provisioned once, stopped whatever happens):
the Exchange field case found, fixed and proven fixed by the real KDC
(kvno fails before, works after); Administrator keeps its unrelated SPN and
EXCH01$ all of its own; undoing the fix is refused by the DC, and spnctl
says who holds the value. Then rm + undo restore a value exactly; add
refuses duplicates (any case), look-alikes and HOST-alias conflicts both
ways and accepts a port variant; reset puts HOST/ back; dry runs change
nothing (full dump before and after); a user without rights gets a clear
message, exit 2 and no change; setspn's -S/-D wording.

usage: test_samba_write.py SPNCTL
"""

import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib  # noqa: E402
from samba_fixture import BASE, HOST, REALM, SambaDC  # noqa: E402

EXCH = f"CN=EXCH01,CN=Computers,{BASE}"
ADMIN = f"CN=Administrator,CN=Users,{BASE}"
WEB = f"CN=svc_web,CN=Users,{BASE}"
FILES = f"CN=svc_files,CN=Users,{BASE}"
LOW = f"CN=lowpriv,CN=Users,{BASE}"
EXCH_SPNS = {"SMTPSVC/exch01.contoso.test", "SMTPSVC/EXCH01", "HOST/exch01.contoso.test",
             "HOST/EXCH01"}
LOW_PASSWORD = "Low.Passw0rd.1"


def plant(dc, c):
    r = dc.ldapmodify(f"""dn: {EXCH}
objectClass: computer
sAMAccountName: EXCH01$
userAccountControl: 4096
dNSHostName: exch01.contoso.test
""" + "".join(f"servicePrincipalName: {v}\n" for v in sorted(EXCH_SPNS)), add=True)
    c.check("plant: EXCH01 with its SMTPSVC and HOST SPNs", r.rc == 0, r.show())
    r = livelib.run(["samba-tool", "user", "setpassword", "EXCH01$", "--newpassword=Exch.Passw0rd.1",
                     "-s", f"{dc.dir}/etc/smb.conf"], timeout=120)
    c.check("plant: EXCH01$ gets a password (keys for its tickets)", r.rc == 0, r.show())
    r = dc.ldapmodify(f"""dn: {ADMIN}
changetype: modify
add: servicePrincipalName
servicePrincipalName: HTTP/adminportal.contoso.test
""")
    c.check("plant: an unrelated SPN on Administrator", r.rc == 0, r.show())
    r = dc.ldbmodify(f"""dn: {ADMIN}
changetype: modify
add: servicePrincipalName
servicePrincipalName: SMTPSVC/exch01.contoso.test
servicePrincipalName: SMTPSVC/EXCH01
""")
    c.check("plant: the SMTPSVC pair on Administrator below the DC's checks", r.rc == 0, r.show())
    for sam, pw in (("svc_web", "Svc.Passw0rd.1"), ("svc_files", "Svc.Passw0rd.1"),
                    ("lowpriv", LOW_PASSWORD)):
        r = livelib.run(["samba-tool", "user", "create", sam, pw, "-s",
                         f"{dc.dir}/etc/smb.conf"], timeout=120)
        c.check(f"plant: user {sam}", r.rc == 0, r.show())
    r = dc.ldapmodify(f"""dn: {WEB}
changetype: modify
add: servicePrincipalName
servicePrincipalName: HTTP/intranet.contoso.test
servicePrincipalName: HTTP/Look\u200balike.contoso.test
servicePrincipalName: dns/ns1.contoso.test
""")
    c.check("plant: svc_web's SPNs (one with a zero-width space)", r.rc == 0, r.show())
    r = dc.ldapmodify(f"""dn: {FILES}
changetype: modify
add: servicePrincipalName
servicePrincipalName: cifs/files.contoso.test
""")
    c.check("plant: cifs/files on svc_files", r.rc == 0, r.show())


def spns_of(dc, dn):
    """servicePrincipalName of dn as the DC stores it (exact strings)."""
    r = dc.ldapsearch("-b", dn, "-s", "base", "(objectClass=*)", "servicePrincipalName")
    out = []
    for line in r.out.splitlines():
        if line.startswith("servicePrincipalName:: "):
            import base64
            out.append(base64.b64decode(line.split(":: ", 1)[1]).decode())
        elif line.startswith("servicePrincipalName: "):
            out.append(line.split(": ", 1)[1])
    return sorted(out)


def dump(dc):
    """Every servicePrincipalName in the domain, exactly."""
    r = dc.ldapsearch("-b", BASE, "(servicePrincipalName=*)", "servicePrincipalName")
    return r.out


def kvno(dc, spn, env=None):
    return livelib.run(["kvno", f"{spn}@{REALM}"], env=env or dc.env, timeout=30)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_samba_write.py SPNCTL")
    spnctl = os.path.abspath(sys.argv[1])
    livelib.stop_on_signals()
    c = livelib.Checks("samba-write")
    with SambaDC() as dc:
        dc.preflight()
        print(f"provisioned in {dc.provision():.1f} s, started in {dc.start():.1f} s "
              f"({dc.dir})", flush=True)
        dc.kinit()
        plant(dc, c)
        env = dc.env
        work = tempfile.mkdtemp(prefix="undo-", dir=dc.dir)
        os.chdir(work)   # an undo file without --undo-file lands here
        krb = ["-H", f"ldap://{HOST}"]

        def s(*args, env_=None, input=None):
            return livelib.run([spnctl] + list(args), env=env_ or env, input=input)

        def undo_file(name):
            return os.path.join(work, name)

        # ---- the field case: found, fixed, proven fixed ----
        r = kvno(dc, "SMTPSVC/exch01.contoso.test")
        c.check("before: the KDC refuses SMTPSVC/exch01 (two holders)",
                r.rc != 0 and "not found" in r.err.lower(), r.show())
        r = s("fix", "-o", "json", *krb)
        steps = r.json.get("steps", [])
        c.check("fix (plan only): two removals, both from Administrator, nothing undecided "
                "(exit 1: there is something to fix)",
                r.rc == 1 and len(steps) == 2 and all(st["dn"] == ADMIN and st["op"] == "delete"
                                                     for st in steps) and
                {st["spn"] for st in steps} == {"SMTPSVC/exch01.contoso.test", "SMTPSVC/EXCH01"}
                and not r.json.get("undecided") and r.json.get("complete") is True, r.show())
        c.check("fix (plan only): each step says why (EXCH01$ keeps it, RID 500)",
                all("EXCH01$ keeps it" in st["reason"] and "RID 500" in st["reason"]
                    for st in steps), r.show())
        r = s("fix", "-o", "ldif", *krb)
        plan_ldif = os.path.join(work, "plan.ldif")
        with open(plan_ldif, "w") as f:
            f.write(r.out)
        r2 = livelib.run(["ldapmodify", "-n", "-Q", "-N", "-Y", "GSSAPI", "-H", f"ldap://{HOST}",
                          "-f", plan_ldif], env=env)
        c.check("fix -o ldif: two change records that ldapmodify reads (-n: not applied)",
                r.rc == 1 and r.out.count("changetype: modify") == 2 and r2.rc == 0 and
                r2.out.count("modifying entry") == 2, r.show() + "\n" + r2.show())
        before = dump(dc)
        r = s("fix", "--apply", "--yes", "--dry-run", "--undo-file", undo_file("dry.ldif"), *krb)
        c.check("fix --apply --dry-run: says what it would do, writes nothing, no undo file",
                r.rc == 0 and "would remove" in r.out and dump(dc) == before and
                not os.path.exists(undo_file("dry.ldif")), r.show())
        fix_undo = undo_file("fix.ldif")
        r = s("fix", "--apply", "--yes", "--undo-file", fix_undo, "-o", "json", *krb)
        res = r.json.get("results", [])
        c.check("fix --apply --yes: both removals applied (exit 0)",
                r.rc == 0 and len(res) == 2 and all(x["state"] == "applied" for x in res),
                r.show())
        c.check("fix --apply: Samba refused the single-value delete; the same delete behind a "
                "placeholder did it, one value each, no replace",
                all(x["via_replace"] and "placeholder" in (x["message"] or "") for x in res),
                r.show())
        c.check("after: Administrator keeps its unrelated SPN, and only it",
                spns_of(dc, ADMIN) == ["HTTP/adminportal.contoso.test"], spns_of(dc, ADMIN))
        c.check("after: EXCH01$ keeps every SPN of its own", set(spns_of(dc, EXCH)) == EXCH_SPNS,
                spns_of(dc, EXCH))
        r = kvno(dc, "SMTPSVC/exch01.contoso.test")
        c.check("after: the KDC issues the SMTPSVC/exch01 ticket", r.rc == 0, r.show())
        print("     " + r.out.strip(), flush=True)
        st_ = os.stat(fix_undo) if os.path.exists(fix_undo) else None
        c.check("the undo file exists, mode 0600, with two add records",
                st_ is not None and stat.S_IMODE(st_.st_mode) == 0o600 and
                open(fix_undo).read().count("add: servicePrincipalName") == 2,
                open(fix_undo).read() if st_ else "missing")
        r = s("undo", fix_undo, "--yes", "--undo-file", undo_file("redo.ldif"), *krb)
        c.check("undo of the fix: the DC refuses the duplicate, spnctl names the holder (exit 2)",
                r.rc == 2 and "EXCH01" in (r.out + r.err) and "already held" in (r.out + r.err),
                r.show())
        c.check("undo of the fix changed nothing", spns_of(dc, ADMIN) ==
                ["HTTP/adminportal.contoso.test"], spns_of(dc, ADMIN))
        r = s("audit", "-o", "json", *krb)
        c.check("audit after the fix: no duplicate-spn left",
                not [f for f in r.json.get("findings", []) if f["code"] == "duplicate-spn"
                     and f.get("severity") == "error"], r.show())

        # ---- DOMAIN\\name: the domain must be the one spnctl is connected to ----
        admin_before = spns_of(dc, ADMIN)
        r = s("rm", "HTTP/adminportal.contoso.test", "FABRIKAM\\Administrator", "--undo-file",
              undo_file("other-domain.ldif"), *krb)
        c.check("rm of FABRIKAM\\Administrator while connected to CONTOSO: refused, exit 2, "
                "CONTOSO's Administrator untouched",
                r.rc == 2 and "FABRIKAM" in r.err and spns_of(dc, ADMIN) == admin_before,
                r.show())
        for name in ("CONTOSO\\Administrator", "contoso.test\\Administrator"):
            r = s("rm", "--dry-run", "HTTP/adminportal.contoso.test", name, *krb)
            c.check(f"rm --dry-run of {name}: the connected domain's own names are taken",
                    r.rc == 0 and "would remove" in r.out, r.show())

        # ---- one copy of a duplicate goes while the account holds another one ----
        r = dc.ldbmodify(f"""dn: {FILES}
changetype: modify
add: servicePrincipalName
servicePrincipalName: HTTP/intranet.contoso.test
servicePrincipalName: dns/ns1.contoso.test
""")
        c.check("plant: two of svc_web's SPNs on svc_files too, below the DC's checks",
                r.rc == 0, r.show())
        files_before, web_before = spns_of(dc, FILES), spns_of(dc, WEB)
        r = s("rm", "HTTP/intranet.contoso.test", "svc_files", "--undo-file",
              undo_file("one-dup.ldif"), *krb)
        c.check("rm one duplicated value while another stays: exactly that value goes (Samba "
                "refuses a plain delete and a replace keeping dns/ns1)",
                r.rc == 0 and spns_of(dc, FILES) ==
                sorted(set(files_before) - {"HTTP/intranet.contoso.test"}) and
                spns_of(dc, WEB) == web_before, r.show() + f"\n{spns_of(dc, FILES)}")
        r = s("rm", "dns/ns1.contoso.test", "svc_files", "--undo-file",
              undo_file("one-dup-2.ldif"), *krb)
        c.check("and the other one after it", r.rc == 0 and
                "dns/ns1.contoso.test" not in spns_of(dc, FILES) and
                spns_of(dc, WEB) == web_before, r.show())

        # ---- rm, then undo: restored exactly ----
        web_before = spns_of(dc, WEB)
        rm_undo = undo_file("rm.ldif")
        r = s("rm", "http/INTRANET.contoso.test", "svc_web", "--undo-file", rm_undo, *krb)
        after_rm = spns_of(dc, WEB)
        c.check("rm (other case): removes the value as stored, leaves the others",
                r.rc == 0 and "HTTP/intranet.contoso.test" not in after_rm and
                len(after_rm) == len(web_before) - 1, r.show() + f"\n{after_rm}")
        r = s("undo", rm_undo, "--yes", "--undo-file", undo_file("rm-redo.ldif"), *krb)
        c.check("undo of rm: every value back, spelled as before", r.rc == 0 and
                spns_of(dc, WEB) == web_before, r.show() + f"\n{spns_of(dc, WEB)}")
        # the undo record cannot be written (a full disk): the change is not made, and
        # spnctl says it failed (exit 2), not that it was done
        def limited(*args):
            def cap():
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (350, resource.RLIM_INFINITY))
            p = subprocess.run([spnctl] + list(args), env=env, capture_output=True, text=True,
                               timeout=180, preexec_fn=cap)
            return livelib.Result([spnctl] + list(args), p.returncode, p.stdout, p.stderr)
        web_before = spns_of(dc, WEB)
        r = limited("rm", "HTTP/intranet.contoso.test", "svc_web", "--undo-file",
                    undo_file("f.ldif"), *krb)
        c.check("rm when the undo record cannot be written: FAILED, exit 2, nothing changed",
                r.rc == 2 and "FAILED" in r.out and "cannot write undo file" in (r.out + r.err)
                and spns_of(dc, WEB) == web_before, r.show())
        r = s("rm", "HTTP/nothing.contoso.test", "svc_web", *krb)
        c.check("rm of a value the account does not hold: nothing to do, exit 0",
                r.rc == 0 and "nothing to remove" in r.out, r.show())

        # ---- values that only Unicode case folding joins: the DC keeps them apart ----
        sharp, upper = "HTTP/stra\u00dfe.contoso.test", "HTTP/STRASSE.contoso.test"
        r = dc.ldapmodify(f"""dn: {FILES}
changetype: modify
add: servicePrincipalName
servicePrincipalName: {sharp}
servicePrincipalName: {upper}
""")
        c.check("plant: straße and STRASSE on svc_files (two values to the DC)", r.rc == 0 and
                {sharp, upper} <= set(spns_of(dc, FILES)), r.show())
        files_before = spns_of(dc, FILES)
        fold_undo = undo_file("fold.ldif")
        r = s("rm", upper, "svc_files", "--undo-file", fold_undo, *krb)
        c.check("rm STRASSE: removes that spelling, keeps straße", r.rc == 0 and
                spns_of(dc, FILES) == sorted(set(files_before) - {upper}), r.show() +
                f"\n{spns_of(dc, FILES)}")
        r = s("undo", fold_undo, "--yes", "--undo-file", undo_file("fold-redo.ldif"), *krb)
        c.check("undo of that rm puts STRASSE back beside straße", r.rc == 0 and
                spns_of(dc, FILES) == files_before, r.show() + f"\n{spns_of(dc, FILES)}")
        r = s("rm", "http/strasse.contoso.test", "svc_files", "--undo-file",
              undo_file("fold-ambiguous.ldif"), *krb)
        c.check("rm of a spelling two values fold to, neither exactly: refused, nothing changed",
                r.rc == 2 and spns_of(dc, FILES) == files_before and
                not os.path.exists(undo_file("fold-ambiguous.ldif")), r.show())
        for v in (sharp, upper):
            s("rm", v, "svc_files", "--undo-file", undo_file(f"fold-clean-{len(v)}.ldif"), *krb)
        c.check("straße and STRASSE removed again", not {sharp, upper} & set(spns_of(dc, FILES)),
                spns_of(dc, FILES))

        # ---- add: refusals before anything is written ----
        before = dump(dc)
        r = s("add", "http/Intranet.CONTOSO.test", "svc_files", *krb)
        c.check("add refuses a duplicate in another case, names svc_web (exit 1)",
                r.rc == 1 and "svc_web" in r.out and dump(dc) == before, r.show())
        r = s("add", "HTTP/lookalike.contoso.test", "svc_files", *krb)
        c.check("add refuses a look-alike (zero-width space on svc_web)",
                r.rc == 1 and "reads the same" in r.out and dump(dc) == before, r.show())
        r = s("add", "cifs/exch01.contoso.test", "svc_files", *krb)
        c.check("add refuses an alias class while HOST/ is on EXCH01$",
                r.rc == 1 and "EXCH01" in r.out and "HOST/exch01.contoso.test" in r.out and
                dump(dc) == before, r.show())
        r = s("add", "HOST/files.contoso.test", "EXCH01", *krb)
        c.check("add refuses HOST/ while cifs/ of that host is on svc_files",
                r.rc == 1 and "svc_files" in r.out and dump(dc) == before, r.show())
        r = s("add", "HTTP", "svc_files", *krb)
        c.check("add refuses what the DC would refuse (one part), even with --force",
                r.rc != 0 and s("add", "HTTP", "svc_files", "--force", *krb).rc != 0 and
                dump(dc) == before, r.show())
        r = s("add", "--dry-run", "dns/ns1.contoso.test:53", "svc_files", *krb)
        c.check("add --dry-run of a port variant: accepted, nothing written",
                r.rc == 0 and "would add" in r.out and dump(dc) == before, r.show())
        r = s("add", "dns/ns1.contoso.test:53", "svc_files", "--undo-file",
              undo_file("add.ldif"), *krb)
        c.check("add accepts a port variant (dns/x:53 beside dns/x)",
                r.rc == 0 and "dns/ns1.contoso.test:53" in spns_of(dc, FILES), r.show())
        r = s("add", "HTTP/intranet.contoso.test", "svc_files", "--force", "--undo-file",
              undo_file("force.ldif"), *krb)
        c.check("add --force of a duplicate: says what breaks; the DC still refuses, in words",
                r.rc == 2 and "svc_web" in (r.out + r.err) and
                "HTTP/intranet.contoso.test" not in spns_of(dc, FILES), r.show())

        # ---- reset ----
        r = s("rm", "HOST/EXCH01", "EXCH01", "--undo-file", undo_file("rm-host.ldif"), *krb)
        c.check("rm HOST/EXCH01 from EXCH01$", r.rc == 0 and "HOST/EXCH01" not in spns_of(dc, EXCH),
                r.show())
        r = s("reset", "EXCH01", "--undo-file", undo_file("reset.ldif"), *krb)
        got = set(spns_of(dc, EXCH))
        c.check("reset EXCH01: HOST/ and RestrictedKrbHost/ for both names, the rest kept",
                r.rc == 0 and {"HOST/EXCH01", "HOST/exch01.contoso.test",
                               "RestrictedKrbHost/EXCH01",
                               "RestrictedKrbHost/exch01.contoso.test"} <= got and
                {"SMTPSVC/EXCH01", "SMTPSVC/exch01.contoso.test"} <= got, r.show() + f"\n{got}")

        # ---- setspn's words ----
        r = s("-S", "HTTP/app2.contoso.test", "svc_files", "--undo-file", undo_file("S.ldif"), *krb)
        c.check("setspn -S: 'Registering ServicePrincipalNames for' ... 'Updated object'",
                r.rc == 0 and f"Registering ServicePrincipalNames for {FILES}" in r.out and
                "\tHTTP/app2.contoso.test" in r.out and "Updated object" in r.out, r.show())
        r = s("-S", "HTTP/app2.contoso.test", "svc_web", *krb)
        c.check("setspn -S of a duplicate: 'Duplicate SPN found, aborting operation!'",
                r.rc == 1 and "Duplicate SPN found, aborting operation!" in r.out, r.show())
        r = s("-D", "HTTP/app2.contoso.test", "svc_files", "--undo-file", undo_file("D.ldif"),
              *krb)
        c.check("setspn -D: 'Unregistering ServicePrincipalNames for' ... 'Updated object'",
                r.rc == 0 and f"Unregistering ServicePrincipalNames for {FILES}" in r.out and
                "Updated object" in r.out, r.show())

        # ---- a user without rights ----
        lowenv = dict(env)
        lowenv["KRB5CCNAME"] = f"FILE:{dc.dir}/ccache-lowpriv"
        r = livelib.run(["kinit", f"lowpriv@{REALM}"], env=lowenv, input=LOW_PASSWORD + "\n",
                        timeout=30)
        c.check("kinit as lowpriv", r.rc == 0, r.show())
        before = dump(dc)
        r = s("rm", "HTTP/intranet.contoso.test", "svc_web", "--undo-file",
              undo_file("low.ldif"), *krb, env_=lowenv)
        c.check("rm as a user without rights: exit 2, says which right is missing, no change",
                r.rc == 2 and "insufficient access" in (r.out + r.err).lower() and
                dump(dc) == before and not os.path.exists(undo_file("low.ldif")), r.show())

        # ---- a computer writing its own SPNs (validated write only) ----
        ws = f"CN=WS01,CN=Computers,{BASE}"
        r = livelib.run(["samba-tool", "computer", "create", "WS01", "-s",
                         f"{dc.dir}/etc/smb.conf"], timeout=120)
        r2 = dc.ldapmodify(f"""dn: {ws}
changetype: modify
replace: dNSHostName
dNSHostName: ws01.contoso.test
""")
        r3 = livelib.run(["samba-tool", "user", "setpassword", "WS01$", "--newpassword=Ws.Passw0rd.1",
                          "-s", f"{dc.dir}/etc/smb.conf"], timeout=120)
        wsenv = dict(env)
        wsenv["KRB5CCNAME"] = f"FILE:{dc.dir}/ccache-ws01"
        r4 = livelib.run(["kinit", f"WS01$@{REALM}"], env=wsenv, input="Ws.Passw0rd.1\n", timeout=30)
        c.check("plant: computer WS01 (ws01.contoso.test), kinit as WS01$",
                r.rc == 0 and r2.rc == 0 and r3.rc == 0 and r4.rc == 0,
                r.show() + r2.show() + r3.show() + r4.show())
        before = dump(dc)
        r = s("add", "HTTP/elsewhere.contoso.test", "WS01$", "--undo-file", undo_file("ws-1.ldif"),
              *krb, env_=wsenv)
        c.check("WS01$ adding an SPN of another host: refused (exit 2), names the host names it "
                "may use", r.rc == 2 and "WS01 or ws01.contoso.test" in r.out and
                dump(dc) == before, r.show())
        r = s("add", "HTTP/ws01.contoso.test", "WS01$", "--undo-file", undo_file("ws-2.ldif"),
              *krb, env_=wsenv)
        c.check("WS01$ adds an SPN of its own host name",
                r.rc == 0 and "HTTP/ws01.contoso.test" in spns_of(dc, ws), r.show())
        r = dc.ldbmodify(f"""dn: {FILES}
changetype: modify
add: servicePrincipalName
servicePrincipalName: HTTP/ws01.contoso.test
""")
        r = s("rm", "HTTP/ws01.contoso.test", "WS01$", "--undo-file", undo_file("ws-3.ldif"),
              *krb, env_=wsenv)
        c.check("WS01$ removes its copy of a duplicated SPN (behind a placeholder of its own host "
                "name); the other copy stays",
                r.rc == 0 and "HTTP/ws01.contoso.test" not in spns_of(dc, ws) and
                "HTTP/ws01.contoso.test" in spns_of(dc, FILES), r.show())
    c.finish()


if __name__ == "__main__":
    main()
