"""samba_pair.py - two Samba AD DCs of one domain (CONTOSO.TEST) that
replicate on demand, for the multi-DC live tests: dc1 on 127.0.0.1, dc2 on
127.0.0.2, joined with `samba-tool domain join ... DC`, as
../shared/docs/samba-lab.md ("Two DCs that replicate") describes.

 - 127.0.0.2 is added to lo when it is missing (Samba binds only to
   addresses an interface really has) and taken away again at the end if
   this fixture added it.
 - Each DC is bound to its own address only (interfaces=127.0.0.N, bind
   interfaces only): the same ports on two addresses.
 - Automatic replication does not work here (the DC's own Kerberos client
   finds no logon server), which suits a test: nothing moves between the
   DCs until replicate() pulls one DC's changes into the other
   (`samba-tool drs replicate DST SRC NC --local`).
 - Clients get one environment (env): nss_wrapper hosts for dc1, dc2 and
   both `<NTDS GUID>._msdcs` names, resolv_wrapper SRV records naming both
   DCs, a krb5.conf whose KDC is dc1; krb5_env(n) is the same with DC n's
   KDC only, to ask one KDC.
The lock is samba_fixture's (LOCK_FILE): the single-DC tests use the same
ports of 127.0.0.1.
"""

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time

import livelib
from samba_fixture import (BASE, DNSDOMAIN, DOMAIN, LOCK_FILE, LOCK_WAIT, PASSWORD, PORTS, REALM,
                           stop_samba)

IPS = {1: "127.0.0.1", 2: "127.0.0.2"}


def host(n):
    return f"dc{n}.{DNSDOMAIN}"


class DC:
    """One DC's directory, process and commands."""

    def __init__(self, pair, n):
        self.pair = pair
        self.n = n
        self.ip = IPS[n]
        self.host = host(n)
        self.dir = os.path.join(pair.dir, f"dc{n}")
        self.conf = os.path.join(self.dir, "etc", "smb.conf")
        self.proc = None
        self.log = os.path.join(self.dir, "samba.out")
        self.ntds_guid = None

    def common_options(self):
        return ["--option=interfaces=" + self.ip, "--option=bind interfaces only=yes",
                f"--option=pid directory={self.dir}/run",
                f"--option=log file={self.dir}/log.%m"]

    def start(self):
        t = time.time()
        os.makedirs(os.path.join(self.dir, "run"), exist_ok=True)
        out = open(self.log, "ab")
        self.proc = subprocess.Popen(["samba", "-i", "-M", "single", "-s", self.conf],
                                     stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                livelib.skip(f"samba (dc{self.n}) exited at start:\n" + self.tail_log())
            r = livelib.run(["ldapsearch", "-x", "-H", f"ldap://{self.ip}", "-s", "base", "-b",
                             "", "defaultNamingContext"], timeout=10)
            if r.rc == 0 and "defaultNamingContext" in r.out:
                return time.time() - t
            time.sleep(0.3)
        livelib.skip(f"samba (dc{self.n}) did not answer LDAP within 120 s:\n" + self.tail_log())

    def stop(self):
        stop_samba(self.proc, self.conf)
        self.proc = None

    def tail_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return "(no log)"

    # ---- clients of this DC ----

    def ldapmodify(self, ldif, add=False):
        """A write on this DC through its own checks, over Kerberos."""
        argv = ["ldapmodify", "-Q", "-N", "-Y", "GSSAPI", "-H", f"ldap://{self.host}"]
        if add:
            argv.append("-a")
        return livelib.run(argv, env=self.pair.env, input=ldif, timeout=120)

    def ldapsearch(self, *args):
        return livelib.run(["ldapsearch", "-Q", "-N", "-Y", "GSSAPI", "-H",
                            f"ldap://{self.host}", "-LLL", "-o", "ldif-wrap=no"] + list(args),
                           env=self.pair.env)

    def tool(self, *args):
        """samba-tool with this DC's smb.conf (its database, locally)."""
        return livelib.run(["samba-tool"] + list(args) + ["-s", self.conf], env=self.pair.env,
                           timeout=180)

    def kvno(self, principal):
        """kvno asking this DC's KDC only: (rc, output)."""
        r = livelib.run(["kvno", "--no-store", principal], env=self.pair.krb5_env(self.n),
                        timeout=30)
        return r


class SambaPair:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="spnctl-samba2-")
        self.dcs = {1: DC(self, 1), 2: DC(self, 2)}
        self.env = None
        self.lock = None
        self.added_ip = False

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
        for dc in self.dcs.values():
            dc.stop()
        if self.added_ip:
            livelib.run(["ip", "addr", "del", "127.0.0.2/8", "dev", "lo"], timeout=10)
        if self.lock:
            self.lock.close()
            self.lock = None
        if livelib.keep_dirs():
            print(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def preflight(self):
        livelib.need_programs("samba", "samba-tool", "kinit", "kvno", "ldapsearch", "ldapmodify",
                              "ip")
        if os.geteuid() != 0:
            livelib.skip("a Samba AD DC needs root (ports 88, 389, 636)")
        for lib in ("libnss_wrapper.so", "libresolv_wrapper.so"):
            if not livelib.find_library(lib):
                livelib.skip(f"{lib} is not installed (scripts/deps.sh)")
        r = livelib.run(["ip", "-4", "addr", "show", "dev", "lo"], timeout=10)
        if "127.0.0.2/" not in r.out:
            a = livelib.run(["ip", "addr", "add", "127.0.0.2/8", "dev", "lo"], timeout=10)
            if a.rc != 0:
                livelib.skip("cannot give lo the second address 127.0.0.2 that the second DC "
                             "needs (Samba binds only to addresses an interface has): " + a.err)
            self.added_ip = True
        for ip in IPS.values():
            busy = [p for p in PORTS if not livelib.port_free(p, ip)]
            if busy:
                livelib.skip(f"ports in use on {ip}: {busy} (another directory server?)")

    def _client_files(self):
        d = self.dir
        for n in (0, 1, 2):   # 0: both KDCs (dc1 first)
            kdcs = "".join(f"\t\tkdc = {IPS[k]}\n" for k in ((1, 2) if n == 0 else (n,)))
            with open(f"{d}/krb5-{n}.conf", "w") as f:
                f.write(f"""[libdefaults]
	default_realm = {REALM}
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	dns_canonicalize_hostname = false
[realms]
	{REALM} = {{
{kdcs}	}}
[domain_realm]
	.{DNSDOMAIN} = {REALM}
	{DNSDOMAIN} = {REALM}
""")
        self._hosts()
        # samba-tool runs under nss_wrapper too (for the DCs' names): it
        # looks up nobody and the like, so the system's users and groups.
        shutil.copy("/etc/passwd", f"{d}/passwd")
        shutil.copy("/etc/group", f"{d}/group")
        with open(f"{d}/dns", "w") as f:
            for n in (1, 2):
                f.write(f"SRV _ldap._tcp.dc._msdcs.{DNSDOMAIN} {host(n)} 389 0 100\n")
                f.write(f"SRV _kerberos._tcp.{DNSDOMAIN} {host(n)} 88 0 100\n")
            f.write(f"SRV _gc._tcp.{DNSDOMAIN} {host(1)} 3268 0 100\n")
        with open(f"{d}/password", "w") as f:
            f.write(PASSWORD + "\n")
        os.chmod(f"{d}/password", 0o600)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("LDAP", "KRB5", "NSS_WRAPPER", "RESOLV_WRAPPER"))}
        env.update({
            "KRB5_CONFIG": f"{d}/krb5-0.conf",
            "KRB5CCNAME": f"FILE:{d}/ccache",
            "LD_PRELOAD": "libnss_wrapper.so:libresolv_wrapper.so",
            "NSS_WRAPPER_HOSTS": f"{d}/hosts",
            "NSS_WRAPPER_PASSWD": f"{d}/passwd",
            "NSS_WRAPPER_GROUP": f"{d}/group",
            "RESOLV_WRAPPER_HOSTS": f"{d}/dns",
            "HOME": d,
        })
        for k in ("NSS_WRAPPER_DISABLE_DEEPBIND", "RESOLV_WRAPPER_DISABLE_DEEPBIND"):
            if k in os.environ:
                env[k] = os.environ[k]
        self.env = env

    def _hosts(self):
        with open(f"{self.dir}/hosts", "w") as f:
            for n, dc in self.dcs.items():
                names = f"{dc.host} dc{n}"
                if dc.ntds_guid:
                    names += f" {dc.ntds_guid}._msdcs.{DNSDOMAIN}"
                f.write(f"{dc.ip} {names}\n")

    def krb5_env(self, n):
        """The clients' environment, with DC n as the only KDC."""
        env = dict(self.env)
        env["KRB5_CONFIG"] = f"{self.dir}/krb5-{n}.conf"
        return env

    def provision(self):
        """dc1 provisioned and started; returns seconds taken."""
        t = time.time()
        dc1 = self.dcs[1]
        self._client_files()
        r = livelib.run([
            "samba-tool", "domain", "provision", f"--realm={REALM}", f"--domain={DOMAIN}",
            "--server-role=dc", "--dns-backend=NONE", f"--adminpass={PASSWORD}",
            f"--targetdir={dc1.dir}", "--host-name=dc1", f"--host-ip={dc1.ip}",
        ] + dc1.common_options(), env=self.env, timeout=300)
        if r.rc != 0:
            livelib.skip("samba-tool domain provision failed:\n" + r.err[-2000:])
        dc1.start()
        self.kinit()
        return time.time() - t

    def kinit(self):
        r = livelib.run(["kinit", f"Administrator@{REALM}"], env=self.env,
                        input=PASSWORD + "\n", timeout=30)
        if r.rc != 0:
            livelib.skip("kinit Administrator failed against the Samba KDC:\n" + r.err)
        deadline = time.time() + 120
        while True:
            k = livelib.run(["kvno", f"ldap/{host(1)}@{REALM}"], env=self.env, timeout=30)
            if k.rc == 0:
                return
            if time.time() > deadline:
                livelib.skip("dc1 never registered ldap/" + host(1) + ":\n" + k.err)
            time.sleep(0.5)

    def join(self):
        """dc2 joined to the domain as a DC, started; returns seconds taken."""
        t = time.time()
        dc2 = self.dcs[2]
        r = livelib.run([
            "samba-tool", "domain", "join", DNSDOMAIN, "DC", "-U", "Administrator",
            f"--password={PASSWORD}", f"--server={host(1)}", "--dns-backend=NONE",
            f"--targetdir={dc2.dir}", "--option=netbios name=DC2",
        ] + dc2.common_options(), env=self.env, timeout=600)
        if r.rc != 0:
            livelib.skip("samba-tool domain join ... DC failed:\n" + (r.out + r.err)[-3000:])
        dc2.start()
        for dc in self.dcs.values():
            dc.ntds_guid = self.ntds_guid(dc)
        self._hosts()
        # dc2 registers its ldap/ SPNs itself once it runs (samba_spnupdate),
        # in its own database: wait for its KDC to know them, then bring
        # them to dc1, the KDC of the clients.
        deadline = time.time() + 120
        while True:
            k = livelib.run(["kvno", f"ldap/{host(2)}@{REALM}"], env=self.krb5_env(2),
                            timeout=30)
            if k.rc == 0:
                break
            if time.time() > deadline:
                livelib.skip("dc2 never registered ldap/" + host(2) + ":\n" + k.err +
                             dc2.tail_log())
            time.sleep(0.5)
        r = self.replicate(1, 2)
        if r.rc != 0:
            livelib.skip("samba-tool drs replicate dc1 dc2 failed:\n" + r.show())
        k = livelib.run(["kvno", f"ldap/{host(2)}@{REALM}"], env=self.env, timeout=30)
        if k.rc != 0:
            livelib.skip("dc1's KDC does not know ldap/" + host(2) + " after replication:\n" +
                         k.err)
        return time.time() - t

    def ntds_guid(self, dc):
        r = dc.tool("drs", "showrepl", host(dc.n), "-U", "Administrator",
                    f"--password={PASSWORD}")
        m = re.search(r"DSA object GUID:\s*([0-9a-f-]{36})", r.out)
        if not m:
            livelib.skip(f"samba-tool drs showrepl on dc{dc.n} named no DSA object GUID:\n" +
                         r.show())
        return m.group(1)

    def replicate(self, dst, src, nc=BASE):
        """Pull src's changes of nc into dst, now (on dst's database)."""
        return self.dcs[dst].tool("drs", "replicate", host(dst), host(src), nc, "--local",
                                  "-U", "Administrator", f"--password={PASSWORD}")
