#!/usr/bin/env python3
"""test_krb.py - spn/probe.h against the real KDC of a Samba AD DC.

One meson test (suite 'live'): provisions a DC, then asks its KDC through
krbprobe (the library's driver, one JSON line per SPN) and checks every
answer against what the KDC and the directory really hold:
 - a ticket for ldap/dc1 (aes256, the kvno `kvno` prints), SPNs with
   ':port', ':instance' and three parts, no ticket written to the cache;
 - a cached service ticket is never reused: after a password change the
   probe sees the new kvno while the cache still holds the old ticket;
 - SMTPSVC planted on two accounts below the DC's checks: principal
   unknown; one copy removed: issued (the fix, end to end);
 - a computer created without a password: no key; password set: issued;
 - keytabs: exported for the SPN (opens), the same after the account's
   password changed (other kvno, both kvnos named), made with ktutil from
   a wrong password (wrong key) and the right one (opens), the DC's own
   keys after cifs/dc1 is planted on an ordinary user (the ticket is for
   the user's key: "encrypted for cifs/dc1 ...; this keytab holds keys of
   DC1$"), and before it (the DC's key opens it);
 - the default keytab (KRB5_KTNAME) readable or not;
 - could not ask: '@' in the SPN, no ticket cache, an empty one, an
   expired TGT, and the KDC stopped (exit 2, one clear line each).

usage: test_krb.py KRBPROBE
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib  # noqa: E402
from samba_fixture import BASE, HOST, PASSWORD, REALM, SambaDC  # noqa: E402

SVC_PW = "Svc.Passw0rd.1"
ADMIN = f"CN=Administrator,CN=Users,{BASE}"
LDAP = f"ldap/{HOST}@{REALM}"


class Probe:
    """krbprobe with the DC's client environment."""

    def __init__(self, exe, dc):
        self.exe, self.dc = exe, dc

    def run(self, *args, env=None):
        r = livelib.run([self.exe] + list(args), env=env or self.dc.env, timeout=60)
        lines = [ln for ln in r.out.splitlines() if ln.strip()]
        try:
            r.lines = [json.loads(ln) for ln in lines]
        except ValueError:
            r.lines = []
        r.one = r.lines[0] if len(r.lines) == 1 else {}
        return r


def samba_tool(dc, c, what, *args):
    r = dc.tool(*args)
    c.check(f"setup: {what}", r.rc == 0, r.show())
    return r


def export_keytab(dc, c, path, principal):
    if os.path.exists(path):
        os.unlink(path)
    samba_tool(dc, c, f"exportkeytab --principal={principal}", "domain", "exportkeytab", path,
               f"--principal={principal}")


def ktutil_keytab(dc, c, path, principal, kvno, enctype, password):
    """A keytab made by hand from a password, as admins do with ktutil."""
    r = livelib.run(["ktutil"], env=dc.env, timeout=30, input=(
        f"addent -password -p {principal} -k {kvno} -e {enctype}\n{password}\nwkt {path}\n"))
    c.check(f"setup: ktutil keytab {os.path.basename(path)}", r.rc == 0 and os.path.exists(path),
            r.show())


def kvno_of(dc, principal):
    """kvno's own answer (MIT's client), not stored in the cache."""
    return dc.kvno(principal)


def keytab_of(r):
    return r.one.get("keytab", {})


def opener(kt):
    """The keytab key that opened the ticket, or {}."""
    i = kt.get("opened_by", -1)
    keys = kt.get("keys", [])
    return keys[i] if isinstance(i, int) and 0 <= i < len(keys) else {}


def check_tickets(dc, c, p):
    r = p.run(f"ldap/{HOST}")
    o = r.one
    want = kvno_of(dc, LDAP)
    c.check("ldap/dc1: issued, aes256 ticket and session key, kvno as `kvno` prints, exit 0",
            r.rc == 0 and o.get("status") == "issued" and o.get("asked") is True and
            o.get("principal") == LDAP and o.get("server") == LDAP and
            o.get("client") == f"Administrator@{REALM}" and o.get("enctype") == 18 and
            o.get("enctype_name") == "aes256-cts-hmac-sha1-96" and o.get("session_enctype") == 18 and
            want is not None and o.get("kvno") == want and o.get("ticket_len", 0) > 100,
            f"kvno printed {want}\n" + r.show())
    with open(f"{dc.dir}/ccache", "rb") as f:
        before = f.read()
    r = p.run(f"host/{HOST}", f"ldap/{HOST}/contoso.test", "MSSQLSvc/sql01.contoso.test:1433",
              "MSSQLSvc/sql01.contoso.test:INST")
    servers = [x.get("server") for x in r.lines]
    c.check("three parts, ':port' and ':instance' are sent as the SPN's components: all issued "
            "under exactly those names", r.rc == 0 and servers == [
                f"host/{HOST}@{REALM}", f"ldap/{HOST}/contoso.test@{REALM}",
                f"MSSQLSvc/sql01.contoso.test:1433@{REALM}",
                f"MSSQLSvc/sql01.contoso.test:INST@{REALM}"], r.show())
    with open(f"{dc.dir}/ccache", "rb") as f:
        after = f.read()
    c.check("nothing is written to the ticket cache (KRB5_GC_NO_STORE)", before == after,
            f"{len(before)} bytes before, {len(after)} after")
    r = p.run("MSSQLSvc/sql01.contoso.test")
    c.check("MSSQLSvc/sql01 without the port (nobody holds it): unknown, the KDC said no, exit 1",
            r.rc == 1 and r.one.get("status") == "unknown" and r.one.get("asked") is True and
            r.one.get("code_name") == "KDC_ERR_S_PRINCIPAL_UNKNOWN" and
            "Server not found" in (r.one.get("message") or ""), r.show())
    r = p.run("--realm", REALM, f"ldap/{HOST}")
    c.check("--realm given: the same ticket", r.rc == 0 and r.one.get("principal") == LDAP and
            r.one.get("status") == "issued", r.show())


def check_duplicate(dc, c, p):
    spn = "SMTPSVC/exch01.contoso.test"
    samba_tool(dc, c, "computer EXCH01", "computer", "create", "EXCH01")
    samba_tool(dc, c, "EXCH01's password", "user", "setpassword", "EXCH01$",
               "--newpassword=Exch.Passw0rd.1")
    samba_tool(dc, c, f"{spn} on EXCH01", "spn", "add", spn, "EXCH01$")
    r = p.run(spn)
    c.check(f"{spn} on EXCH01 alone: issued", r.rc == 0 and r.one.get("status") == "issued",
            r.show())
    dup = f"dn: {ADMIN}\nchangetype: modify\nadd: servicePrincipalName\nservicePrincipalName: {spn}\n"
    w = dc.ldbmodify(dup)
    c.check("setup: the duplicate on Administrator below the checks (ldbmodify)", w.rc == 0, w.show())
    r = p.run(spn)
    o = r.one
    c.check(f"{spn} on two accounts: unknown (KDC_ERR_S_PRINCIPAL_UNKNOWN), asked, exit 1",
            r.rc == 1 and o.get("status") == "unknown" and o.get("asked") is True and
            o.get("code") == -1765328377 and o.get("code_name") == "KDC_ERR_S_PRINCIPAL_UNKNOWN" and
            o.get("server") is None and "two do" in (o.get("summary") or ""), r.show())
    w = dc.ldbmodify(dup.replace("add:", "delete:"))
    r = p.run(spn)
    c.check(f"{spn} again on EXCH01 alone (duplicate removed): issued", w.rc == 0 and
            r.rc == 0 and r.one.get("status") == "issued", w.show() + "\n" + r.show())


def check_no_password(dc, c, p):
    samba_tool(dc, c, "computer WEB01 without a password", "computer", "create", "WEB01")
    r = p.run("HOST/WEB01")
    o = r.one
    c.check("a computer without a password: no key (KDC_ERR_ETYPE_NOSUPP), asked, exit 1",
            r.rc == 1 and o.get("status") == "no-key" and o.get("asked") is True and
            o.get("code_name") == "KDC_ERR_ETYPE_NOSUPP" and
            "never had a password" in (o.get("summary") or ""), r.show())
    samba_tool(dc, c, "WEB01's password", "user", "setpassword", "WEB01$",
               "--newpassword=Web.Passw0rd.1")
    r = p.run("HOST/WEB01")
    c.check("its password set: issued", r.rc == 0 and r.one.get("status") == "issued", r.show())


def check_keytabs(dc, c, p):
    spn = "HTTP/web.contoso.test"
    princ = f"{spn}@{REALM}"
    d = dc.dir
    export_keytab(dc, c, f"{d}/web-old.kt", spn)
    r = p.run("--keytab", f"{d}/web-old.kt", spn)
    kt = keytab_of(r)
    old = r.one.get("kvno")
    by = opener(kt)
    c.check("keytab exported for the SPN opens its ticket (the key of its name, kvno and type)",
            r.rc == 0 and kt.get("status") == "opened" and by.get("principal") == princ and
            by.get("kvno") == old and by.get("enctype") == r.one.get("enctype") and by.get("opens"),
            r.show())
    # The cache now holds a ticket of the old key: the probe must not use it.
    k = livelib.run(["kvno", princ], env=dc.env)
    samba_tool(dc, c, "svc_http's password changes", "user", "setpassword", "svc_http",
               "--newpassword=Svc.Passw0rd.2")
    r = p.run("--keytab", f"{d}/web-old.kt", spn)
    kt = keytab_of(r)
    new = r.one.get("kvno")
    summary = kt.get("summary") or ""
    c.check("after the password change the probe asks the KDC (new kvno), not the cached ticket",
            k.rc == 0 and isinstance(old, int) and new == old + 1, k.show() + "\n" + r.show())
    c.check("the old keytab: other kvno, names the ticket's and the keytab's kvno, exit 1",
            r.rc == 1 and kt.get("status") == "other-kvno" and kt.get("opened_by") == -1 and
            f"with kvno {new} " in summary and f"(kvno {old}: " in summary and
            not any(x.get("opens") for x in kt.get("keys", [])), r.show())
    export_keytab(dc, c, f"{d}/web-new.kt", spn)
    r = p.run("--keytab", f"{d}/web-new.kt", spn)
    c.check("a keytab exported again opens it", r.rc == 0 and keytab_of(r).get("status") == "opened",
            r.show())
    et = r.one.get("enctype_name")
    salt_free = et == "rc4-hmac"   # ktutil derives AES keys with a salt it would have to be told
    c.check("setup: the service user's tickets are RC4 (no msDS-SupportedEncryptionTypes)",
            salt_free, r.show())
    if salt_free:
        ktutil_keytab(dc, c, f"{d}/web-wrong.kt", princ, new, et, "Not.The.Password")
        ktutil_keytab(dc, c, f"{d}/web-right.kt", princ, new, et, "Svc.Passw0rd.2")
        r = p.run("--keytab", f"{d}/web-wrong.kt", spn)
        c.check("ktutil keytab from a wrong password (name, kvno, type right): wrong key "
                "(KRB_AP_ERR_MODIFIED), exit 1", r.rc == 1 and
                keytab_of(r).get("status") == "wrong-key" and
                "KRB_AP_ERR_MODIFIED" in (keytab_of(r).get("summary") or ""), r.show())
        r = p.run("--keytab", f"{d}/web-right.kt", spn)
        c.check("the same made from the right password: opens", r.rc == 0 and
                keytab_of(r).get("status") == "opened", r.show())
    env = dict(dc.env, KRB5_KTNAME=f"FILE:{d}/web-new.kt")
    r = p.run("--default-keytab", env=env)
    c.check("default keytab (KRB5_KTNAME) named and readable",
            r.one == {"default_keytab": f"FILE:{d}/web-new.kt", "readable": True}, r.show())
    r = p.run("--default-keytab", env=dict(dc.env, KRB5_KTNAME=f"FILE:{d}/no-such.kt"))
    c.check("default keytab missing: named, not readable",
            r.one == {"default_keytab": f"FILE:{d}/no-such.kt", "readable": False}, r.show())
    r = p.run("--keytab", f"FILE:{d}/no-such.kt", spn)
    c.check("--keytab of a missing file: an io error naming it, exit 2", r.rc == 2 and
            r.one.get("error") == "io" and "no-such.kt" in r.one.get("message", ""), r.show())


def check_alias_shadow(dc, c, p):
    spn = f"cifs/{HOST}"
    d = dc.dir
    export_keytab(dc, c, f"{d}/dc.kt", "DC1$")
    r = p.run("--keytab", f"{d}/dc.kt", spn)
    kt = keytab_of(r)
    c.check("before: cifs/dc1 (HOST alias of DC1$) opens with the DC's key, stored as DC1$ "
            "(opened-other, exit 0)", r.rc == 0 and kt.get("status") == "opened-other" and
            opener(kt).get("principal") == f"DC1$@{REALM}",
            r.show())
    dc_kvno = r.one.get("kvno")
    w = dc.ldapmodify(f"""dn: CN=svc_cifs,CN=Users,{BASE}
changetype: modify
add: servicePrincipalName
servicePrincipalName: {spn}
""")
    c.check("setup: cifs/dc1 added to the ordinary user svc_cifs (through the DC's checks)",
            w.rc == 0, w.show())
    r = p.run("--keytab", f"{d}/dc.kt", spn)
    kt = keytab_of(r)
    s = kt.get("summary") or ""
    c.check("after: the ticket is for svc_cifs's key; the DC's keytab: no key of cifs/dc1 opens "
            "it, names the ticket's principal, kvno and type and the keytab's DC1$, exit 1",
            r.rc == 1 and kt.get("status") == "no-name" and
            s.startswith(f"the KDC encrypted this ticket for {spn}@{REALM} (kvno "
                         f"{r.one.get('kvno')}, {r.one.get('enctype_name')})") and
            f"this keytab holds keys of DC1$@{REALM} (kvno {dc_kvno}:" in s and
            not any(x.get("opens") for x in kt.get("keys", [])), r.show())
    export_keytab(dc, c, f"{d}/svc_cifs.kt", "svc_cifs")
    r = p.run("--keytab", f"{d}/svc_cifs.kt", spn)
    kt = keytab_of(r)
    c.check("svc_cifs's own keys open it: the ticket really is the user's (exit 0)",
            r.rc == 0 and kt.get("status") == "opened-other" and
            opener(kt).get("principal") == f"svc_cifs@{REALM}",
            r.show())


def check_cannot_ask(dc, c, p):
    r = p.run(f"HTTP/web.contoso.test@EVIL.TEST")
    c.check("'@' in the SPN: refused before asking (usage), exit 2", r.rc == 2 and
            r.one.get("error") == "usage" and "'@'" in r.one.get("message", ""), r.show())
    d = dc.dir
    open(f"{d}/empty.cc", "w").close()
    for what, cc in (("KRB5CCNAME pointing to an empty file", f"FILE:{d}/empty.cc"),
                     ("KRB5CCNAME pointing to no file", f"FILE:{d}/none.cc")):
        r = p.run(f"ldap/{HOST}", env=dict(dc.env, KRB5CCNAME=cc))
        c.check(f"{what}: could not ask (no-tgt), 'run kinit', exit 2", r.rc == 2 and
                r.one.get("status") == "no-tgt" and r.one.get("asked") is False and
                "run kinit" in (r.one.get("summary") or ""), r.show())
    env = dict(dc.env, KRB5CCNAME=f"FILE:{d}/short.cc")
    k = livelib.run(["kinit", "-l", "2s", f"Administrator@{REALM}"], env=env,
                    input=PASSWORD + "\n", timeout=30)
    time.sleep(3)
    r = p.run(f"ldap/{HOST}", env=env)
    c.check("a TGT that expired: could not ask (no-tgt, KRB_AP_ERR_TKT_EXPIRED), exit 2",
            k.rc == 0 and r.rc == 2 and r.one.get("status") == "no-tgt" and
            r.one.get("code_name") == "KRB_AP_ERR_TKT_EXPIRED" and
            "expired" in (r.one.get("message") or ""), k.show() + "\n" + r.show())
    dc.stop()
    t = time.time()
    r = p.run(f"ldap/{HOST}")
    took = time.time() - t
    c.check(f"KDC stopped: could not ask (unreachable, KRB5_KDC_UNREACH), exit 2, in {took:.1f} s",
            r.rc == 2 and r.one.get("status") == "unreachable" and r.one.get("asked") is False and
            r.one.get("code_name") == "KRB5_KDC_UNREACH", r.show())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_krb.py KRBPROBE")
    exe = os.path.abspath(sys.argv[1])
    livelib.stop_on_signals()
    livelib.need_programs("kvno", "ktutil")
    c = livelib.Checks("krb")
    with SambaDC() as dc:
        t0 = time.time()   # after the fixture's lock: another run's DC may have held it
        dc.preflight()
        print(f"provisioned in {dc.provision():.1f} s, started in {dc.start():.1f} s "
              f"({dc.dir})", flush=True)
        dc.kinit()
        print(f"ticket-granting ticket and the DC's SPNs after {time.time() - t0:.1f} s",
              flush=True)
        for sam in ("svc_http", "svc_cifs", "svc_sql"):
            samba_tool(dc, c, f"user {sam}", "user", "create", sam, SVC_PW)
        samba_tool(dc, c, "HTTP/web on svc_http", "spn", "add", "HTTP/web.contoso.test", "svc_http")
        for s in ("MSSQLSvc/sql01.contoso.test:1433", "MSSQLSvc/sql01.contoso.test:INST"):
            samba_tool(dc, c, f"{s} on svc_sql", "spn", "add", s, "svc_sql")
        p = Probe(exe, dc)
        check_tickets(dc, c, p)
        check_duplicate(dc, c, p)
        check_no_password(dc, c, p)
        check_keytabs(dc, c, p)
        check_alias_shadow(dc, c, p)
        check_cannot_ask(dc, c, p)   # last: stops the KDC
        print(f"ran in {time.time() - t0:.1f} s", flush=True)
    c.finish()


if __name__ == "__main__":
    main()
