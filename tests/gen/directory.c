/*
 * directory.c - what a generated directory holds, and the findings a correct
 * `spnctl audit` must report for it.
 *
 * Shape (per domain, proportions of accounts): ~63% users without SPNs,
 * ~30% workstations and ~6% servers (HOST/ and RestrictedKrbHost/ short and
 * FQDN, often WSMAN/, some TERMSRV/), SQL service accounts with their SQL
 * host (MSSQLSvc/fqdn:1433, MSSQLSvc/fqdn), web app-pool accounts with their
 * web server (HTTP/ on a virtual name, some constrained delegation to SQL or
 * to cifs/ of a file server through the HOST alias), gMSAs, a few DCs with
 * the DC SPN set, krbtgt (kadmin/changepw), Administrator, Guest, the
 * well-known groups, and in the forest root the Directory Service entry with
 * the default sPNMappings.
 *
 * Background data is built so that it creates no finding by accident: every
 * name carries a global sequence number or a plant number behind a prefix
 * no other kind uses, web SPNs name virtual hosts (no computer of that
 * name, so HTTP/ does not meet HOST/), delegation targets are held exactly
 * once, passwords are far from the 365-day line. The only background
 * findings are by definition: each user account holding SPNs is
 * kerberoastable (AES-only, fresh password: info).
 *
 * Planted problems (P units of each kind, spread evenly through each
 * domain's accounts) add known findings; gen_directory() counts every one
 * as it writes it, and counts the per-account checks (kerberoastable,
 * privileged, disabled) from the attributes of each account it writes.
 *
 * Names are derived from a global sequence number and the seed, so the
 * output is the same for the same arguments, written as a stream: memory
 * does not grow with --accounts.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

static const char *const sev_names[GS_NSEV] = {"info", "warning", "error"};

/* A check's code: its name in checks.def with '-' for '_'. */
const char *gen_code_name(enum gen_code c)
{
	static const char *const names[GC_NCODES] = {
#define SPN_CHECK(name, file) #name,
#include "check/checks.def"
#undef SPN_CHECK
	};
	static char codes[GC_NCODES][64];
	if (!codes[c][0])
		for (size_t k = 0; names[c][k] && k + 1 < sizeof(codes[c]); k++)
			codes[c][k] = names[c][k] == '_' ? '-' : names[c][k];
	return codes[c];
}
const char *gen_sev_name(enum gen_sev s) { return sev_names[s]; }

/* ---- background ---- */

static const char *const first_names[] = {
	"Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella",
	"James", "Mia", "William", "Amelia", "Benjamin", "Harper", "Lucas", "Evelyn", "Henry",
	"Abigail", "Alexander", "Emily", "Daniel", "Ella", "Michael", "Grace", "Mateo",
	"Chloe", "Samuel", "Lena", "David", "Anna", "Joseph", "Marie", "Thomas", "Paul",
	"Sarah", "Jan", "Laura", "Peter", "Julia", "Mark", "Nina", "Ahmed", "Fatima", "Wei",
	"Yuki", "Priya", "Raj", "Chen", "Sven", "Ingrid", "Pierre", "Camille", "Diego",
};
static const char *const last_names[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas",
	"Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
	"Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green",
	"Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
	"Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Dubois",
	"Laurent", "Rossi", "Russo", "Tanaka", "Suzuki", "Kowalski", "Nowak", "Jensen",
};
/* Names whose DN ldapsearch writes in base64; ASCII spelling for sAMAccountName. */
static const char *const intl_names[][2] = {
	{"M\xc3\xbcller", "muller"}, {"S\xc3\xb8rensen", "sorensen"},
	{"Garc\xc3\xad" "a", "garcia"}, {"\xc5\x81ukasik", "lukasik"},
	{"Ram\xc3\xadrez", "ramirez"}, {"Bj\xc3\xb6rk", "bjork"},
	{"Fran\xc3\xa7ois", "francois"}, {"\xc3\x96zt\xc3\xbcrk", "ozturk"},
};
static const char *const sites[] = {
	"HQ", "Berlin", "Paris", "London", "NewYork", "Tokyo", "Sydney", "Madrid", "Toronto", "Mumbai",
};
#define NSTAFF 16

static void bg_user(struct gen *g, struct dom *d, struct rng *r)
{
	struct acct a;
	const char *first = first_names[below(r, NELEM(first_names))];
	const char *last = last_names[below(r, NELEM(last_names))];
	const char *site = sites[below(r, NELEM(sites))];
	const char *ascii_last = last;
	bool intl = permille(r, 10);
	if (intl) {
		unsigned i = below(r, NELEM(intl_names));
		last = intl_names[i][0];
		ascii_last = intl_names[i][1];
	}
	gen_acct_init(&a, A_USER);
	char low[16];
	gen_lower(low, sizeof(low), ascii_last);
	low[8] = '\0';
	snprintf(a.sam, sizeof(a.sam), "%c%s%07" PRIu64, first[0] + 32, low, g->seq);
	if (intl || permille(r, 300))
		snprintf(a.dn, sizeof(a.dn), "CN=%s\\, %s %07" PRIu64 ",OU=Users,OU=%s,%s",
		         last, first, g->seq, site, d->dn);
	else
		snprintf(a.dn, sizeof(a.dn), "CN=%s,OU=Users,OU=%s,%s", a.sam, site, d->dn);
	if (permille(r, 850))
		snprintf(a.upn, sizeof(a.upn), "%s@%s", a.sam, d->dns);
	unsigned u = below(r, 1000);
	a.uac = u < 30 ? 514 : u < 130 ? 66048 : 512;
	a.pwd = permille(r, 10) ? 0 : NOW_FILETIME - (int64_t)below(r, 1500) * DAY_TICKS - below(r, 86400) * 10000000LL;
	if (permille(r, 2))
		a.admin_count = 1;  /* orphaned adminCount: no SPN, so no finding */
	if (permille(r, 300))
		gen_memberof(&a, "CN=Staff %02u,OU=Groups,%s", below(r, NSTAFF), d->dn);
	gen_emit(g, d, &a);
}

static void bg_computer(struct gen *g, struct dom *d, struct rng *r, const char *prefix, const char *ou,
                        unsigned wsman_pm, unsigned termsrv_pm, char *remember, size_t remcap)
{
	struct acct a;
	char name[32], full_ou[64];
	snprintf(name, sizeof(name), "%s%07" PRIu64, prefix, g->seq);
	if (strcmp(ou, "OU=Workstations") == 0)
		snprintf(full_ou, sizeof(full_ou), "%s,OU=%s", ou, sites[below(r, NELEM(sites))]);
	else
		snprintf(full_ou, sizeof(full_ou), "%s", ou);
	gen_computer(&a, d, name, full_ou, permille(r, wsman_pm), permille(r, termsrv_pm));
	a.pwd = NOW_FILETIME - (int64_t)below(r, 30) * DAY_TICKS - below(r, 86400) * 10000000LL;
	if (remember)
		snprintf(remember, remcap, "%s", a.dns);
	gen_emit(g, d, &a);
}

/* SQL server computer and its service account. */
static void bg_sql(struct gen *g, struct dom *d, struct rng *r)
{
	char host[160];
	bg_computer(g, d, r, "SQL", "OU=Servers", 1000, 300, host, sizeof(host));
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-sql%07" PRIu64, g->seq);
	gen_service_user(&a, d, sam, r);
	gen_spn(&a, "MSSQLSvc/%s:1433", host);
	gen_spn(&a, "MSSQLSvc/%s", host);
	snprintf(d->last_sql, sizeof(d->last_sql), "%s", host);
	gen_emit(g, d, &a);
}

/* Web server computer and its app-pool account (HTTP/ on a virtual name). */
static void bg_web(struct gen *g, struct dom *d, struct rng *r)
{
	bg_computer(g, d, r, "WEB", "OU=Servers", 1000, 300, NULL, 0);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-web%07" PRIu64, g->seq);
	gen_service_user(&a, d, sam, r);
	gen_spn(&a, "HTTP/app%07" PRIu64 ".%s", g->seq, d->dns);
	gen_spn(&a, "HTTP/app%07" PRIu64, g->seq);
	if (d->last_sql[0] && permille(r, 500)) {
		if (permille(r, 300)) {
			char up[160];
			gen_upper(up, sizeof(up), d->last_sql);
			gen_a2d(&a, "mssqlsvc/%s:1433", up);  /* targets compare case-insensitively */
		} else {
			gen_a2d(&a, "MSSQLSvc/%s:1433", d->last_sql);
		}
	}
	if (d->last_fs[0] && permille(r, 200))
		gen_a2d(&a, "cifs/%s", d->last_fs);  /* served by HOST/ of the file server */
	gen_emit(g, d, &a);
}

static void bg_gmsa(struct gen *g, struct dom *d, struct rng *r)
{
	struct acct a;
	char name[32];
	snprintf(name, sizeof(name), "gmsa%07" PRIu64, g->seq);
	gen_gmsa(&a, d, name);
	gen_spn(&a, "HTTP/api%07" PRIu64 ".%s", g->seq, d->dns);
	if (permille(r, 500))
		gen_spn(&a, "HTTP/api%07" PRIu64, g->seq);
	gen_emit(g, d, &a);
}

/* One background unit: one account, or two (a server and its service
 * account) when room >= 2. */
static void background(struct gen *g, struct dom *d, uint64_t room)
{
	struct rng r = rng_for(g->p->seed, 1, g->units++);
	uint32_t x = below(&r, 100000);
	if (x < 30000)
		bg_computer(g, d, &r, "WS", "OU=Workstations", 300, 100, NULL, 0);
	else if (x < 35000)
		bg_computer(g, d, &r, "SRV", "OU=Servers", 1000, 500, NULL, 0);
	else if (x < 35500)
		bg_computer(g, d, &r, "FS", "OU=Servers", 1000, 200, d->last_fs, sizeof(d->last_fs));
	else if (x < 35900 && room >= 2)
		bg_sql(g, d, &r);
	else if (x < 36300 && room >= 2)
		bg_web(g, d, &r);
	else if (x < 36500)
		bg_gmsa(g, d, &r);
	else
		bg_user(g, d, &r);
}

/* ---- the fixed part of each domain ---- */

static const char spn_mappings[] =
	"host=alerter,appmgmt,cisvc,clipsrv,browser,dhcp,dnscache,replicator,eventlog,"
	"eventsystem,policyagent,oakley,dmserver,dns,mcsvc,fax,msiserver,ias,messenger,"
	"netlogon,netman,netdde,netddedsm,nmagent,plugplay,protectedstorage,rasman,"
	"rpclocator,rpc,rpcss,remoteaccess,rsvp,samss,scardsvr,scesrv,seclogon,scm,dcom,"
	"cifs,spooler,snmp,schedule,tapisrv,trksvr,trkwks,ups,time,wins,www,http,w3svc,"
	"iisadmin,msdtc";

static void group(struct gen *g, struct dom *d, const char *cn, const char *container,
                  uint32_t rid, bool builtin, bool admin, const char *member_of)
{
	struct gen_out *o = d->out;
	char dn[320];
	snprintf(dn, sizeof(dn), "CN=%s,%s,%s", cn, container, d->dn);
	ldif_attr_str(o, "dn", dn);
	ldif_attr_str(o, "objectClass", "top");
	ldif_attr_str(o, "objectClass", "group");
	ldif_attr_str(o, "sAMAccountName", cn);
	if (builtin) {
		uint8_t b[16] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0};
		for (int j = 0; j < 4; j++)
			b[12 + j] = (uint8_t)(rid >> (8 * j));
		ldif_attr_bin(o, "objectSid", b, sizeof(b));
	} else {
		gen_put_sid(o, d, rid ? rid : d->next_rid++);
	}
	if (admin)
		ldif_attr_int(o, "adminCount", 1);
	if (member_of) {
		char m[320];
		snprintf(m, sizeof(m), "%s,%s", member_of, d->dn);
		ldif_attr_str(o, "memberOf", m);
	}
	ldif_end(o);
	g->r->groups++;
}

static void groups(struct gen *g, struct dom *d)
{
	bool root = d->idx == 0;
	group(g, d, "Administrators", "CN=Builtin", 544, true, true, NULL);
	group(g, d, "Domain Admins", "CN=Users", 512, false, true, "CN=Administrators,CN=Builtin");
	group(g, d, "Domain Users", "CN=Users", 513, false, false, NULL);
	group(g, d, "Domain Computers", "CN=Users", 515, false, false, NULL);
	group(g, d, "Domain Controllers", "CN=Users", 516, false, true, NULL);
	if (root) {
		group(g, d, "Schema Admins", "CN=Users", 518, false, true, "CN=Administrators,CN=Builtin");
		group(g, d, "Enterprise Admins", "CN=Users", 519, false, true, "CN=Administrators,CN=Builtin");
	}
	group(g, d, "SQL Admins", "OU=Groups", 0, false, true, "CN=Domain Admins,CN=Users");
	group(g, d, "Service Accounts", "OU=Groups", 0, false, false, NULL);
	for (unsigned i = 0; i < NSTAFF; i++) {
		char cn[32];
		snprintf(cn, sizeof(cn), "Staff %02u", i);
		group(g, d, cn, "OU=Groups", 0, false, false, NULL);
	}
}

static void directory_service(struct gen *g, struct dom *d)
{
	bool planting = g->P > 0;
	struct gen_out *o = d->out;
	char dn[320];
	snprintf(dn, sizeof(dn), "CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,%s", d->dn);
	ldif_attr_str(o, "dn", dn);
	ldif_attr_str(o, "objectClass", "top");
	ldif_attr_str(o, "objectClass", "nTDSService");
	ldif_attr_str(o, "sPNMappings", spn_mappings);
	if (planting) {
		/* 21st character 2: SPN uniqueness off (KB5008382), as migration
		 * tools leave it - how duplicates got in. */
		ldif_attr_str(o, "dSHeuristics", "000000000100000000022");
		gen_expect(g, GC_uniqueness_disabled, GS_WARNING, 1);
	}
	ldif_end(o);
}

static void guid(struct rng *r, char *buf, size_t cap)
{
	uint64_t a = rnd(r), b = rnd(r);
	snprintf(buf, cap, "%08x-%04x-%04x-%04x-%012" PRIx64, (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	         ((unsigned)a & 0x0fff) | 0x4000, ((unsigned)(b >> 48) & 0x3fff) | 0x8000,
	         (uint64_t)(b & 0xffffffffffffULL));
}

static void domain_controller(struct gen *g, struct dom *d, unsigned i)
{
	struct rng r = rng_for(g->p->seed, 2, (uint64_t)d->idx << 8 | i);
	const char *forest = g->dom[0].dns;
	char name[32], dsa[40];
	snprintf(name, sizeof(name), "%sDC%02u", d->nb, i + 1);
	struct acct a;
	gen_computer(&a, d, name, "OU=Domain Controllers", true, false);
	a.kind = A_DC;
	a.uac = 532480;  /* SERVER_TRUST_ACCOUNT | TRUSTED_FOR_DELEGATION */
	a.pgid = 516;
	a.rid = 1000 + i;
	guid(&r, dsa, sizeof(dsa));
	gen_spn(&a, "HOST/%s/%s", a.dns, d->nb);
	gen_spn(&a, "HOST/%s/%s", a.dns, d->dns);
	gen_spn(&a, "ldap/%s", a.dns);
	gen_spn(&a, "ldap/%s", name);
	gen_spn(&a, "ldap/%s/%s", a.dns, d->nb);
	gen_spn(&a, "ldap/%s/%s", a.dns, d->dns);
	gen_spn(&a, "ldap/%s/DomainDnsZones.%s", a.dns, d->dns);
	gen_spn(&a, "ldap/%s/ForestDnsZones.%s", a.dns, forest);
	gen_spn(&a, "ldap/%s._msdcs.%s", dsa, forest);
	gen_spn(&a, "GC/%s/%s", a.dns, forest);
	gen_spn(&a, "E3514235-4B06-11D1-AB04-00C04FC2DCD2/%s/%s", dsa, d->dns);
	gen_spn(&a, "DNS/%s", a.dns);
	gen_spn(&a, "Dfsr-12F9A27C-BF97-4787-9364-D31B6C55EB04/%s", a.dns);
	gen_emit(g, d, &a);
}

static void builtin_accounts(struct gen *g, struct dom *d, bool exchange, const char *exch)
{
	struct acct a;
	gen_acct_init(&a, A_USER);
	snprintf(a.dn, sizeof(a.dn), "CN=Administrator,CN=Users,%s", d->dn);
	snprintf(a.sam, sizeof(a.sam), "Administrator");
	a.uac = 66048;
	a.rid = 500;
	a.admin_count = 1;
	a.privileged = true;
	a.pwd = NOW_FILETIME - 2100 * DAY_TICKS;  /* old: kerberoastable is a warning */
	gen_memberof(&a, "CN=Domain Admins,CN=Users,%s", d->dn);
	if (d->idx == 0) {
		gen_memberof(&a, "CN=Enterprise Admins,CN=Users,%s", d->dn);
		gen_memberof(&a, "CN=Schema Admins,CN=Users,%s", d->dn);
	}
	gen_memberof(&a, "CN=Administrators,CN=Builtin,%s", d->dn);
	if (exchange) {
		/* The field case: the Hub Transport's SMTPSVC SPNs also on Administrator. */
		char low[32];
		gen_lower(low, sizeof(low), exch);
		gen_spn(&a, "SMTPSVC/%s.%s", low, d->dns);
		gen_spn(&a, "SMTPSVC/%s", exch);
	}
	gen_emit(g, d, &a);

	gen_acct_init(&a, A_USER);
	snprintf(a.dn, sizeof(a.dn), "CN=Guest,CN=Users,%s", d->dn);
	snprintf(a.sam, sizeof(a.sam), "Guest");
	a.uac = 66082;
	a.rid = 501;
	a.pgid = 514;
	a.pwd = 0;
	gen_memberof(&a, "CN=Guests,CN=Builtin,%s", d->dn);
	gen_emit(g, d, &a);

	gen_acct_init(&a, A_KRBTGT);
	snprintf(a.dn, sizeof(a.dn), "CN=krbtgt,CN=Users,%s", d->dn);
	snprintf(a.sam, sizeof(a.sam), "krbtgt");
	a.uac = 514;
	a.rid = 502;
	a.admin_count = 1;
	a.pwd = NOW_FILETIME - 3000 * DAY_TICKS;
	gen_memberof(&a, "CN=Denied RODC Password Replication Group,CN=Users,%s", d->dn);
	gen_spn(&a, "kadmin/changepw");
	gen_emit(g, d, &a);
	if (d->idx > 0)
		g->dup_extra++;  /* kadmin/changepw in every domain: one key */
	if (d->idx == 1)
		gen_expect(g, GC_duplicate_spn, GS_INFO, 1);  /* benign, reported as info */
}

/* Samba's BIND9_DLZ account dns-<dc> with DNS/<dc fqdn>, which the DC holds
 * too: the benign pair duplicate-spn and alias-conflict report as info. */
static void samba_dns_user(struct gen *g, struct dom *d)
{
	struct acct a;
	char dc[32], low[32];
	snprintf(dc, sizeof(dc), "%sDC01", d->nb);
	gen_lower(low, sizeof(low), dc);
	gen_acct_init(&a, A_USER);
	snprintf(a.sam, sizeof(a.sam), "dns-%s", dc);
	snprintf(a.dn, sizeof(a.dn), "CN=%s,CN=Users,%s", a.sam, d->dn);
	a.uac = 512;
	a.samba_dns = true;
	a.pwd = NOW_FILETIME - 900 * DAY_TICKS;  /* old, no enctypes: still info */
	gen_spn(&a, "DNS/%s.%s", low, d->dns);
	gen_emit(g, d, &a);
	gen_expect(g, GC_duplicate_spn, GS_INFO, 1);
	gen_expect(g, GC_alias_conflict, GS_INFO, 1);
	g->dup_extra += 1;
}

static void exchange_server(struct gen *g, struct dom *d, const char *name)
{
	struct acct a;
	gen_computer(&a, d, name, "OU=Servers", true, false);
	gen_spn(&a, "SMTPSVC/%s", a.dns);
	gen_spn(&a, "SMTPSVC/%s", name);
	gen_spn(&a, "SMTP/%s", a.dns);
	gen_spn(&a, "SMTP/%s", name);
	gen_spn(&a, "exchangeMDB/%s", a.dns);
	gen_spn(&a, "exchangeMDB/%s", name);
	gen_spn(&a, "exchangeRFR/%s", a.dns);
	gen_spn(&a, "exchangeRFR/%s", name);
	gen_spn(&a, "exchangeAB/%s", a.dns);
	gen_spn(&a, "exchangeAB/%s", name);
	gen_emit(g, d, &a);
}

/* ---- domains ---- */

static const char *const child_labels[] = {
	"emea", "apac", "amer", "latam", "anz", "india", "china", "japan",
};

static int setup_domains(struct gen *g)
{
	const struct gen_params *p = g->p;
	g->ndom = p->ndomains;
	for (unsigned i = 0; i < g->ndom; i++) {
		struct dom *d = &g->dom[i];
		d->idx = i;
		char label[32];
		if (i == 0)
			label[0] = '\0';
		else if (i - 1 < NELEM(child_labels))
			snprintf(label, sizeof(label), "%s.", child_labels[i - 1]);
		else
			snprintf(label, sizeof(label), "d%u.", i);
		int n = snprintf(d->dns, sizeof(d->dns), "%s%s", label, p->domain);
		if (n < 0 || (size_t)n >= sizeof(d->dns)) {
			fprintf(stderr, "spngen: domain name too long\n");
			return -1;
		}
		gen_lower(d->dns, sizeof(d->dns), d->dns);
		/* DN: DC= per label. */
		size_t k = 0;
		const char *s = d->dns;
		while (*s) {
			const char *dot = strchr(s, '.');
			size_t len = dot ? (size_t)(dot - s) : strlen(s);
			int w = snprintf(d->dn + k, sizeof(d->dn) - k, "%sDC=%.*s", k ? "," : "", (int)len, s);
			if (w < 0 || (size_t)w >= sizeof(d->dn) - k) {
				fprintf(stderr, "spngen: domain name too long\n");
				return -1;
			}
			k += (size_t)w;
			s += len;
			if (*s == '.')
				s++;
		}
		const char *dot = strchr(d->dns, '.');
		size_t nbl = dot ? (size_t)(dot - d->dns) : strlen(d->dns);
		if (nbl > 10)
			nbl = 10;
		for (size_t j = 0; j < nbl; j++) {
			char c = d->dns[j];
			d->nb[j] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		}
		d->nb[nbl] = '\0';
		struct rng r = rng_for(p->seed, 20, i);
		for (int j = 0; j < 3; j++)
			d->sid[j] = (uint32_t)(rnd(&r) | 0x10000000u) & 0x7fffffffu;
		d->next_rid = 1103;
		d->quota = p->accounts / g->ndom + (i == 0 ? p->accounts % g->ndom : 0);
		snprintf(g->r->domain[i], sizeof(g->r->domain[i]), "%s", d->dns);
	}
	g->r->ndomains = g->ndom;
	return 0;
}

/* out.ldif -> out.<domain>.ldif */
static char *split_name(const char *path, const char *dns)
{
	size_t n = strlen(path);
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : n;
	size_t cap = n + strlen(dns) + 2;
	char *s = malloc(cap);
	if (!s)
		gen_die_nomem();
	snprintf(s, cap, "%.*s.%s%s", (int)stem, path, dns, path + stem);
	return s;
}

static int open_outputs(struct gen *g)
{
	const struct gen_params *p = g->p;
	g->nout = p->split ? g->ndom : 1;
	for (unsigned i = 0; i < g->nout; i++) {
		char *name = p->split ? split_name(p->out, g->dom[i].dns) : strdup(p->out);
		if (!name)
			gen_die_nomem();
		int rc = gen_out_open(&g->out[i], name);
		g->r->file[i] = name;
		g->r->nfiles = i + 1;
		if (rc)
			return -1;
	}
	for (unsigned i = 0; i < g->ndom; i++)
		g->dom[i].out = &g->out[p->split ? i : 0];
	return 0;
}

/* The parents of every entry, parents first, as ldapsearch '(objectClass=*)'
 * would also return them: a slapd loaded with slapadd needs them. */
static void container(struct dom *d, const char *rdn, const char *parent, const char *const *classes)
{
	struct gen_out *o = d->out;
	char dn[320];
	snprintf(dn, sizeof(dn), "%s,%s%s%s", rdn, parent, parent[0] ? "," : "", d->dn);
	ldif_attr_str(o, "dn", dn);
	for (const char *const *c = classes; *c; c++)
		ldif_attr_str(o, "objectClass", *c);
	const char *eq = strchr(rdn, '=');
	ldif_attr_str(o, rdn[0] == 'O' ? "ou" : "cn", eq + 1);
	ldif_end(o);
}

static void containers(struct dom *d)
{
	static const char *const domain_cls[] = {"top", "domain", "domainDNS", NULL};
	static const char *const cn_cls[] = {"top", "container", NULL};
	static const char *const builtin_cls[] = {"top", "builtinDomain", NULL};
	static const char *const ou_cls[] = {"top", "organizationalUnit", NULL};
	struct gen_out *o = d->out;
	const char *label = d->dns, *dot = strchr(label, '.');
	char dc[64];
	snprintf(dc, sizeof(dc), "%.*s", (int)(dot ? (size_t)(dot - label) : strlen(label)), label);
	ldif_attr_str(o, "dn", d->dn);
	for (const char *const *c = domain_cls; *c; c++)
		ldif_attr_str(o, "objectClass", *c);
	ldif_attr_str(o, "dc", dc);
	ldif_end(o);
	container(d, "CN=Builtin", "", builtin_cls);
	container(d, "CN=Users", "", cn_cls);
	container(d, "CN=Managed Service Accounts", "", cn_cls);
	if (d->idx == 0) {
		container(d, "CN=Configuration", "", cn_cls);
		container(d, "CN=Services", "CN=Configuration", cn_cls);
		container(d, "CN=Windows NT", "CN=Services,CN=Configuration", cn_cls);
	}
	static const char *const ous[] = {
		"OU=Groups", "OU=Servers", "OU=Service Accounts", "OU=Domain Controllers", "OU=Disabled",
	};
	for (size_t i = 0; i < NELEM(ous); i++)
		container(d, ous[i], "", ou_cls);
	for (size_t i = 0; i < NELEM(sites); i++) {
		char site[32];
		snprintf(site, sizeof(site), "OU=%s", sites[i]);
		container(d, site, "", ou_cls);
		container(d, "OU=Users", site, ou_cls);
		container(d, "OU=Workstations", site, ou_cls);
	}
}

static void write_domain(struct gen *g, struct dom *d)
{
	if (g->p->containers)
		containers(d);
	groups(g, d);
	if (d->idx == 0)
		directory_service(g, d);
	char exch[16];
	snprintf(exch, sizeof(exch), "EXCH%02u", d->idx + 1);
	bool planting = g->P > 0;
	builtin_accounts(g, d, planting, exch);
	unsigned ndc = 1 + (unsigned)(d->quota / 250000);
	if (ndc > 4)
		ndc = 4;
	for (unsigned i = 0; i < ndc; i++)
		domain_controller(g, d, i);
	if (planting) {
		samba_dns_user(g, d);
		exchange_server(g, d, exch);
		gen_expect(g, GC_duplicate_spn, SEV_DUP_SAME, 2);
		g->dup_extra += 2;
	}
	size_t next = 0, U = d->nunits;
	for (;;) {
		if (next < U && d->emitted >= (next + 1) * d->quota / (U + 1)) {
			gen_plant(g, d, &d->units[next++]);
			continue;
		}
		if (d->emitted >= d->quota) {
			if (next < U) {
				gen_plant(g, d, &d->units[next++]);
				continue;
			}
			break;
		}
		background(g, d, d->quota - d->emitted);
	}
}

int gen_directory(const struct gen_params *p, struct gen_result *r)
{
	struct gen *g = calloc(1, sizeof(*g));
	if (!g)
		gen_die_nomem();
	memset(r, 0, sizeof(*r));
	g->p = p;
	g->r = r;
	if (p->ndomains < 1 || p->ndomains > GEN_MAX_DOMAINS) {
		fprintf(stderr, "spngen: --domains must be 1..%d\n", GEN_MAX_DOMAINS);
		free(g);
		return -1;
	}
	g->P = p->plant >= 0 ? (uint64_t)p->plant : (p->accounts / 5000 > 3 ? p->accounts / 5000 : 3);
	if (g->P > 99999) {
		fprintf(stderr, "spngen: --plant-scale is at most 99999\n");
		free(g);
		return -1;
	}
	r->plant_scale = g->P;
	int rc = setup_domains(g);
	if (rc == 0)
		rc = open_outputs(g);
	if (rc == 0) {
		gen_plan_plants(g);
		for (unsigned i = 0; i < g->ndom; i++)
			write_domain(g, &g->dom[i]);
		gen_describe_plants(g);
	}
	for (unsigned i = 0; i < g->nout; i++) {
		r->entries += g->out[i].entries;
		if (gen_out_close(&g->out[i]))
			rc = -1;
		r->bytes += g->out[i].bytes;
		free(g->out[i].path);
	}
	r->distinct_spns = r->spn_values - g->dup_extra;
	for (unsigned i = 0; i < g->ndom; i++)
		free(g->dom[i].units);
	free(g);
	return rc;
}

void gen_result_release(struct gen_result *r)
{
	for (unsigned i = 0; i < r->nfiles; i++)
		free(r->file[i]);
	r->nfiles = 0;
}
