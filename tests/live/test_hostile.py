#!/usr/bin/env python3
"""test_hostile.py - spnctl against a misbehaving LDAP server of our own
(hostile_ldap.py) on loopback: a server may be broken or in someone
else's hands, and spnctl must still end by itself, bounded in time and
memory, and say exactly what it could not read.

For every fault (bad attribute encoding inside an entry, a repeating
paging cookie, a range that creeps one value at a time, a message whose
BER length claims gigabytes, a search that never ends, a server that goes
silent after the bind, a storm of search references) spnctl must: end
within its --timeout (plus start-up slack), exit 2, print JSON with
complete: false and a gap naming what happened, and stay under a memory
bound (its maximum resident set, from wait4).

Then the password's care: a password file others can read is warned
about; SPNCTL_PASSWORD is gone from /proc/PID/environ while spnctl runs;
Ctrl-C at the password prompt gives the terminal its echo back.

Then what TLS and passwords must never do: an ldaprc with TLS_REQCERT
never in the working folder is refused without --insecure-tls (which
then works, and warns); a password is not sent to a server found through
DNS unless TLS verified it; --forest contacts only the domains the
Partitions container lists.

usage: test_hostile.py SPNCTL
"""

import fcntl
import json
import os
import select
import signal
import ssl
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livelib  # noqa: E402
from hostile_ldap import HostileLDAP  # noqa: E402

TIMEOUT = 3          # --timeout given to spnctl in the fault cases
SLACK = 5            # start-up, the second connection, the report
RSS_LIMIT_MB = 64    # spnctl's own use is a few MiB; a 3 GiB claim must not show


def measured(argv, env, cwd=None, limit=60):
    """Run argv; (exit status, stdout, stderr, seconds, max RSS in MiB).
    A run past limit seconds is killed: status -9."""
    t = time.time()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err,
                             stdin=subprocess.DEVNULL)
        deadline = t + limit
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.time() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (p.returncode, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"), time.time() - t, ru.ru_maxrss / 1024)


def make_cert(d):
    """A self-signed certificate for 127.0.0.1 (and its key) in d."""
    r = livelib.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                     "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                     "-keyout", f"{d}/key.pem", "-out", f"{d}/cert.pem"], timeout=60)
    if r.rc != 0:
        livelib.skip("openssl cannot make a test certificate:\n" + r.err[-1000:])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(f"{d}/cert.pem", f"{d}/key.pem")
    return ctx, f"{d}/cert.pem"


# case, what the gap must say, extra spnctl arguments, --timeout
FAULTS = [
    ("bad-attr", "cannot be decoded", [], TIMEOUT),
    ("cookie-repeat", "same paging cookie", [], TIMEOUT),
    ("range-creep", "stopped after 10000 range requests", [], 30),
    ("huge", "longer than 32 MiB", [], TIMEOUT),
    ("never-ends", "did not end within the --timeout of 3 s", [], TIMEOUT),
    ("silent", "answered the bind, then nothing within 3 s", [], TIMEOUT),
    ("ref-storm", "not followed", [], TIMEOUT),
]


def fault_checks(c, spnctl, env):
    for case, says, extra, timeout in FAULTS:
        with HostileLDAP(case) as srv:
            rc, out, err, secs, rss = measured(
                [spnctl, "audit", "-o", "json", "-x", "-H", srv.uri, "--timeout", str(timeout)]
                + extra, env, limit=timeout + SLACK + 30)
        try:
            report = json.loads(out)
        except ValueError:
            report = {}
        gaps = report.get("gaps", [])
        shown = (f"exit {rc}, {secs:.1f} s, {rss:.1f} MiB\nstdout: {out[:1500]}\n"
                 f"stderr: {err[:1500]}")
        print(f"     {case}: {secs:.1f} s, max RSS {rss:.1f} MiB, {len(gaps)} gaps", flush=True)
        c.check(f"{case}: ends by itself within --timeout {timeout} (+{SLACK} s)",
                secs < timeout + SLACK, shown)
        c.check(f"{case}: exit 2, complete: false, a gap saying '{says}'",
                rc == 2 and report.get("complete") is False and
                any(says in g for g in gaps), shown)
        c.check(f"{case}: max RSS under {RSS_LIMIT_MB} MiB", rss < RSS_LIMIT_MB, shown)
        if case == "ref-storm":
            c.check("ref-storm: the gaps are bounded (20 listed, the rest counted in one line)",
                    len(gaps) <= 22 and any("more gaps" in g for g in gaps), shown)
        if case == "bad-attr":
            accs = {a.get("dn") for f in report.get("findings", [])
                    for a in f.get("accounts", [])}
            c.check("bad-attr: the entry after the bad one was read; the bad one was left out",
                    any("svc2" in g for g in [json.dumps(report)]) and
                    not any(d and d.startswith("CN=bad,") for d in accs), shown)


def escape_checks(c, spnctl, env):
    """DNs and SPNs with terminal control sequences, end to end."""
    with HostileLDAP("escapes") as srv:
        base = [spnctl, "-x", "-H", srv.uri, "--timeout", "10"]
        shown = {}
        for fmt, cmd in (("text", ["audit"]), ("setspn", ["query", "HTTP/*"])):
            rc, out, err, _, _ = measured(base + cmd + ["-o", fmt], env)
            shown[fmt] = (rc, out, err)
        rc, out, err, _, _ = measured(base + ["audit", "-o", "json"], env)
        shown["json"] = (rc, out, err)
    for fmt in ("text", "setspn"):
        rc, out, err = shown[fmt]
        c.check(f"{'audit' if fmt == 'text' else 'query'} -o {fmt}: control bytes from the server are shown as \\xNN, none reaches "
                "the terminal", rc in (0, 1) and "\x1b" not in out + err and "\x9b" not in out and
                "\\x1b]0;owned\\x07" in out and "HTTP/a\\x1b[31mred" in out and
                (fmt == "text" or "HTTP/b\\xc2\\x9b31m" in out), f"exit {rc}\n{out!r}\n{err!r}")
    rc, out, err = shown["json"]
    c.check("audit -o json: the same DN escaped as JSON does (\\u001b), the value kept",
            "\x1b" not in out and "\\u001b]0;owned\\u0007" in out, f"exit {rc}\n{out[:800]!r}")


def tls_checks(c, spnctl, env, d):
    ctx, cert = make_cert(d)
    work = f"{d}/work"
    os.makedirs(work)
    with open(f"{work}/ldaprc", "w") as f:
        f.write("TLS_REQCERT never\n")
    home = f"{d}/home"
    os.makedirs(home)
    tenv = {k: v for k, v in env.items() if not k.startswith("LDAP")}
    tenv["HOME"] = home
    with HostileLDAP("normal", tls=ctx) as srv:
        base = [spnctl, "audit", "-o", "json", "-x", "-H", srv.uri, "--timeout", "10"]
        rc, out, err, _, _ = measured(base, tenv, cwd=work)
        c.check("./ldaprc with TLS_REQCERT never: refused before connecting, exit 2, says why",
                rc == 2 and "TLS_REQCERT" in err and "'never'" in err and
                "--insecure-tls" in err and out == "" and srv.connections == 0,
                f"exit {rc}\n{err}\nconnections {srv.connections}")
        rc, out, err, _, _ = measured(base, dict(tenv, LDAPTLS_REQCERT="allow"))
        c.check("LDAPTLS_REQCERT=allow: refused the same way",
                rc == 2 and "'allow'" in err, f"exit {rc}\n{err}")
        rc, out, err, _, _ = measured(base + ["--insecure-tls"], tenv, cwd=work)
        c.check("... with --insecure-tls: read (exit 1, complete), and a warning says what it "
                "means", rc == 1 and '"complete": true' in out and
                "not checked" in err and "pose as the directory server" in err,
                f"exit {rc}\n{err}\n{out[:500]}")
        rc, out, err, _, _ = measured(base, tenv)
        c.check("no ldaprc, no --cacert: the self-signed certificate is not trusted, exit 2",
                rc == 2 and "not trusted" in err, f"exit {rc}\n{err}")
        rc, out, err, _, _ = measured(base + ["--cacert", cert], tenv, cwd=work)
        c.check("--cacert beats ./ldaprc's TLS_REQCERT never (checking on): read, exit 1",
                rc == 1 and '"complete": true' in out, f"exit {rc}\n{err}")
        rc, out, err, _, _ = measured(base + ["--cacert", cert, "--insecure-tls"], tenv)
        c.check("--cacert with --insecure-tls: a usage error", rc == 2 and "contradict" in err,
                f"exit {rc}\n{err}")
        rc, out, err, _, _ = measured(base + ["--cacert", cert, "-v"], tenv)
        c.check("-v says how certificates are checked", "TLS certificate checking: demand" in err,
                err)
    with HostileLDAP("busy", tls=ctx) as srv:
        rc, out, err, _, _ = measured([spnctl, "audit", "-x", "-H", srv.uri, "--cacert", cert,
                                       "--timeout", "10"], tenv)
        c.check("a bind refused for another reason (unavailable) over verified TLS: the server's "
                "words, not blamed on the certificate",
                rc == 2 and "going down for maintenance" in err and "certificate" not in err,
                f"exit {rc}\n{err}")
    return ctx, cert


def srv_env(env, d, name, records):
    """resolv_wrapper SRV records: [(domain, host, port)]."""
    path = f"{d}/{name}"
    with open(path, "w") as f:
        for dom, host, port in records:
            f.write(f"SRV _ldap._tcp.dc._msdcs.{dom} {host} {port} 0 100\n")
            f.write(f"SRV _gc._tcp.{dom} {host} {port} 0 100\n")
    return dict(env, LD_PRELOAD="libresolv_wrapper.so", RESOLV_WRAPPER_HOSTS=path)


def password_checks(c, spnctl, env, d, ctx, cert):
    pw = f"{d}/pw"
    with open(pw, "w") as f:
        f.write("Secret.Passw0rd\n")
    os.chmod(pw, 0o600)
    secret = {b"Secret.Passw0rd"}
    bind = ["-D", "CN=a,DC=hostile,DC=test", "--password-file", pw, "--timeout", "10"]
    with HostileLDAP("normal") as plain:
        e1 = srv_env(env, d, "dns-plain", [("hostile.test", "127.0.0.1", plain.port)])
        rc, out, err, _, _ = measured([spnctl, "audit", "-o", "json", "-d", "hostile.test",
                                       "--allow-cleartext-password"] + bind, e1)
        c.check("-d (server from DNS SRV), -D over plain LDAP even with "
                "--allow-cleartext-password: refused, no password sent",
                rc == 2 and "found through DNS" in err and not plain.passwords,
                f"exit {rc}\n{err}\npasswords {plain.passwords}")
        rc, out, err, _, _ = measured([spnctl, "audit", "-o", "json", "-H", plain.uri,
                                       "--allow-cleartext-password"] + bind, env)
        c.check("the same server named with -H: the user's choice, the password goes",
                rc == 1 and set(plain.passwords) == secret, f"exit {rc}\n{err}")
    with HostileLDAP("normal", tls=ctx, starttls=True) as st:
        e2 = srv_env(env, d, "dns-tls", [("hostile.test", "127.0.0.1", st.port)])
        rc, out, err, _, _ = measured([spnctl, "audit", "-o", "json", "-d", "hostile.test",
                                       "-Z", "--insecure-tls"] + bind, e2)
        c.check("-d and -Z with --insecure-tls (TLS, but nothing verified): refused, no "
                "password sent", rc == 2 and "found through DNS" in err and not st.passwords,
                f"exit {rc}\n{err}")
        rc, out, err, _, _ = measured([spnctl, "audit", "-o", "json", "-d", "hostile.test",
                                       "-Z", "--cacert", cert] + bind, e2)
        c.check("-d and -Z with the certificate verified (--cacert): the password goes, read",
                rc == 1 and set(st.passwords) == secret, f"exit {rc}\n{err}")


def creds_checks(c, spnctl, env, d):
    """The password's care, around the bind."""
    pw = f"{d}/shared-pw"
    with open(pw, "w") as f:
        f.write("Secret.Passw0rd\n")
    os.chmod(pw, 0o644)
    with HostileLDAP("normal") as srv:
        argv = [spnctl, "audit", "-o", "json", "-H", srv.uri, "-D", "CN=a,DC=hostile,DC=test",
                "--allow-cleartext-password", "--timeout", "10", "--password-file", pw]
        rc, out, err, _, _ = measured(argv, env)
        c.check("a password file others can read (0644): a warning naming it and chmod 600",
                rc == 1 and f"'{pw}' can be read by other users: chmod 600" in err,
                f"exit {rc}\n{err}")
        os.chmod(pw, 0o600)
        rc, out, err, _, _ = measured(argv, env)
        c.check("... mode 0600: no warning", rc == 1 and "other users" not in err,
                f"exit {rc}\n{err}")
    with HostileLDAP("silent") as srv:
        p = subprocess.Popen([spnctl, "audit", "-o", "json", "-H", srv.uri, "-D",
                              "CN=a,DC=hostile,DC=test", "--allow-cleartext-password",
                              "--timeout", "3"],
                             env=dict(env, SPNCTL_PASSWORD="Env.Secret.42"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = b""
        t = time.time()
        while time.time() - t < 10 and not srv.passwords:
            time.sleep(0.05)
        try:
            with open(f"/proc/{p.pid}/environ", "rb") as f:
                seen = f.read()
        except OSError:
            pass
        p.wait(20)
        c.check("SPNCTL_PASSWORD: used for the bind, then gone from /proc/PID/environ",
                srv.passwords == [b"Env.Secret.42"] and b"Env.Secret.42" not in seen and
                b"SPNCTL_PASSWORD=Env" not in seen,
                f"passwords {srv.passwords}; environ has it: {b'Env.Secret.42' in seen}")
    prompt_checks(c, spnctl, env)


def prompt_checks(c, spnctl, env):
    """Ctrl-C at the password prompt: the terminal gets its echo back."""
    master, slave = os.openpty()

    def controlling_tty():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen([spnctl, "audit", "-H", "ldap://127.0.0.1:1", "-D", "CN=a,DC=x",
                          "--allow-cleartext-password"],
                         env={k: v for k, v in env.items() if k != "SPNCTL_PASSWORD"},
                         stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                         preexec_fn=controlling_tty)
    shown = b""
    t = time.time()
    while b"Password for" not in shown and time.time() - t < 10:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            shown += os.read(master, 4096)
    time.sleep(0.2)
    echo_off = not termios.tcgetattr(slave)[3] & termios.ECHO
    p.send_signal(signal.SIGINT)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    echo_back = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
    os.close(master)
    os.close(slave)
    c.check("Ctrl-C at the password prompt: echo was off for the password and is on again "
            "once spnctl is gone (killed by SIGINT)",
            b"Password for CN=a,DC=x" in shown and echo_off and echo_back and
            p.returncode == -signal.SIGINT,
            f"shown {shown!r}, echo off during {echo_off}, back after {echo_back}, "
            f"status {p.returncode}")


def forest_checks(c, spnctl, env, d):
    with HostileLDAP("forest") as gc, HostileLDAP("normal") as dc, \
            HostileLDAP("normal") as canary:
        e = srv_env(env, d, "dns-forest", [("hostile.test", "127.0.0.1", dc.port),
                                           ("evil.example", "127.0.0.1", canary.port)])
        rc, out, err, secs, _ = measured(
            [spnctl, "audit", "-o", "json", "-x", "--forest", "-H", gc.uri, "--timeout", "10"], e)
        try:
            report = json.loads(out)
        except ValueError:
            report = {}
        gaps = report.get("gaps", [])
        c.check("--forest: a domain the GC's entries name but CN=Partitions does not list is "
                "not contacted (its SRV server saw no connection); a gap names it; the listed "
                "domain's DC was read",
                canary.connections == 0 and dc.connections > 0 and rc == 2 and
                any("evil.example" in g and "Partitions" in g for g in gaps),
                f"canary {canary.connections}, dc {dc.connections}, exit {rc}\n{err}\n"
                f"{json.dumps(gaps, indent=1)}")
        c.check("--forest: a listed domain whose DC= value holds a DN special (we\\,ird) is a "
                "gap naming it, not 'out of memory'; the rest is read",
                rc == 2 and "out of memory" not in err and
                any("we\\,ird.example" in g and "no DNS name has" in g for g in gaps) and
                len(report.get("findings", [])) > 0, f"exit {rc}\n{err}\n{json.dumps(gaps)}")


def write_checks(c, spnctl, env):
    """The write commands' connection (directory.c) gets the same care."""
    for case in ("silent", "never-ends"):
        with HostileLDAP(case) as srv:
            rc, out, err, secs, rss = measured(
                [spnctl, "add", "HTTP/new.hostile.test", "svc1", "--dry-run", "-x", "-H", srv.uri,
                 "--timeout", str(TIMEOUT)], env, limit=TIMEOUT + SLACK + 30)
        c.check(f"add --dry-run against a server that is {case}: ends within --timeout, exit 2, "
                f"says why, writes nothing", secs < TIMEOUT + SLACK and rc == 2 and
                ("--timeout" in err or "in time" in err or "stopped answering" in err) and
                "Registering" not in out, f"exit {rc}, {secs:.1f} s\n{out}\n{err}")
    # DOMAIN\name: the domain's NetBIOS name is read from its crossRef, a
    # search bounded in entries as well as in time.
    with HostileLDAP("crossref-flood") as srv:
        rc, out, err, secs, rss = measured(
            [spnctl, "add", "HTTP/new.hostile.test", "HOSTILE\\svc1", "--dry-run", "-x", "-H",
             srv.uri, "--timeout", str(TIMEOUT)], env, limit=TIMEOUT + SLACK + 30)
    c.check("add --dry-run HOSTILE\\svc1 against crossRefs that flood: ends within --timeout, "
            "exit 2, says it was the NetBIOS name, bounded memory",
            secs < TIMEOUT + SLACK and rc == 2 and "NetBIOS name" in err and
            rss < RSS_LIMIT_MB and "Registering" not in out,
            f"exit {rc}, {secs:.1f} s, {rss:.1f} MiB\n{out}\n{err}")


def netbios_checks(c, spnctl, env):
    """-T with a NetBIOS name: looked up in the Partitions container, and
    that search is bounded like every other."""
    with HostileLDAP("normal") as srv:
        rc, out, err, secs, _ = measured([spnctl, "audit", "-o", "json", "-x", "-H", srv.uri,
                                          "-T", "HOSTILE", "--timeout", "10"], env)
    c.check("-T HOSTILE: its crossRef's dnsRoot (hostile.test) is read, exit 1, complete",
            rc == 1 and '"complete": true' in out, f"exit {rc}, {secs:.1f} s\n{err}\n{out[:500]}")
    with HostileLDAP("crossref-storm") as srv:
        rc, out, err, secs, rss = measured([spnctl, "audit", "-o", "json", "-x", "-H", srv.uri,
                                            "-T", "HOSTILE", "--timeout", str(TIMEOUT)], env,
                                           limit=TIMEOUT + SLACK + 60)
    c.check(f"-T HOSTILE against crossRefs that never end: ends within --timeout {TIMEOUT} "
            f"(+{SLACK} s), exit 2, says it was the NetBIOS lookup, bounded memory",
            secs < TIMEOUT + SLACK and rc == 2 and "NetBIOS domain name 'HOSTILE'" in err and
            rss < RSS_LIMIT_MB, f"exit {rc}, {secs:.1f} s, {rss:.1f} MiB\n{err}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_hostile.py SPNCTL")
    spnctl = os.path.abspath(sys.argv[1])
    livelib.stop_on_signals()
    livelib.need_programs("openssl")
    if not livelib.find_library("libresolv_wrapper.so"):
        livelib.skip("libresolv_wrapper.so is not installed (scripts/deps.sh)")
    c = livelib.Checks("hostile")
    t = time.time()
    with tempfile.TemporaryDirectory(prefix="spnctl-hostile-") as d:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LDAP", "KRB5"))}
        env.update({"LDAPNOINIT": "1", "HOME": d, "KRB5CCNAME": f"FILE:{d}/no-ccache"})
        fault_checks(c, spnctl, env)
        escape_checks(c, spnctl, env)
        write_checks(c, spnctl, env)
        netbios_checks(c, spnctl, env)
        ctx, cert = tls_checks(c, spnctl, env, d)
        password_checks(c, spnctl, env, d, ctx, cert)
        creds_checks(c, spnctl, env, d)
        forest_checks(c, spnctl, env, d)
    print(f"hostile: {time.time() - t:.1f} s in all", flush=True)
    c.finish()


if __name__ == "__main__":
    main()
