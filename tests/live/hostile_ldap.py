"""hostile_ldap.py - an LDAP server that misbehaves on purpose, for
test_hostile.py: plain Python, BER written and read by hand (no
python-ldap or pyasn1 here), on a free loopback port, optionally inside
TLS (Python's ssl with a certificate the test makes).

It answers a simple bind (anonymous or with a password, which it records),
the root DSE (an AD-shaped one: defaultNamingContext, the AD capability),
the Directory Service object (noSuchObject), range follow-ups and the
forest's Partitions container like a DC. The subtree search for SPN holders
- "(servicePrincipalName=*)", a presence filter - is where a case
misbehaves; every other subtree search gets a short, correct answer, so
each case shows one fault only. Cases (HostileLDAP(case=...)):

  normal        two accounts with SPNs, paged, done (and StartTLS, when
                made with starttls=True)
  bad-attr      an entry whose second attribute's value overruns it
                (the message itself is well framed); a good entry after it
  cookie-repeat every page carries the same paging cookie
  range-creep   servicePrincipalName;range=0-0, and each follow-up gives
                exactly one value more, forever
  huge          a message whose BER length claims 3 GiB, followed by a
                stream of filler bytes
  never-ends    entries, one every few milliseconds, and never a result
                (every subtree search, not only the SPN holders')
  silent        answers the bind, then nothing at all
  busy          refuses every bind: unavailable (52), "going down for
                maintenance"
  ref-storm     continuation references to a foreign server, without end
  crossref-flood  the Partitions search floods: large crossRefs as fast as
                the socket takes them, never a result
  escapes       an account whose DN, sAMAccountName and SPNs hold terminal
                control sequences (ESC ]0; title, ESC [2J, C1 CSI)
  forest        a Global Catalog: accounts under DC=hostile,DC=test (listed
                in CN=Partitions), under DC=evil,DC=example (not listed) and
                under DC=we\,ird,DC=example (listed: a DC= value with a DN
                special)

Use as a context manager; stop() closes every connection.
"""

import socket
import ssl
import threading
import time

BASE = "DC=hostile,DC=test"
CONFIG = f"CN=Configuration,{BASE}"
EVIL = "DC=evil,DC=example"
WEIRD = "DC=we\\,ird,DC=example"    # a DC= value with a DN special, escaped
PAGED_OID = b"1.2.840.113556.1.4.319"
AD_CAP = b"1.2.840.113556.1.4.800"
STARTTLS_OID = b"1.3.6.1.4.1.1466.20037"


# ---- BER, by hand ----

def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + length(len(body)) + body


def octets(s):
    return tlv(0x04, s.encode() if isinstance(s, str) else s)


def integer(n, tag=0x02):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)
    return tlv(tag, b)


def enum(n):
    return integer(n, 0x0A)


def seq(*parts, tag=0x30):
    return tlv(tag, b"".join(parts))


def attribute(name, values):
    return seq(octets(name), seq(*[octets(v) for v in values], tag=0x31))


def entry(dn, attrs):
    return seq(octets(dn), seq(*[attribute(n, v) for n, v in attrs]), tag=0x64)


def done(code=0, diag=""):
    return seq(enum(code), octets(""), octets(diag), tag=0x65)


def message(msgid, op, controls=b""):
    return seq(integer(msgid), op, controls)


def paged_control(cookie):
    value = seq(integer(0), octets(cookie))
    return seq(seq(octets(PAGED_OID), octets(value)), tag=0xA0)


def reference(*urls):
    return seq(*[octets(u) for u in urls], tag=0x73)


def parse(buf, i=0):
    """(tag, body, next index) of the element at buf[i]."""
    tag = buf[i]
    n = buf[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[i:i + k], "big")
        i += k
    return tag, buf[i:i + n], i + n


def elements(body):
    out, i = [], 0
    while i < len(body):
        tag, b, i = parse(body, i)
        out.append((tag, b))
    return out


class Request:
    def __init__(self, raw):
        top = elements(parse(raw)[1])
        self.msgid = int.from_bytes(top[0][1], "big", signed=True)
        self.op, body = top[1]
        self.cookie = b""
        self.base, self.scope, self.filter, self.attrs = "", 0, b"", []
        self.bind_dn, self.password = "", b""
        for tag, ctrls in top[2:]:
            if tag == 0xA0:
                for _, ctrl in elements(ctrls):
                    parts = elements(ctrl)
                    if parts[0][1] == PAGED_OID:
                        self.cookie = elements(elements(parts[-1][1])[0][1])[1][1]
        if self.op == 0x63:   # SearchRequest
            f = elements(body)
            self.base = f[0][1].decode("utf-8", "replace")
            self.scope = f[1][1][0]
            self.filter = bytes([f[6][0]]) + f[6][1]
            self.attrs = [v.decode() for _, v in elements(f[7][1])]
        elif self.op == 0x60:   # BindRequest
            f = elements(body)
            self.bind_dn = f[1][1].decode("utf-8", "replace")
            self.password = f[2][1]


def read_message(sock):
    """One whole LDAP message from sock, or None at the end."""
    head = b""
    while len(head) < 2:
        got = sock.recv(2 - len(head))
        if not got:
            return None
        head += got
    extra = b""
    n = head[1]
    if n & 0x80:
        k = n & 0x7F
        while len(extra) < k:
            got = sock.recv(k - len(extra))
            if not got:
                return None
            extra += got
        n = int.from_bytes(extra, "big")
    body = b""
    while len(body) < n:
        got = sock.recv(min(65536, n - len(body)))
        if not got:
            return None
        body += got
    return head + extra + body


class HostileLDAP:
    def __init__(self, case, tls=None, starttls=False):
        self.case = case
        self.tls = tls              # an ssl.SSLContext, or None
        self.starttls = starttls    # tls only after a StartTLS request (ldap://)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.uri = f"ldap{'s' if tls and not starttls else ''}://127.0.0.1:{self.port}"
        self.stopping = threading.Event()
        self.conns = []
        self.lock = threading.Lock()
        self.passwords = []         # the simple-bind passwords received
        self.connections = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self):
        self.stopping.set()
        try:
            self.sock.close()
        except OSError:
            pass
        with self.lock:
            for c in self.conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
        self.thread.join(10)

    def serve(self):
        self.sock.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                c, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            with self.lock:
                self.conns.append(c)
                self.connections += 1
            threading.Thread(target=self.client, args=(c,), daemon=True).start()

    # ---- one connection ----

    def client(self, c):
        try:
            if self.tls and not self.starttls:
                c = self.tls.wrap_socket(c, server_side=True)
                with self.lock:
                    self.conns.append(c)
            silent = False
            while not self.stopping.is_set():
                raw = read_message(c)
                if raw is None:
                    return
                req = Request(raw)
                if req.op == 0x42:      # unbind
                    return
                if req.op == 0x50 or silent:   # abandon; or a server gone quiet
                    continue
                if req.op == 0x60:
                    if req.password:
                        with self.lock:
                            self.passwords.append(req.password)
                    code, diag = (52, "going down for maintenance") if self.case == "busy" \
                        else (0, "")
                    c.sendall(message(req.msgid, seq(enum(code), octets(""), octets(diag),
                                                     tag=0x61)))
                    silent = self.case == "silent"
                    continue
                if req.op == 0x63:
                    self.search(c, req)
                    continue
                if req.op == 0x77 and self.starttls and STARTTLS_OID in raw:
                    c.sendall(message(req.msgid, seq(enum(0), octets(""), octets(""),
                                                     tlv(0x8A, STARTTLS_OID), tag=0x78)))
                    c = self.tls.wrap_socket(c, server_side=True)
                    with self.lock:
                        self.conns.append(c)
                    continue
                c.sendall(message(req.msgid, seq(enum(53), octets(""), octets("no"),
                                                 tag=0x78)))
        except (OSError, ssl.SSLError, IndexError, ValueError):
            return
        finally:
            try:
                c.close()
            except OSError:
                pass

    def send(self, c, req, *ops, controls=b""):
        out = b"".join(message(req.msgid, op) for op in ops[:-1])
        c.sendall(out + message(req.msgid, ops[-1], controls))

    def search(self, c, req):
        if req.scope == 0 and req.base == "":
            return self.send(c, req, entry("", [
                ("defaultNamingContext", [BASE]), ("configurationNamingContext", [CONFIG]),
                ("rootDomainNamingContext", [BASE]), ("namingContexts", [BASE, CONFIG]),
                ("dnsHostName", ["dc1.hostile.test"]), ("isGlobalCatalogReady", ["TRUE"]),
                ("supportedCapabilities", [AD_CAP])]), done())
        if req.scope == 0 and any(";range=" in a for a in req.attrs):
            return self.range_reply(c, req)
        if req.scope == 0:
            return self.send(c, req, done(32, "no such object"))
        if req.base.lower().startswith("cn=partitions,") and self.case == "crossref-storm":
            return self.case_crossref_storm(c, req)
        if req.base.lower().startswith("cn=partitions,") and self.case == "crossref-flood":
            return self.case_crossref_flood(c, req)
        if req.base.lower().startswith("cn=partitions,"):
            return self.send(c, req, entry(f"CN=HOSTILE,CN=Partitions,{CONFIG}", [
                ("objectClass", ["top", "crossRef"]), ("nCName", [BASE]),
                ("dnsRoot", ["hostile.test"]), ("systemFlags", ["3"])]),
                entry(f"CN=Enterprise Configuration,CN=Partitions,{CONFIG}", [
                    ("objectClass", ["top", "crossRef"]), ("nCName", [CONFIG]),
                    ("systemFlags", ["1"])]),
                entry(f"CN=WEIRD,CN=Partitions,{CONFIG}", [
                    ("objectClass", ["top", "crossRef"]), ("nCName", [WEIRD]),
                    ("systemFlags", ["3"])]), done())
        if self.case in ("escapes", "never-ends"):   # every subtree search
            return getattr(self, "case_" + self.case.replace("-", "_"))(c, req)
        if req.filter[:1] != b"\x87":   # not the SPN holders: a short, good answer
            return self.send(c, req, done(), controls=paged_control(b""))
        getattr(self, "case_" + self.case.replace("-", "_"))(c, req)

    # ---- the SPN holders' search, per case ----

    @staticmethod
    def account(i, base=BASE, spns=None):
        return entry(f"CN=svc{i},CN=Users,{base}", [
            ("objectClass", ["top", "user"]), ("sAMAccountName", [f"svc{i}"]),
            ("userAccountControl", ["512"]),
            ("servicePrincipalName", spns or [f"HTTP/web{i}.hostile.test"])])

    def case_normal(self, c, req):
        self.send(c, req, self.account(1), self.account(2), done(), controls=paged_control(b""))

    case_silent = case_normal

    def case_bad_attr(self, c, req):
        good = attribute("servicePrincipalName", ["HTTP/bad.hostile.test"])
        # The value claims 40 bytes; its set holds 3: it runs into what follows.
        broken = seq(octets("userAccountControl"), tlv(0x31, b"\x04\x28512"))
        bad = seq(octets(f"CN=bad,CN=Users,{BASE}"), seq(good, broken,
                  attribute("sAMAccountName", ["bad"])), tag=0x64)
        self.send(c, req, self.account(1), bad, self.account(2), done(),
                  controls=paged_control(b""))

    def case_cookie_repeat(self, c, req):
        n = getattr(self, "pages", 0) + 1
        self.pages = n
        self.send(c, req, self.account(n), done(), controls=paged_control(b"SAME"))

    def case_range_creep(self, c, req):
        self.send(c, req, entry(f"CN=creep,CN=Users,{BASE}", [
            ("objectClass", ["top", "user"]), ("sAMAccountName", ["creep"]),
            ("servicePrincipalName;range=0-0", ["HTTP/v0.hostile.test"])]), done(),
            controls=paged_control(b""))

    def range_reply(self, c, req):
        name, _, rng = req.attrs[0].partition(";range=")
        low = int(rng.split("-")[0])
        self.send(c, req, entry(req.base, [(f"{name};range={low}-{low}",
                                           [f"HTTP/v{low}.hostile.test"])]), done())

    def case_huge(self, c, req):
        # 0x30 0x84 C0000000: a message of 3 GiB is announced; then filler.
        c.sendall(b"\x30\x84\xc0\x00\x00\x00")
        chunk = b"\x00" * 65536
        for _ in range(2048):    # 128 MiB, as fast as the client takes it
            if self.stopping.is_set():
                return
            c.sendall(chunk)

    def case_never_ends(self, c, req):
        i = 0
        while not self.stopping.is_set():
            i += 1
            c.sendall(message(req.msgid, self.account(i)))
            time.sleep(0.002)

    def case_crossref_storm(self, c, req):
        # The Partitions search (-T NETBIOS's lookup) never ends: crossRefs
        # keep coming, whatever the size limit asked.
        i = 0
        while not self.stopping.is_set():
            i += 1
            c.sendall(message(req.msgid, entry(f"CN=D{i},CN=Partitions,{CONFIG}", [
                ("objectClass", ["top", "crossRef"]), ("nCName", [BASE]),
                ("nETBIOSName", ["HOSTILE"]), ("dnsRoot", ["hostile.test"])])))
            time.sleep(0.002)

    def case_crossref_flood(self, c, req):
        # The Partitions search for one crossRef (the write commands'
        # DOMAIN\name check) floods: large crossRefs as fast as the socket
        # takes them, and never a result.
        msg = message(req.msgid, entry(f"CN=D,CN=Partitions,{CONFIG}", [
            ("objectClass", ["top", "crossRef"]), ("nCName", [BASE]),
            ("nETBIOSName", ["HOSTILE"]), ("description", ["x" * 65536])]))
        burst = msg * 64
        while not self.stopping.is_set():
            c.sendall(burst)

    def case_ref_storm(self, c, req):
        msg = message(req.msgid, reference(f"ldap://evil.example/{EVIL}??sub"))
        burst = msg * 256
        while not self.stopping.is_set():
            c.sendall(burst)

    def case_escapes(self, c, req):
        self.send(c, req, entry(f"CN=ev\x1b]0;owned\x07il,CN=Users,{BASE}", [
            ("objectClass", ["top", "user"]), ("sAMAccountName", ["ev\x1b[2Jil"]),
            ("userAccountControl", ["512"]),
            ("servicePrincipalName", ["HTTP/a\x1b[31mred", "HTTP/b\u009b31m"])]), done(),
            controls=paged_control(b""))

    def case_forest(self, c, req):
        self.send(c, req, self.account(1), self.account(2, base=EVIL,
                  spns=["HTTP/web1.hostile.test"]), self.account(3, base=WEIRD), done(),
                  controls=paged_control(b""))
