#!/usr/bin/env python3
"""ref_audit.py - an independent, slow reference audit of LDIF snapshots, used
to check spngen's manifest (the counts spngen derives by construction must
equal the counts found here by analysis) without spnctl.

    ref_audit.py MANIFEST.json            audit the manifest's files, compare
    ref_audit.py --print FILE.ldif...     print the counts found

It implements the checks of issue 2 directly and simply (whole directory in
memory: use it on small directories only). Exit 0 when the counts agree.
"""
import base64
import json
import sys
import unicodedata
from collections import defaultdict

NOW_FILETIME = 134116992000000000  # 2026-01-01
DAY = 864000000000
OLD_DAYS = 365
PROTECTED_RIDS = {512, 516, 518, 519, 521, 526, 527, 544, 548, 549, 550, 551, 552}
PROTECTED_NAMES = {"domain admins", "domain controllers", "schema admins", "enterprise admins",
                   "read-only domain controllers", "key admins", "enterprise key admins",
                   "administrators", "account operators", "server operators", "print operators",
                   "backup operators", "replicator"}
DEFAULT_MAPPINGS = ("host=alerter,appmgmt,cisvc,clipsrv,browser,dhcp,dnscache,replicator,eventlog,"
                    "eventsystem,policyagent,oakley,dmserver,dns,mcsvc,fax,msiserver,ias,messenger,"
                    "netlogon,netman,netdde,netddedsm,nmagent,plugplay,protectedstorage,rasman,"
                    "rpclocator,rpc,rpcss,remoteaccess,rsvp,samss,scardsvr,scesrv,seclogon,scm,dcom,"
                    "cifs,spooler,snmp,schedule,tapisrv,trksvr,trkwks,ups,time,wins,www,http,w3svc,"
                    "iisadmin,msdtc")


def entries(path):
    """Yield (dn, {attr_lower: [str values]}) from an ldapsearch -LLL file."""
    with open(path, "rb") as f:
        lines = []
        for raw in f:
            line = raw.rstrip(b"\r\n")
            if line.startswith(b" "):
                lines[-1] += line[1:]
                continue
            if line == b"":
                if lines:
                    yield parse_entry(lines)
                lines = []
                continue
            lines.append(line)
        if lines:
            yield parse_entry(lines)


def parse_entry(lines):
    attrs = defaultdict(list)
    dn = None
    for line in lines:
        name, _, rest = line.partition(b":")
        if rest.startswith(b":"):
            value = base64.b64decode(rest[1:].strip())
        else:
            value = rest[1:] if rest.startswith(b" ") else rest
        key = name.decode().split(";")[0].lower()
        if key == "dn":
            dn = value.decode()
        elif key == "objectsid":
            attrs[key].append(value)
        else:
            attrs[key].append(value.decode("utf-8"))
    return dn, attrs


def dn_domain(dn):
    parts = []
    for rdn in split_dn(dn):
        if rdn[:3].lower() == "dc=":
            parts.append(rdn[3:].lower())
    return ".".join(parts)


def split_dn(dn):
    out, cur, i = [], "", 0
    while i < len(dn):
        c = dn[i]
        if c == "\\" and i + 1 < len(dn):
            cur += dn[i:i + 2]
            i += 2
            continue
        if c == ",":
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
        i += 1
    out.append(cur.strip())
    return out


def sid_rid(b):
    return int.from_bytes(b[-4:], "little") if len(b) >= 12 else 0


def fold(s):
    return s.casefold()


def skeleton(s):
    s = "".join(c for c in s if unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", s.casefold()).casefold()


def parse_spn(s):
    """(class, host-with-port, service) or None when malformed."""
    if not s or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7f for c in s):
        return None
    parts = s.split("/")
    if len(parts) not in (2, 3) or any(p == "" for p in parts):
        return None
    if ":" in parts[0] or "@" in parts[0] or any("@" in p for p in parts[1:]):
        return None
    if parts[1].endswith(":") or parts[1].startswith(":"):
        return None
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def audit(paths):
    accounts, groups = [], {}
    mappings = None
    heuristics = None
    for path in paths:
        for dn, a in entries(path):
            oc = {v.lower() for v in a.get("objectclass", [])}
            if dn.lower().startswith("cn=directory service,cn=windows nt,cn=services,cn=configuration,"):
                if a.get("spnmappings") and mappings is None:
                    mappings = a["spnmappings"]
                if a.get("dsheuristics"):
                    heuristics = a["dsheuristics"][0]
                continue
            if "group" in oc:
                groups[dn.lower()] = {
                    "rid": sid_rid(a["objectsid"][0]) if a.get("objectsid") else 0,
                    "member_of": [m.lower() for m in a.get("memberof", [])],
                    "cn": split_dn(dn)[0][3:].lower(),
                }
                continue
            if not ({"user", "computer"} & oc):
                continue
            uac = int(a.get("useraccountcontrol", ["0"])[0])
            sam = a.get("samaccountname", [""])[0]
            rid = sid_rid(a["objectsid"][0]) if a.get("objectsid") else 0
            if rid == 502 or sam.lower() == "krbtgt":
                kind = "krbtgt"
            elif "msds-groupmanagedserviceaccount" in oc:
                kind = "gmsa"
            elif uac & 0x2000:
                kind = "dc"
            elif "computer" in oc:
                kind = "computer"
            else:
                kind = "user"
            accounts.append({
                "dn": dn, "domain": dn_domain(dn), "kind": kind, "uac": uac, "rid": rid,
                "sam": sam, "upn": a.get("userprincipalname", [None])[0],
                "spns": a.get("serviceprincipalname", []),
                "a2d": a.get("msds-allowedtodelegateto", []),
                "member_of": [m.lower() for m in a.get("memberof", [])],
                "pgid": int(a.get("primarygroupid", ["0"])[0]),
                "admin_count": int(a.get("admincount", ["0"])[0]),
                "enctypes": int(a["msds-supportedencryptiontypes"][0]) if a.get("msds-supportedencryptiontypes") else None,
                "pwd": int(a.get("pwdlastset", ["0"])[0]),
                "cn": split_dn(dn)[0][3:],
                "dns_host": a.get("dnshostname", [None])[0],
            })
    alias = {}
    for v in (mappings or [DEFAULT_MAPPINGS]):
        target, _, classes = v.partition("=")
        for c in classes.split(","):
            alias.setdefault(c.strip().lower(), target.strip().lower())

    found = defaultdict(lambda: defaultdict(int))
    index = defaultdict(list)          # fold -> [account ids]
    skel = defaultdict(set)            # skeleton -> {(fold, account)}
    for i, acc in enumerate(accounts):
        for s in acc["spns"]:
            index[fold(s)].append(i)
            skel[skeleton(s)].add((fold(s), i))
            if parse_spn(s) is None:
                found["malformed-spn"]["warning"] += 1

    for key, holders in index.items():
        hs = sorted(set(holders))
        if len(hs) < 2:
            continue
        if key.startswith("kadmin/") and all(accounts[h]["kind"] == "krbtgt" for h in hs):
            found["duplicate-spn"]["info"] += 1  # kadmin/changepw in every domain: benign
        elif key.startswith("dns/") and len(hs) == 2 and samba_pair(accounts[hs[0]], accounts[hs[1]]):
            found["duplicate-spn"]["info"] += 1
        else:
            found["duplicate-spn"]["error"] += 1

    for sk, members in skel.items():
        if len({f for f, _ in members}) > 1 and len({a for _, a in members}) > 1:
            found["lookalike-spn"]["error"] += 1

    def holders_of(target):
        """Holders of an SPN, by exact name then through the HOST alias."""
        h = index.get(fold(target))
        if h:
            return set(h)
        p = parse_spn(target)
        if p and p[0].lower() in alias:
            mapped = alias[p[0].lower()] + "/" + p[1]
            return set(index.get(fold(mapped), []))
        return set()

    for i, acc in enumerate(accounts):
        for s in acc["spns"]:
            p = parse_spn(s)
            if not p or p[2] is not None or p[0].lower() not in alias:
                continue
            target = alias[p[0].lower()]
            if target == p[0].lower():
                continue
            host_key = fold(target + "/" + p[1])
            for h in set(index.get(host_key, [])):
                if h != i:
                    benign = p[0].lower() == "dns" and samba_pair(accounts[h], acc)
                    found["alias-conflict"]["info" if benign else "error"] += 1
        if acc["upn"] and "/" in acc["upn"]:
            if any(h != i for h in index.get(fold(acc["upn"]), [])):
                found["upn-spn-collision"]["error"] += 1
        for t in acc["a2d"]:
            n = len(holders_of(t))
            if n == 0:
                found["delegation-target-missing"]["error"] += 1
            elif n > 1:
                found["delegation-target-duplicate"]["error"] += 1
        if not acc["spns"] or acc["kind"] == "krbtgt":
            continue
        disabled = acc["uac"] & 2
        et = (acc["enctypes"] or 0) & 0x1f
        des = acc["uac"] & 0x200000
        if acc["kind"] == "user" and not disabled:
            rc4 = des or et == 0 or et & 4
            old = acc["pwd"] > 0 and (NOW_FILETIME - acc["pwd"]) // DAY > OLD_DAYS
            samba_dns = acc["sam"].lower().startswith("dns-") and \
                all(s.lower().startswith("dns/") for s in acc["spns"])
            found["kerberoastable"]["warning" if (rc4 or old) and not samba_dns else "info"] += 1
        if not disabled and (des or (et and not et & 0x18)):
            found["weak-enctypes"]["warning"] += 1
        for s in acc["spns"]:
            p = parse_spn(s)
            if p and p[2] is not None and acc["kind"] != "dc" and \
                    p[2].rstrip(".").lower() == acc["domain"]:
                found["dc-only-spn"]["warning"] += 1
        if acc["kind"] != "dc" and privileged(acc, groups):
            found["privileged-spn"]["warning"] += 1
        if acc["uac"] & 2:
            found["disabled-spn"]["warning"] += 1
    host_name_clash(accounts, index, found)
    if heuristics and len(heuristics) >= 21 and heuristics[20] in "123456789" \
            and int(heuristics[20]) & 7:
        found["uniqueness-disabled"]["warning"] += 1
    return found, accounts


def samba_pair(dc, user):
    """Samba's DC X$ and its BIND9_DLZ account dns-X in one domain."""
    return dc["kind"] == "dc" and user["kind"] == "user" and \
        user["sam"].lower() == "dns-" + dc["sam"].rstrip("$").lower() and dc["domain"] == user["domain"]


def host_name_clash(accounts, index, found):
    """HOST/<label...> on one account, a machine account with cn <label> in
    the same domain that does not hold it (Samba's KDC finds both)."""
    machines = defaultdict(list)
    for i, a in enumerate(accounts):
        if a["kind"] in ("computer", "dc", "gmsa"):
            machines[a["cn"].lower()].append(i)
    for i, a in enumerate(accounts):
        for s in a["spns"]:
            p = parse_spn(s)
            if not p or p[0].lower() != "host" or p[2] is not None:
                continue
            host = p[1].split(":")[0]
            label = host.split(".")[0].lower()
            if label in (a["cn"].lower(), a["sam"].rstrip("$").lower()):
                continue
            for c in machines.get(label, []):
                comp = accounts[c]
                if c == i or comp["domain"] != a["domain"] or c in index[fold(s)]:
                    continue
                is_host = comp["kind"] != "gmsa" and (
                    (comp["dns_host"] or "").lower() == host.lower() or
                    comp["sam"].rstrip("$").lower() == host.lower())
                found["host-name-clash"]["error" if is_host else "warning"] += 1


def group_protected(dn, groups, seen):
    g = groups.get(dn)
    if g is None:
        cn = split_dn(dn)[0]
        return cn[:3].lower() == "cn=" and cn[3:].lower() in PROTECTED_NAMES
    if dn in seen:
        return False
    seen.add(dn)
    if g["rid"] in PROTECTED_RIDS or (not g["rid"] and g["cn"] in PROTECTED_NAMES):
        return True
    return any(group_protected(m, groups, seen) for m in g["member_of"])


def privileged(acc, groups):
    if acc["rid"] == 500 or acc["admin_count"] == 1 or acc["pgid"] in PROTECTED_RIDS:
        return True
    seen = set()
    return any(group_protected(m, groups, seen) for m in acc["member_of"])


def main(argv):
    if len(argv) >= 2 and argv[1] == "--print":
        found, accounts = audit(argv[2:])
        for code in sorted(found):
            print(code, dict(found[code]))
        print("accounts", len(accounts), "spn_values", sum(len(a["spns"]) for a in accounts))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    found, accounts = audit(manifest["files"])
    bad = 0
    expected = manifest["expected"]["by_code"]
    for code in sorted(set(expected) | set(found)):
        exp = {k: v for k, v in expected.get(code, {}).items() if k != "total" and v}
        got = {k: v for k, v in found.get(code, {}).items() if v}
        if exp != got:
            print(f"{code}: manifest {exp}, reference audit {got}")
            bad += 1
    nvals = sum(len(a["spns"]) for a in accounts)
    distinct = len({fold(s) for a in accounts for s in a["spns"]})
    for what, exp, got in (("accounts", manifest["stats"]["accounts"], len(accounts)),
                           ("spn_values", manifest["stats"]["spn_values"], nvals),
                           ("distinct_spns", manifest["stats"]["distinct_spns"], distinct)):
        if exp != got:
            print(f"{what}: manifest {exp}, reference audit {got}")
            bad += 1
    print("reference audit %s the manifest (%d accounts, %d SPN values)"
          % ("agrees with" if not bad else "DISAGREES with", len(accounts), nvals))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
