"""samba_fixture.py - a real Samba AD DC (CONTOSO.TEST, host dc1) on
127.0.0.1, provisioned into a temporary directory as
../shared/docs/samba-lab.md describes, for the live tests.

Clients (spnctl, ldapsearch, kinit) get an environment of their own:
 - KRB5_CONFIG: a krb5.conf naming 127.0.0.1 as the KDC, no DNS, no rDNS;
 - KRB5CCNAME: a ticket cache in the directory;
 - nss_wrapper (LD_PRELOAD) so dc1.contoso.test resolves to 127.0.0.1
   without touching /etc/hosts, and resolv_wrapper so the DC's SRV records
   (_ldap._tcp.dc._msdcs, _gc._tcp) exist for -d;
 - HOME in the directory (no ~/.ldaprc of the user running the tests).
The DC runs in its own process group and stop() kills the whole group;
callers use it as a context manager so it stops whatever happens.
A DC needs the fixed ports of 127.0.0.1, so entering the context takes a
lock (LOCK_FILE) first: two test runs on one machine (two checkouts, two
build directories) wait for each other instead of failing on busy ports.
"""

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time

import livelib

REALM = "CONTOSO.TEST"
DOMAIN = "CONTOSO"
DNSDOMAIN = "contoso.test"
HOST = "dc1.contoso.test"
BASE = "DC=contoso,DC=test"
PASSWORD = "Passw0rd.Lab1"
PORTS = (88, 135, 139, 389, 445, 464, 636, 3268, 3269)
LOCK_FILE = "/tmp/spnctl-samba.lock"
LOCK_WAIT = 1800   # seconds to wait for another run's DC to finish


def leftovers(conf):
    """smbd and winbindd, started by samba in process groups of their
    own; ours name this smb.conf on their command line."""
    mine = []
    conf = conf.encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if conf in f.read():
                    mine.append(int(pid))
        except OSError:
            pass
    return mine


def stop_samba(proc, conf):
    """Stop samba (proc, its own process group) and what it left running."""
    if proc and proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = leftovers(conf)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + 5
        while pids and leftovers(conf) and time.time() < deadline:
            time.sleep(0.1)


class SambaDC:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="spnctl-samba-")
        self.proc = None
        self.log = os.path.join(self.dir, "samba.out")
        self.env = None
        self.lock = None

    # ---- lifecycle ----

    def __enter__(self):
        self.lock = open(LOCK_FILE, "a")
        deadline = time.time() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.time() > deadline:
                    livelib.skip(f"another test run held {LOCK_FILE} for {LOCK_WAIT} s")
                time.sleep(1)
        return self

    def __exit__(self, *exc):
        self.stop()
        if self.lock:
            self.lock.close()   # releases the flock
            self.lock = None
        if livelib.keep_dirs():
            print(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def preflight(self):
        livelib.need_programs("samba", "samba-tool", "ldbmodify", "kinit", "ldapsearch",
                              "ldapmodify")
        if os.geteuid() != 0:
            livelib.skip("a Samba AD DC needs root (ports 88, 389, 636)")
        busy = [p for p in PORTS if not livelib.port_free(p)]
        if busy:
            livelib.skip(f"ports in use on 127.0.0.1: {busy} (another directory server?)")
        for lib in ("libnss_wrapper.so", "libresolv_wrapper.so"):
            if not livelib.find_library(lib):
                livelib.skip(f"{lib} is not installed (scripts/deps.sh)")

    def provision(self):
        t = time.time()
        r = livelib.run([
            "samba-tool", "domain", "provision", f"--realm={REALM}", f"--domain={DOMAIN}",
            "--server-role=dc", "--dns-backend=NONE", f"--adminpass={PASSWORD}",
            f"--targetdir={self.dir}", "--host-name=dc1", "--host-ip=127.0.0.1",
            "--option=interfaces=lo", "--option=bind interfaces only=yes",
            f"--option=pid directory={self.dir}/run",
            f"--option=log file={self.dir}/log.%m",
        ], timeout=300)
        if r.rc != 0:
            livelib.skip("samba-tool domain provision failed:\n" + r.err[-2000:])
        os.makedirs(os.path.join(self.dir, "run"), exist_ok=True)
        self._client_files()
        return time.time() - t

    def _client_files(self):
        d = self.dir
        with open(f"{d}/krb5.conf", "w") as f:
            f.write(f"""[libdefaults]
	default_realm = {REALM}
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	dns_canonicalize_hostname = false
[realms]
	{REALM} = {{
		kdc = 127.0.0.1
	}}
[domain_realm]
	.{DNSDOMAIN} = {REALM}
	{DNSDOMAIN} = {REALM}
""")
        with open(f"{d}/hosts", "w") as f:
            f.write(f"127.0.0.1 {HOST} dc1\n")
        with open(f"{d}/passwd", "w") as f:
            f.write("root:x:0:0:root:/root:/bin/sh\n")
        with open(f"{d}/group", "w") as f:
            f.write("root:x:0:\n")
        with open(f"{d}/dns", "w") as f:
            f.write(f"SRV _ldap._tcp.dc._msdcs.{DNSDOMAIN} {HOST} 389 0 100\n")
            f.write(f"SRV _gc._tcp.{DNSDOMAIN} {HOST} 3268 0 100\n")
        with open(f"{d}/password", "w") as f:
            f.write(PASSWORD + "\n")
        os.chmod(f"{d}/password", 0o600)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("LDAP", "KRB5", "NSS_WRAPPER", "RESOLV_WRAPPER"))}
        env.update({
            "KRB5_CONFIG": f"{d}/krb5.conf",
            "KRB5CCNAME": f"FILE:{d}/ccache",
            "LD_PRELOAD": "libnss_wrapper.so:libresolv_wrapper.so",
            "NSS_WRAPPER_HOSTS": f"{d}/hosts",
            "NSS_WRAPPER_PASSWD": f"{d}/passwd",
            "NSS_WRAPPER_GROUP": f"{d}/group",
            "RESOLV_WRAPPER_HOSTS": f"{d}/dns",
            "HOME": d,
        })
        # Under AddressSanitizer the wrappers must not dlopen libc with
        # RTLD_DEEPBIND: pass their switch through when it is set.
        for k in ("NSS_WRAPPER_DISABLE_DEEPBIND", "RESOLV_WRAPPER_DISABLE_DEEPBIND"):
            if k in os.environ:
                env[k] = os.environ[k]
        self.env = env

    def start(self):
        t = time.time()
        out = open(self.log, "ab")
        self.proc = subprocess.Popen(
            ["samba", "-i", "-M", "single", "-s", f"{self.dir}/etc/smb.conf"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        out.close()
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                livelib.skip("samba exited at start:\n" + self.tail_log())
            r = livelib.run(["ldapsearch", "-x", "-H", "ldap://127.0.0.1", "-s", "base", "-b",
                             "", "defaultNamingContext"], timeout=10)
            if r.rc == 0 and "defaultNamingContext" in r.out:
                # The KDC starts with the LDAP server; give TLS and the GC a
                # moment and check them too.
                if livelib.run(["ldapsearch", "-x", "-H", "ldap://127.0.0.1:3268", "-s", "base",
                                "-b", ""], timeout=10).rc == 0:
                    return time.time() - t
            time.sleep(0.3)
        livelib.skip("samba did not answer LDAP within 90 s:\n" + self.tail_log())

    def stop(self):
        stop_samba(self.proc, f"{self.dir}/etc/smb.conf")
        self.proc = None

    def restart(self, extra_global=None):
        """Stop, optionally add [global] options to smb.conf, start again."""
        self.stop()
        if extra_global:
            conf = f"{self.dir}/etc/smb.conf"
            with open(conf) as f:
                text = f.read()
            text = text.replace("[global]\n", "[global]\n" + "".join(
                f"\t{k} = {v}\n" for k, v in extra_global.items()), 1)
            with open(conf, "w") as f:
                f.write(text)
        return self.start()

    def tail_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return "(no log)"

    # ---- clients ----

    def kinit(self):
        r = livelib.run(["kinit", f"Administrator@{REALM}"], env=self.env,
                        input=PASSWORD + "\n", timeout=30)
        if r.rc != 0:
            livelib.skip("kinit Administrator failed against the Samba KDC:\n" + r.err)
        # A new DC adds its own SPNs (ldap/dc1..., samba_spnupdate) a few
        # seconds after it starts: until then Kerberos to LDAP fails with
        # "Server not found". Wait for the ticket the tests need.
        deadline = time.time() + 90
        while True:
            k = livelib.run(["kvno", f"ldap/{HOST}@{REALM}"], env=self.env, timeout=30)
            if k.rc == 0:
                return
            if time.time() > deadline:
                livelib.skip("the DC never registered ldap/" + HOST + ":\n" + k.err)
            time.sleep(0.5)

    def ldapmodify(self, ldif, add=False):
        """A write through the DC's own checks, over Kerberos."""
        argv = ["ldapmodify", "-Q", "-N", "-Y", "GSSAPI", "-H", f"ldap://{HOST}"]
        if add:
            argv.append("-a")
        return livelib.run(argv, env=self.env, input=ldif, timeout=120)

    def ldbmodify(self, ldif):
        """A write BELOW the DC's checks: the raw partition file (samba-lab.md).
        The running DC serves the result at once."""
        part = f"{self.dir}/private/sam.ldb.d/DC=CONTOSO,DC=TEST.ldb"
        path = f"{self.dir}/below-checks.ldif"
        with open(path, "w") as f:
            f.write(ldif)
        return livelib.run(["ldbmodify", "-H", part, path], timeout=120)

    def tool(self, *args):
        """samba-tool with this DC's smb.conf."""
        return livelib.run(["samba-tool"] + list(args) + ["-s", f"{self.dir}/etc/smb.conf"],
                           timeout=120)

    def kvno(self, principal):
        """MIT kvno's own answer for principal (not stored in the cache), or None."""
        r = livelib.run(["kvno", "--no-store", principal], env=self.env, timeout=30)
        try:
            return int(r.out.rsplit("kvno = ", 1)[1].split()[0])
        except (IndexError, ValueError):
            return None

    def ldapsearch(self, *args):
        return livelib.run(["ldapsearch", "-Q", "-N", "-Y", "GSSAPI", "-H", f"ldap://{HOST}",
                            "-LLL", "-o", "ldif-wrap=no"] + list(args), env=self.env)
