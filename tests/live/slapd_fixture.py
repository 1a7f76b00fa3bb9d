"""slapd_fixture.py - an AD-shaped OpenLDAP slapd on a free loopback port,
for the live tests and bench/live.sh (../shared/docs/samba-lab.md, "An
AD-shaped OpenLDAP").

 - Schema: core, cosine, inetorgperson, nis, Debian's msuser.schema copied
   with EQUALITY/SUBSTR rules added to servicePrincipalName, sAMAccountName,
   dNSHostName and userPrincipalName (it has none), and ad-extra.schema
   (msDS-AllowedToDelegateTo, gMSA/sMSA/dMSA classes, nTDSService, the
   naming-context attributes).
 - The rootDSE carries defaultNamingContext, configurationNamingContext and
   rootDomainNamingContext as an AD DC's does (slapd's rootDSE directive),
   so spnctl reads sPNMappings/dSHeuristics from CN=Directory Service under
   CN=Configuration exactly as from AD.
 - back-mdb, loaded with slapadd -q -s. Generated LDIF (tests/gen/spngen)
   holds no container entries; slapadd would make them "glue", which is not
   searchable as a base, so real parents are written first (prelude.ldif):
   the only post-processing, done here and not in the generator.
 - A bind DN with a size limit (CN=limited, password "limited") for the
   size-limit test; anonymous reads everything.

Use as a context manager: the server is killed on the way out.
"""

import base64
import os
import shutil
import signal
import subprocess
import tempfile
import time

import livelib

HERE = os.path.dirname(os.path.abspath(__file__))
MSUSER = "/etc/ldap/schema/msuser.schema"
LIMITED_PASSWORD = "limited"


def domain_dn(domain):
    return ",".join("DC=" + p for p in domain.split("."))


class Slapd:
    def __init__(self, domain="corp.example.com", size_limit=500, workdir=None):
        self.domain = domain
        self.suffix = domain_dn(domain)
        self.dir = workdir or tempfile.mkdtemp(prefix="spnctl-slapd-")
        self.port = livelib.free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.proc = None
        self.size_limit = size_limit
        self.limited_dn = f"CN=limited,{self.suffix}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        if livelib.keep_dirs():
            print(f"kept {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def preflight(self):
        livelib.need_programs("slapd", "slapadd", "ldapsearch")
        if not os.path.exists(MSUSER):
            livelib.skip(f"{MSUSER} is missing (Debian's slapd package ships it)")
        if not os.path.isdir("/usr/lib/ldap") or not any(
                f.startswith("back_mdb") for f in os.listdir("/usr/lib/ldap")):
            livelib.skip("slapd's back_mdb module is not installed in /usr/lib/ldap")

    def configure(self, maxsize=1 << 34):
        d = self.dir
        os.makedirs(f"{d}/db", exist_ok=True)
        text = open(MSUSER).read()
        for attr in ("servicePrincipalName", "sAMAccountName", "dNSHostName", "userPrincipalName"):
            needle = f"NAME '{attr}'"
            if needle not in text:
                livelib.skip(f"{MSUSER} does not define {attr}")
            text = text.replace(needle, needle + " EQUALITY caseIgnoreMatch"
                                " SUBSTR caseIgnoreSubstringsMatch", 1)
        with open(f"{d}/msuser.schema", "w") as f:
            f.write(text)
        shutil.copy(os.path.join(HERE, "ad-extra.schema"), f"{d}/ad-extra.schema")
        with open(f"{d}/rootdse.ldif", "w") as f:
            f.write(f"dn:\ndefaultNamingContext: {self.suffix}\n"
                    f"configurationNamingContext: CN=Configuration,{self.suffix}\n"
                    f"rootDomainNamingContext: {self.suffix}\n")
        with open(f"{d}/slapd.conf", "w") as f:
            f.write(f"""# slapd.conf - written by tests/live/slapd_fixture.py
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
include {d}/msuser.schema
include {d}/ad-extra.schema
pidfile {d}/slapd.pid
argsfile {d}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
rootDSE {d}/rootdse.ldif
sizelimit unlimited
timelimit unlimited
database mdb
maxsize {maxsize}
suffix "{self.suffix}"
rootdn "CN=admin,{self.suffix}"
rootpw admin
directory {d}/db
index objectClass eq
index servicePrincipalName pres,eq
index sAMAccountName eq
limits dn.exact="{self.limited_dn}" size={self.size_limit}
access to attrs=userPassword by anonymous auth by * none
access to * by * read
""")

    def _prelude(self, ldif_paths):
        """Parent entries the generated LDIF lacks, shallowest first."""
        have, need = set(), set()
        suffix = self.suffix.lower()
        for path in ldif_paths:
            with open(path, "rb") as f:
                for raw in logical_lines(f):
                    if raw.startswith(b"dn:: "):
                        dn = base64.b64decode(raw[5:].strip()).decode("utf-8", "replace")
                    elif raw.startswith(b"dn: "):
                        dn = raw[4:].rstrip(b"\r\n").decode("utf-8", "replace")
                    else:
                        continue
                    have.add(dn.lower())
                    parts = split_dn(dn)
                    for i in range(1, len(parts)):
                        parent = ",".join(parts[i:])
                        if parent.lower().endswith(suffix):
                            need.add(parent)
        out = []
        seen = set()
        for dn in sorted(need, key=lambda x: len(split_dn(x))):
            if dn.lower() in have or dn.lower() in seen:
                continue
            seen.add(dn.lower())
            attr, _, value = split_dn(dn)[0].partition("=")
            a = attr.strip().lower()
            oc = {"dc": "domain", "ou": "organizationalUnit"}.get(a, "container")
            name = {"dc": "dc", "ou": "ou"}.get(a, "cn")
            out.append(f"dn: {dn}\nobjectClass: top\nobjectClass: {oc}\n{name}: {value}\n")
        out.append(f"dn: {self.limited_dn}\nobjectClass: top\nobjectClass: person\n"
                   f"cn: limited\nsn: limited\nuserPassword: {LIMITED_PASSWORD}\n")
        return "\n".join(out)

    def load(self, *ldif_paths):
        """slapadd the files (and the parents they need) into an empty DB."""
        t = time.time()
        prelude = f"{self.dir}/prelude.ldif"
        with open(prelude, "w") as f:
            f.write(self._prelude(ldif_paths))
        for path in (prelude,) + ldif_paths:
            r = livelib.run(["slapadd", "-q", "-s", "-f", f"{self.dir}/slapd.conf", "-l", path],
                            timeout=1800)
            if r.rc != 0:
                raise RuntimeError(f"slapadd {path} failed:\n{r.err[-3000:]}")
        return time.time() - t

    def start(self):
        if self.proc and self.proc.poll() is None:
            self.stop()   # never two servers on one database and port
        t = time.time()
        log = open(f"{self.dir}/slapd.log", "ab")
        # -d 0: stay in the foreground (our child, so we can kill it).
        self.proc = subprocess.Popen(
            ["slapd", "-d", "0", "-h", f"{self.uri}/", "-f", f"{self.dir}/slapd.conf"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log.close()
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("slapd exited at start:\n" + self.tail_log())
            if not livelib.port_free(self.port) and self._answers():
                return time.time() - t
            time.sleep(0.1)
        raise RuntimeError("slapd did not answer within 60 s:\n" + self.tail_log())

    def _answers(self):
        r = livelib.run(["ldapsearch", "-x", "-H", self.uri, "-s", "base", "-b", "",
                         "namingContexts"], timeout=10)
        return r.rc == 0

    def kill(self, sig=signal.SIGKILL):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)

    def stop(self):
        self.kill(signal.SIGTERM)
        self.proc = None

    def tail_log(self):
        try:
            with open(f"{self.dir}/slapd.log", errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return "(no log)"


def logical_lines(f):
    """LDIF lines with folding undone (a line starting with a space
    continues the previous one)."""
    cur = None
    for raw in f:
        raw = raw.rstrip(b"\r\n")
        if raw.startswith(b" ") and cur is not None:
            cur += raw[1:]
            continue
        if cur is not None:
            yield cur
        cur = raw
    if cur is not None:
        yield cur


def split_dn(dn):
    """RDNs of a DN (commas escaped with a backslash stay inside)."""
    parts, cur, esc = [], [], False
    for ch in dn:
        if esc:
            cur.append(ch)
            esc = False
        elif ch == "\\":
            cur.append(ch)
            esc = True
        elif ch == ",":
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if cur:
        parts.append("".join(cur).strip())
    return parts
