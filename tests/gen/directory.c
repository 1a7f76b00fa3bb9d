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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define DAY_TICKS 864000000000LL            /* 100 ns ticks per day */
#define NOW_FILETIME 134116992000000000LL   /* 2026-01-01T00:00:00Z (GEN_NOW) */

/* Severities the checks give (issue 2 and lib/check/). Cross-domain
 * duplicates are told apart from same-domain ones in the message, not the
 * severity; the expected pairs (kadmin/changepw on every krbtgt, Samba's
 * DNS/<dc> on dns-<dc>) are info. */
#define SEV_DUP_SAME GS_ERROR
#define SEV_DUP_XDOM GS_ERROR
#define SEV_DELEG_DUP GS_ERROR

static const char *const code_names[GC_NCODES] = {
	"alias-conflict", "dc-only-spn", "delegation-target-duplicate",
	"delegation-target-missing", "disabled-spn", "duplicate-spn", "host-name-clash",
	"kerberoastable", "lookalike-spn", "malformed-spn", "privileged-spn",
	"uniqueness-disabled", "upn-spn-collision", "weak-enctypes",
};
static const char *const sev_names[GS_NSEV] = {"info", "warning", "error"};

const char *gen_code_name(enum gen_code c) { return code_names[c]; }
const char *gen_sev_name(enum gen_sev s) { return sev_names[s]; }

/* ---- randomness: splitmix64, seeded per unit so output is reproducible ---- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnd(r) >> 32) * n) >> 32);
}

static bool permille(struct rng *r, unsigned pm)
{
	return below(r, 1000) < pm;
}

static struct rng rng_for(uint64_t seed, uint64_t a, uint64_t b)
{
	struct rng r = {seed ^ (a * 0xD1B54A32D192ED03ULL) ^ (b * 0xABC98388FB8FAC03ULL)};
	rnd(&r);
	return r;
}

/* ---- accounts ---- */

enum akind { A_USER, A_COMPUTER, A_DC, A_GMSA, A_KRBTGT };

#define MAXSPN 40
#define MAXLIST 8

struct acct {
	enum akind kind;
	char dn[320];
	char sam[64];
	char upn[192];         /* "" = none */
	char dns[160];         /* dNSHostName, "" = none */
	uint32_t uac, rid, pgid;
	uint32_t enctypes;     /* msDS-SupportedEncryptionTypes, 0 = absent */
	int64_t pwd;           /* pwdLastSet */
	int admin_count;       /* -1 = absent */
	bool privileged;       /* privileged-spn must name it (when it holds SPNs) */
	bool samba_dns;        /* Samba's dns-<dc> account: kerberoastable stays info */
	char pool[8192];
	size_t used;
	const char *spn[MAXSPN];
	size_t nspn;
	const char *memberof[MAXLIST];
	size_t nmemberof;
	const char *a2d[MAXLIST];
	size_t na2d;
};

struct unit {
	uint8_t kind;   /* enum pk */
	uint8_t role;   /* which side of a cross-domain plant */
	uint32_t k;     /* plant number */
};

struct dom {
	unsigned idx;
	char dns[128];    /* corp.example.com */
	char dn[192];     /* DC=corp,DC=example,DC=com */
	char nb[16];      /* CORP */
	uint32_t sid[3];
	uint32_t next_rid;
	struct gen_out *out;
	uint64_t quota, emitted;
	char last_sql[160], last_fs[160];  /* background servers, delegation targets */
	struct unit *units;
	size_t nunits, capunits;
};

struct gen {
	const struct gen_params *p;
	struct gen_result *r;
	struct dom dom[GEN_MAX_DOMAINS];
	unsigned ndom;
	struct gen_out out[GEN_MAX_DOMAINS];
	unsigned nout;
	uint64_t seq;        /* global account number: every name is unique */
	uint64_t units;      /* background units drawn */
	uint64_t dup_extra;  /* values whose folded key another value already has */
	uint64_t P;
};

static void die_nomem(void)
{
	fprintf(stderr, "spngen: out of memory\n");
	exit(2);
}

static void acct_init(struct acct *a, enum akind kind)
{
	a->kind = kind;
	a->dn[0] = a->sam[0] = a->upn[0] = a->dns[0] = '\0';
	a->uac = 512;
	a->rid = 0;
	a->pgid = 513;
	a->enctypes = 0;
	a->pwd = NOW_FILETIME - 30 * DAY_TICKS;
	a->admin_count = -1;
	a->privileged = false;
	a->samba_dns = false;
	a->used = a->nspn = a->nmemberof = a->na2d = 0;
}

static const char *pool_vadd(struct acct *a, const char *fmt, va_list ap)
{
	size_t left = sizeof(a->pool) - a->used;
	int n = vsnprintf(a->pool + a->used, left, fmt, ap);
	if (n < 0 || (size_t)n >= left) {
		fprintf(stderr, "spngen: internal: account value pool full\n");
		exit(2);
	}
	const char *s = a->pool + a->used;
	a->used += (size_t)n + 1;
	return s;
}

__attribute__((format(printf, 2, 3)))
static void add_spn(struct acct *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (a->nspn == MAXSPN) {
		fprintf(stderr, "spngen: internal: too many SPNs\n");
		exit(2);
	}
	a->spn[a->nspn++] = pool_vadd(a, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void add_memberof(struct acct *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (a->nmemberof < MAXLIST)
		a->memberof[a->nmemberof++] = pool_vadd(a, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void add_a2d(struct acct *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (a->na2d < MAXLIST)
		a->a2d[a->na2d++] = pool_vadd(a, fmt, ap);
	va_end(ap);
}

static void expect(struct gen *g, enum gen_code c, enum gen_sev s, uint64_t n)
{
	g->r->count[c][s] += n;
}

static void put_sid(struct gen_out *o, const struct dom *d, uint32_t rid)
{
	uint8_t b[28] = {1, 5, 0, 0, 0, 0, 0, 5};
	uint32_t sub[5] = {21, d->sid[0], d->sid[1], d->sid[2], rid};
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 4; j++)
			b[8 + 4 * i + j] = (uint8_t)(sub[i] >> (8 * j));
	ldif_attr_bin(o, "objectSid", b, sizeof(b));
}

/* The per-account checks (issue 2; lib/check/ decides the edges: disabled
 * accounts are left to disabled-spn, DCs and krbtgt are not privileged-spn,
 * enctypes 0 or absent allow RC4). */
static void expect_account(struct gen *g, const struct acct *a)
{
	if (a->nspn == 0 || a->kind == A_KRBTGT)
		return;
	bool disabled = (a->uac & 0x2) != 0;
	uint32_t et = a->enctypes & 0x1f;
	bool des_flag = (a->uac & 0x200000) != 0;
	if (a->kind == A_USER && !disabled) {
		bool rc4 = des_flag || et == 0 || (et & 0x4);
		bool old = a->pwd > 0 && (NOW_FILETIME - a->pwd) / DAY_TICKS > GEN_OLD_PASSWORD_DAYS;
		expect(g, GC_KERBEROASTABLE, (rc4 || old) && !a->samba_dns ? GS_WARNING : GS_INFO, 1);
	}
	if (!disabled && (des_flag || (et && !(et & 0x18))))
		expect(g, GC_WEAK_ENCTYPES, GS_WARNING, 1);
	if (a->privileged && a->kind != A_DC)
		expect(g, GC_PRIVILEGED_SPN, GS_WARNING, 1);
	if (disabled)
		expect(g, GC_DISABLED_SPN, GS_WARNING, 1);
}

static void emit(struct gen *g, struct dom *d, struct acct *a)
{
	struct gen_out *o = d->out;
	if (a->rid == 0)
		a->rid = d->next_rid++;
	ldif_attr_str(o, "dn", a->dn);
	ldif_attr_str(o, "objectClass", "top");
	ldif_attr_str(o, "objectClass", "person");
	ldif_attr_str(o, "objectClass", "organizationalPerson");
	ldif_attr_str(o, "objectClass", "user");
	if (a->kind == A_COMPUTER || a->kind == A_DC || a->kind == A_GMSA)
		ldif_attr_str(o, "objectClass", "computer");
	if (a->kind == A_GMSA)
		ldif_attr_str(o, "objectClass", "msDS-GroupManagedServiceAccount");
	ldif_attr_str(o, "sAMAccountName", a->sam);
	if (a->upn[0])
		ldif_attr_str(o, "userPrincipalName", a->upn);
	ldif_attr_int(o, "userAccountControl", a->uac);
	if (a->dns[0])
		ldif_attr_str(o, "dNSHostName", a->dns);
	for (size_t i = 0; i < a->nspn; i++)
		ldif_attr_str(o, "servicePrincipalName", a->spn[i]);
	put_sid(o, d, a->rid);
	ldif_attr_int(o, "pwdLastSet", a->pwd);
	if (a->admin_count >= 0)
		ldif_attr_int(o, "adminCount", a->admin_count);
	for (size_t i = 0; i < a->nmemberof; i++)
		ldif_attr_str(o, "memberOf", a->memberof[i]);
	ldif_attr_int(o, "primaryGroupID", a->pgid);
	if (a->enctypes)
		ldif_attr_int(o, "msDS-SupportedEncryptionTypes", a->enctypes);
	for (size_t i = 0; i < a->na2d; i++)
		ldif_attr_str(o, "msDS-AllowedToDelegateTo", a->a2d[i]);
	ldif_end(o);

	g->r->accounts++;
	g->r->spn_values += a->nspn;
	d->emitted++;
	g->seq++;
	expect_account(g, a);
}

/* ---- building blocks ---- */

static void lower(char *dst, size_t cap, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	dst[i] = '\0';
}

/* A member computer NAME (upper case NetBIOS name) in ou. */
static void computer(struct acct *a, const struct dom *d, const char *name, const char *ou,
                     bool wsman, bool termsrv)
{
	char low[64];
	lower(low, sizeof(low), name);
	acct_init(a, A_COMPUTER);
	snprintf(a->dn, sizeof(a->dn), "CN=%s,%s,%s", name, ou, d->dn);
	snprintf(a->sam, sizeof(a->sam), "%s$", name);
	snprintf(a->dns, sizeof(a->dns), "%s.%s", low, d->dns);
	a->uac = 4096;
	a->pgid = 515;
	a->enctypes = 28;
	add_spn(a, "RestrictedKrbHost/%s", name);
	add_spn(a, "HOST/%s", name);
	add_spn(a, "RestrictedKrbHost/%s", a->dns);
	add_spn(a, "HOST/%s", a->dns);
	if (wsman) {
		add_spn(a, "WSMAN/%s", a->dns);
		add_spn(a, "WSMAN/%s", name);
	}
	if (termsrv) {
		add_spn(a, "TERMSRV/%s", a->dns);
		add_spn(a, "TERMSRV/%s", name);
	}
}

/* A service user account in OU=Service Accounts (an SPN holder: kerberoastable). */
static void service_user(struct acct *a, const struct dom *d, const char *sam, struct rng *r)
{
	acct_init(a, A_USER);
	snprintf(a->dn, sizeof(a->dn), "CN=%s,OU=Service Accounts,%s", sam, d->dn);
	snprintf(a->sam, sizeof(a->sam), "%s", sam);
	snprintf(a->upn, sizeof(a->upn), "%s@%s", sam, d->dns);
	a->enctypes = 24;  /* AES only */
	a->pwd = NOW_FILETIME - (int64_t)(1 + below(r, 200)) * DAY_TICKS - below(r, 86400) * 10000000LL;
	add_memberof(a, "CN=Service Accounts,OU=Groups,%s", d->dn);
}

static void gmsa(struct acct *a, const struct dom *d, const char *name)
{
	acct_init(a, A_GMSA);
	snprintf(a->dn, sizeof(a->dn), "CN=%s,CN=Managed Service Accounts,%s", name, d->dn);
	snprintf(a->sam, sizeof(a->sam), "%s$", name);
	char low[64];
	lower(low, sizeof(low), name);
	snprintf(a->dns, sizeof(a->dns), "%s.%s", low, d->dns);
	a->uac = 4096;
	a->pgid = 515;
	a->enctypes = 28;
}

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
#define NELEM(x) (sizeof(x) / sizeof((x)[0]))
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
	acct_init(&a, A_USER);
	char low[16];
	lower(low, sizeof(low), ascii_last);
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
		add_memberof(&a, "CN=Staff %02u,OU=Groups,%s", below(r, NSTAFF), d->dn);
	emit(g, d, &a);
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
	computer(&a, d, name, full_ou, permille(r, wsman_pm), permille(r, termsrv_pm));
	a.pwd = NOW_FILETIME - (int64_t)below(r, 30) * DAY_TICKS - below(r, 86400) * 10000000LL;
	if (remember)
		snprintf(remember, remcap, "%s", a.dns);
	emit(g, d, &a);
}

/* SQL server computer and its service account. */
static void bg_sql(struct gen *g, struct dom *d, struct rng *r)
{
	char host[160];
	bg_computer(g, d, r, "SQL", "OU=Servers", 1000, 300, host, sizeof(host));
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-sql%07" PRIu64, g->seq);
	service_user(&a, d, sam, r);
	add_spn(&a, "MSSQLSvc/%s:1433", host);
	add_spn(&a, "MSSQLSvc/%s", host);
	snprintf(d->last_sql, sizeof(d->last_sql), "%s", host);
	emit(g, d, &a);
}

static void upper_copy(char *dst, size_t cap, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
	dst[i] = '\0';
}

/* Web server computer and its app-pool account (HTTP/ on a virtual name). */
static void bg_web(struct gen *g, struct dom *d, struct rng *r)
{
	bg_computer(g, d, r, "WEB", "OU=Servers", 1000, 300, NULL, 0);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-web%07" PRIu64, g->seq);
	service_user(&a, d, sam, r);
	add_spn(&a, "HTTP/app%07" PRIu64 ".%s", g->seq, d->dns);
	add_spn(&a, "HTTP/app%07" PRIu64, g->seq);
	if (d->last_sql[0] && permille(r, 500)) {
		if (permille(r, 300)) {
			char up[160];
			upper_copy(up, sizeof(up), d->last_sql);
			add_a2d(&a, "mssqlsvc/%s:1433", up);  /* targets compare case-insensitively */
		} else {
			add_a2d(&a, "MSSQLSvc/%s:1433", d->last_sql);
		}
	}
	if (d->last_fs[0] && permille(r, 200))
		add_a2d(&a, "cifs/%s", d->last_fs);  /* served by HOST/ of the file server */
	emit(g, d, &a);
}

static void bg_gmsa(struct gen *g, struct dom *d, struct rng *r)
{
	struct acct a;
	char name[32];
	snprintf(name, sizeof(name), "gmsa%07" PRIu64, g->seq);
	gmsa(&a, d, name);
	add_spn(&a, "HTTP/api%07" PRIu64 ".%s", g->seq, d->dns);
	if (permille(r, 500))
		add_spn(&a, "HTTP/api%07" PRIu64, g->seq);
	emit(g, d, &a);
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
		put_sid(o, d, rid ? rid : d->next_rid++);
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
		expect(g, GC_UNIQUENESS_DISABLED, GS_WARNING, 1);
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
	computer(&a, d, name, "OU=Domain Controllers", true, false);
	a.kind = A_DC;
	a.uac = 532480;  /* SERVER_TRUST_ACCOUNT | TRUSTED_FOR_DELEGATION */
	a.pgid = 516;
	a.rid = 1000 + i;
	guid(&r, dsa, sizeof(dsa));
	add_spn(&a, "HOST/%s/%s", a.dns, d->nb);
	add_spn(&a, "HOST/%s/%s", a.dns, d->dns);
	add_spn(&a, "ldap/%s", a.dns);
	add_spn(&a, "ldap/%s", name);
	add_spn(&a, "ldap/%s/%s", a.dns, d->nb);
	add_spn(&a, "ldap/%s/%s", a.dns, d->dns);
	add_spn(&a, "ldap/%s/DomainDnsZones.%s", a.dns, d->dns);
	add_spn(&a, "ldap/%s/ForestDnsZones.%s", a.dns, forest);
	add_spn(&a, "ldap/%s._msdcs.%s", dsa, forest);
	add_spn(&a, "GC/%s/%s", a.dns, forest);
	add_spn(&a, "E3514235-4B06-11D1-AB04-00C04FC2DCD2/%s/%s", dsa, d->dns);
	add_spn(&a, "DNS/%s", a.dns);
	add_spn(&a, "Dfsr-12F9A27C-BF97-4787-9364-D31B6C55EB04/%s", a.dns);
	emit(g, d, &a);
}

static void builtin_accounts(struct gen *g, struct dom *d, bool exchange, const char *exch)
{
	struct acct a;
	acct_init(&a, A_USER);
	snprintf(a.dn, sizeof(a.dn), "CN=Administrator,CN=Users,%s", d->dn);
	snprintf(a.sam, sizeof(a.sam), "Administrator");
	a.uac = 66048;
	a.rid = 500;
	a.admin_count = 1;
	a.privileged = true;
	a.pwd = NOW_FILETIME - 2100 * DAY_TICKS;  /* old: kerberoastable is a warning */
	add_memberof(&a, "CN=Domain Admins,CN=Users,%s", d->dn);
	if (d->idx == 0) {
		add_memberof(&a, "CN=Enterprise Admins,CN=Users,%s", d->dn);
		add_memberof(&a, "CN=Schema Admins,CN=Users,%s", d->dn);
	}
	add_memberof(&a, "CN=Administrators,CN=Builtin,%s", d->dn);
	if (exchange) {
		/* The field case: the Hub Transport's SMTPSVC SPNs also on Administrator. */
		char low[32];
		lower(low, sizeof(low), exch);
		add_spn(&a, "SMTPSVC/%s.%s", low, d->dns);
		add_spn(&a, "SMTPSVC/%s", exch);
	}
	emit(g, d, &a);

	acct_init(&a, A_USER);
	snprintf(a.dn, sizeof(a.dn), "CN=Guest,CN=Users,%s", d->dn);
	snprintf(a.sam, sizeof(a.sam), "Guest");
	a.uac = 66082;
	a.rid = 501;
	a.pgid = 514;
	a.pwd = 0;
	add_memberof(&a, "CN=Guests,CN=Builtin,%s", d->dn);
	emit(g, d, &a);

	acct_init(&a, A_KRBTGT);
	snprintf(a.dn, sizeof(a.dn), "CN=krbtgt,CN=Users,%s", d->dn);
	snprintf(a.sam, sizeof(a.sam), "krbtgt");
	a.uac = 514;
	a.rid = 502;
	a.admin_count = 1;
	a.pwd = NOW_FILETIME - 3000 * DAY_TICKS;
	add_memberof(&a, "CN=Denied RODC Password Replication Group,CN=Users,%s", d->dn);
	add_spn(&a, "kadmin/changepw");
	emit(g, d, &a);
	if (d->idx > 0)
		g->dup_extra++;  /* kadmin/changepw in every domain: one key */
	if (d->idx == 1)
		expect(g, GC_DUPLICATE_SPN, GS_INFO, 1);  /* benign, reported as info */
}

/* Samba's BIND9_DLZ account dns-<dc> with DNS/<dc fqdn>, which the DC holds
 * too: the benign pair duplicate-spn and alias-conflict report as info. */
static void samba_dns_user(struct gen *g, struct dom *d)
{
	struct acct a;
	char dc[32], low[32];
	snprintf(dc, sizeof(dc), "%sDC01", d->nb);
	lower(low, sizeof(low), dc);
	acct_init(&a, A_USER);
	snprintf(a.sam, sizeof(a.sam), "dns-%s", dc);
	snprintf(a.dn, sizeof(a.dn), "CN=%s,CN=Users,%s", a.sam, d->dn);
	a.uac = 512;
	a.samba_dns = true;
	a.pwd = NOW_FILETIME - 900 * DAY_TICKS;  /* old, no enctypes: still info */
	add_spn(&a, "DNS/%s.%s", low, d->dns);
	emit(g, d, &a);
	expect(g, GC_DUPLICATE_SPN, GS_INFO, 1);
	expect(g, GC_ALIAS_CONFLICT, GS_INFO, 1);
	g->dup_extra += 1;
}

static void exchange_server(struct gen *g, struct dom *d, const char *name)
{
	struct acct a;
	computer(&a, d, name, "OU=Servers", true, false);
	add_spn(&a, "SMTPSVC/%s", a.dns);
	add_spn(&a, "SMTPSVC/%s", name);
	add_spn(&a, "SMTP/%s", a.dns);
	add_spn(&a, "SMTP/%s", name);
	add_spn(&a, "exchangeMDB/%s", a.dns);
	add_spn(&a, "exchangeMDB/%s", name);
	add_spn(&a, "exchangeRFR/%s", a.dns);
	add_spn(&a, "exchangeRFR/%s", name);
	add_spn(&a, "exchangeAB/%s", a.dns);
	add_spn(&a, "exchangeAB/%s", name);
	emit(g, d, &a);
}

/* ---- planted problems ---- */

enum pk {
	PK_DUP_PAIR, PK_DUP_CASE, PK_DUP_MULTI, PK_DUP_XDOM, PK_LOOKALIKE, PK_ALIAS, PK_UPN,
	PK_PRIV, PK_DISABLED, PK_KERB, PK_DELEG_MISSING, PK_DELEG_DUP, PK_MALFORMED,
	PK_HOST_CLASH, PK_DC_ONLY, PK_WEAK, PK_N
};

static const struct {
	const char *kind, *what;
} pk_info[PK_N] = {
	[PK_DUP_PAIR] = {"duplicate-pair", "MSSQLSvc/host:1433 on the SQL computer and on its service account (same domain)"},
	[PK_DUP_CASE] = {"duplicate-case", "HTTP/x and http/X (case variants) on two accounts (same domain)"},
	[PK_DUP_MULTI] = {"duplicate-multi", "HTTP/farm on 3 or 4 accounts (same domain)"},
	[PK_DUP_XDOM] = {"duplicate-cross-domain", "HTTP/x on an account in one domain and on one in another"},
	[PK_LOOKALIKE] = {"lookalike", "HTTP/x on one account, HTTP/x with a zero-width joiner or soft hyphen on another"},
	[PK_ALIAS] = {"alias-conflict", "HTTP/x + HTTP/X (2 pairs) or CIFS/x (1 pair) on a service account, HOST/x on computer x"},
	[PK_UPN] = {"upn-spn", "userPrincipalName equal (case-insensitively) to an SPN of another account"},
	[PK_PRIV] = {"privileged", "SPN on a user with adminCount=1, in Domain Admins, in a group nested in Domain Admins, or primary group Domain Admins"},
	[PK_DISABLED] = {"disabled", "disabled computer or disabled user holding SPNs (a disabled user is not kerberoastable)"},
	[PK_KERB] = {"kerberoastable-risky", "user with SPN: RC4 only (also weak-enctypes), AES but a password 4+ years old, or RC4+AES with a non-expiring password"},
	[PK_DELEG_MISSING] = {"delegation-missing", "msDS-AllowedToDelegateTo naming 1 or 2 SPNs nobody holds"},
	[PK_DELEG_DUP] = {"delegation-duplicate", "msDS-AllowedToDelegateTo naming an SPN two gMSAs hold (also a duplicate-spn)"},
	[PK_MALFORMED] = {"malformed", "one-part, four-part or space-containing SPN value on a computer"},
	[PK_HOST_CLASH] = {"host-name-clash", "HOST/<name>.fqdn on a user while computer <name> does not hold it (its own FQDN: error; another FQDN: warning)"},
	[PK_DC_ONLY] = {"dc-only", "ldap/<host>/<own domain> left on a member server (demoted DC)"},
	[PK_WEAK] = {"weak-enctypes", "computer with msDS-SupportedEncryptionTypes 4 (RC4 only) or gMSA with 3 (DES only)"},
};

static void plant_dup_pair(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 3, k);
	char name[32], sam[32];
	snprintf(name, sizeof(name), "DSQ%05u", k);
	struct acct a;
	computer(&a, d, name, "OU=Servers", true, false);
	add_spn(&a, "MSSQLSvc/%s:1433", a.dns);  /* SQL once ran as LocalSystem */
	char host[160];
	snprintf(host, sizeof(host), "%s", a.dns);
	emit(g, d, &a);
	snprintf(sam, sizeof(sam), "svc-dsq%05u", k);
	service_user(&a, d, sam, &r);
	add_spn(&a, "MSSQLSvc/%s:1433", host);
	add_spn(&a, "MSSQLSvc/%s", host);
	emit(g, d, &a);
	expect(g, GC_DUPLICATE_SPN, SEV_DUP_SAME, 1);
	g->dup_extra += 1;
}

static void plant_dup_case(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 4, k);
	char sam[32], up[160];
	struct acct a;
	snprintf(sam, sizeof(sam), "svc-dca%05u", k);
	service_user(&a, d, sam, &r);
	add_spn(&a, "HTTP/dupapp%05u.%s", k, d->dns);
	emit(g, d, &a);
	snprintf(sam, sizeof(sam), "svc-dcb%05u", k);
	service_user(&a, d, sam, &r);
	upper_copy(up, sizeof(up), d->dns);
	add_spn(&a, "http/DUPAPP%05u.%s", k, up);
	emit(g, d, &a);
	expect(g, GC_DUPLICATE_SPN, SEV_DUP_SAME, 1);
	g->dup_extra += 1;
}

static void plant_dup_multi(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 5, k);
	unsigned holders = 3 + (k & 1);
	for (unsigned h = 0; h < holders; h++) {
		struct acct a;
		char name[32];
		if (h % 2 == 0) {
			snprintf(name, sizeof(name), "gmsa-fm%05u%c", k, 'a' + h);
			gmsa(&a, d, name);
		} else {
			snprintf(name, sizeof(name), "svc-fm%05u%c", k, 'a' + h);
			service_user(&a, d, name, &r);
		}
		add_spn(&a, "HTTP/farm%05u.%s", k, d->dns);
		emit(g, d, &a);
	}
	expect(g, GC_DUPLICATE_SPN, SEV_DUP_SAME, 1);
	g->dup_extra += holders - 1;
}

static void plant_dup_xdom(struct gen *g, struct dom *d, uint32_t k, unsigned role)
{
	struct rng r = rng_for(g->p->seed, 6, (uint64_t)k << 1 | role);
	const struct dom *home = &g->dom[k % g->ndom];
	struct acct a;
	char name[32];
	if (role == 0) {
		snprintf(name, sizeof(name), "svc-xa%05u", k);
		service_user(&a, d, name, &r);
		expect(g, GC_DUPLICATE_SPN, SEV_DUP_XDOM, 1);
		g->dup_extra += 1;
	} else if (k % 2 == 0) {
		snprintf(name, sizeof(name), "svc-xb%05u", k);  /* migrated, old one kept */
		service_user(&a, d, name, &r);
	} else {
		snprintf(name, sizeof(name), "gmsa-xb%05u", k);
		gmsa(&a, d, name);
	}
	add_spn(&a, "HTTP/xapp%05u.%s", k, home->dns);
	emit(g, d, &a);
}

static void plant_lookalike(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 7, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-pay%05u", k);
	service_user(&a, d, sam, &r);
	add_spn(&a, "HTTP/pay%05u.%s", k, d->dns);
	emit(g, d, &a);
	/* The look-alike, on an ordinary user: U+200D zero-width joiner or
	 * U+00AD soft hyphen inside the host name (ldapsearch writes base64). */
	acct_init(&a, A_USER);
	snprintf(a.sam, sizeof(a.sam), "u-lk%05u", k);
	snprintf(a.dn, sizeof(a.dn), "CN=%s,OU=Users,OU=HQ,%s", a.sam, d->dn);
	snprintf(a.upn, sizeof(a.upn), "%s@%s", a.sam, d->dns);
	a.enctypes = 24;
	a.pwd = NOW_FILETIME - (int64_t)(10 + below(&r, 100)) * DAY_TICKS;
	if (k % 2 == 0)
		add_spn(&a, "HTTP/pa\xe2\x80\x8dy%05u.%s", k, d->dns);
	else
		add_spn(&a, "HTTP/pay%05u\xc2\xad.%s", k, d->dns);
	emit(g, d, &a);
	expect(g, GC_LOOKALIKE_SPN, GS_ERROR, 1);
}

static void plant_alias(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 8, k);
	char name[32];
	snprintf(name, sizeof(name), "ALS%05u", k);
	struct acct a;
	computer(&a, d, name, "OU=Servers", true, false);
	char host[160];
	snprintf(host, sizeof(host), "%s", a.dns);
	emit(g, d, &a);
	if (k % 2 == 0) {
		char sam[32];
		snprintf(sam, sizeof(sam), "svc-als%05u", k);
		service_user(&a, d, sam, &r);
		add_spn(&a, "HTTP/%s", host);
		add_spn(&a, "HTTP/%s", name);
		expect(g, GC_ALIAS_CONFLICT, GS_ERROR, 2);
	} else {
		char gname[32];
		snprintf(gname, sizeof(gname), "gmsa-als%05u", k);
		gmsa(&a, d, gname);
		add_spn(&a, "CIFS/%s", host);
		expect(g, GC_ALIAS_CONFLICT, GS_ERROR, 1);
	}
	emit(g, d, &a);
}

static void plant_upn(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 9, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-crm%05u", k);
	service_user(&a, d, sam, &r);
	add_spn(&a, "HTTP/crm%05u.%s", k, d->dns);
	emit(g, d, &a);
	acct_init(&a, A_USER);
	snprintf(a.sam, sizeof(a.sam), "u-crm%05u", k);
	snprintf(a.dn, sizeof(a.dn), "CN=%s,OU=Users,OU=HQ,%s", a.sam, d->dn);
	if (k % 2 == 0)
		snprintf(a.upn, sizeof(a.upn), "HTTP/crm%05u.%s", k, d->dns);
	else
		snprintf(a.upn, sizeof(a.upn), "http/CRM%05u.%s", k, d->dns);
	a.pwd = NOW_FILETIME - (int64_t)(10 + below(&r, 100)) * DAY_TICKS;
	emit(g, d, &a);
	expect(g, GC_UPN_SPN_COLLISION, GS_ERROR, 1);
}

static void plant_priv(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 10, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-adm%05u", k);
	service_user(&a, d, sam, &r);
	add_spn(&a, "HTTP/adm%05u.%s", k, d->dns);
	switch (k % 4) {
	case 0:
		a.admin_count = 1;
		break;
	case 1:
		a.admin_count = 1;
		add_memberof(&a, "CN=Domain Admins,CN=Users,%s", d->dn);
		break;
	case 2:  /* only through a group nested in Domain Admins */
		add_memberof(&a, "CN=SQL Admins,OU=Groups,%s", d->dn);
		break;
	default:
		a.pgid = 512;
		break;
	}
	a.privileged = true;
	emit(g, d, &a);
}

static void plant_disabled(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 11, k);
	struct acct a;
	if (k % 2 == 0) {
		char name[32];
		snprintf(name, sizeof(name), "OLD%05u", k);
		computer(&a, d, name, "OU=Disabled", false, false);
		a.uac = 4096 | 0x2;
		a.pwd = NOW_FILETIME - (int64_t)(400 + below(&r, 1000)) * DAY_TICKS;
	} else {
		char sam[32];
		snprintf(sam, sizeof(sam), "svc-old%05u", k);
		service_user(&a, d, sam, &r);
		a.uac = 512 | 0x2;
		add_spn(&a, "HTTP/old%05u.%s", k, d->dns);
	}
	emit(g, d, &a);
}

static void plant_kerb(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 12, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-rst%05u", k);
	service_user(&a, d, sam, &r);
	add_spn(&a, "HTTP/rst%05u.%s", k, d->dns);
	switch (k % 3) {
	case 0:
		a.enctypes = 4;  /* RC4 only */
		break;
	case 1:
		a.pwd = NOW_FILETIME - (int64_t)(1500 + below(&r, 1000)) * DAY_TICKS;
		break;
	default:
		a.enctypes = 28;  /* RC4 + AES */
		a.uac = 66048;
		break;
	}
	emit(g, d, &a);  /* expect_account() counts it: warning */
}

static void plant_deleg_missing(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 13, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-fe%05u", k);
	service_user(&a, d, sam, &r);
	add_spn(&a, "HTTP/fe%05u.%s", k, d->dns);
	if (k % 2 == 0) {
		add_a2d(&a, "MSSQLSvc/retired%05u.%s:1433", k, d->dns);
		expect(g, GC_DELEGATION_TARGET_MISSING, GS_ERROR, 1);
	} else {
		add_a2d(&a, "cifs/oldfs%05u.%s", k, d->dns);
		add_a2d(&a, "HOST/OLDFS%05u", k);
		expect(g, GC_DELEGATION_TARGET_MISSING, GS_ERROR, 2);
	}
	emit(g, d, &a);
}

static void plant_deleg_dup(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 14, k);
	struct acct a;
	char name[32];
	for (int h = 0; h < 2; h++) {
		snprintf(name, sizeof(name), "gmsa-db%05u%c", k, 'a' + h);
		gmsa(&a, d, name);
		add_spn(&a, "MSSQLSvc/dupdb%05u.%s:1433", k, d->dns);
		emit(g, d, &a);
	}
	snprintf(name, sizeof(name), "svc-dd%05u", k);
	service_user(&a, d, name, &r);
	add_spn(&a, "HTTP/ddfe%05u.%s", k, d->dns);
	add_a2d(&a, "MSSQLSvc/dupdb%05u.%s:1433", k, d->dns);
	emit(g, d, &a);
	expect(g, GC_DUPLICATE_SPN, SEV_DUP_SAME, 1);
	expect(g, GC_DELEGATION_TARGET_DUPLICATE, SEV_DELEG_DUP, 1);
	g->dup_extra += 1;
}

static void plant_malformed(struct gen *g, struct dom *d, uint32_t k)
{
	char name[32];
	snprintf(name, sizeof(name), "BAD%05u", k);
	struct acct a;
	computer(&a, d, name, "OU=Servers", false, false);
	switch (k % 3) {
	case 0:
		add_spn(&a, "bad%05u.%s", k, d->dns);  /* one part: a host name alone */
		break;
	case 1:
		add_spn(&a, "HTTP/bad%05u.%s:8080/app/extra", k, d->dns);  /* four parts */
		break;
	default:
		add_spn(&a, "HTTP/BAD%05u web", k);  /* space */
		break;
	}
	emit(g, d, &a);
	expect(g, GC_MALFORMED_SPN, GS_WARNING, 1);
}

static void plant_host_clash(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 15, k);
	char name[32], sam[32];
	snprintf(name, sizeof(name), "HNC%05u", k);
	struct acct a;
	computer(&a, d, name, "OU=Servers", false, false);
	a.nspn = 0;  /* its HOST/<fqdn> went to the service account */
	add_spn(&a, "RestrictedKrbHost/%s", name);
	add_spn(&a, "HOST/%s", name);
	add_spn(&a, "RestrictedKrbHost/%s", a.dns);
	char low[32];
	lower(low, sizeof(low), name);
	emit(g, d, &a);
	snprintf(sam, sizeof(sam), "svc-hnc%05u", k);
	service_user(&a, d, sam, &r);
	if (k % 2 == 0) {
		add_spn(&a, "HOST/%s.%s", low, d->dns);
		expect(g, GC_HOST_NAME_CLASH, GS_ERROR, 1);
	} else {
		add_spn(&a, "HOST/%s.apps.%s", low, d->dns);  /* same first label, other host */
		expect(g, GC_HOST_NAME_CLASH, GS_WARNING, 1);
	}
	emit(g, d, &a);
}

static void plant_dc_only(struct gen *g, struct dom *d, uint32_t k)
{
	char name[32];
	snprintf(name, sizeof(name), "DMD%05u", k);
	struct acct a;
	computer(&a, d, name, "OU=Servers", true, false);
	add_spn(&a, "ldap/%s/%s", a.dns, d->dns);
	emit(g, d, &a);
	expect(g, GC_DC_ONLY_SPN, GS_WARNING, 1);
}

static void plant_weak(struct gen *g, struct dom *d, uint32_t k)
{
	struct acct a;
	char name[32];
	if (k % 2 == 0) {
		snprintf(name, sizeof(name), "RCF%05u", k);
		computer(&a, d, name, "OU=Servers", true, false);
		a.enctypes = 4;
	} else {
		snprintf(name, sizeof(name), "gmsa-des%05u", k);
		gmsa(&a, d, name);
		add_spn(&a, "HTTP/des%05u.%s", k, d->dns);
		a.enctypes = 3;
	}
	emit(g, d, &a);  /* expect_account() counts weak-enctypes */
}

static void plant(struct gen *g, struct dom *d, const struct unit *u)
{
	switch ((enum pk)u->kind) {
	case PK_DUP_PAIR: plant_dup_pair(g, d, u->k); break;
	case PK_DUP_CASE: plant_dup_case(g, d, u->k); break;
	case PK_DUP_MULTI: plant_dup_multi(g, d, u->k); break;
	case PK_DUP_XDOM: plant_dup_xdom(g, d, u->k, u->role); break;
	case PK_LOOKALIKE: plant_lookalike(g, d, u->k); break;
	case PK_ALIAS: plant_alias(g, d, u->k); break;
	case PK_UPN: plant_upn(g, d, u->k); break;
	case PK_PRIV: plant_priv(g, d, u->k); break;
	case PK_DISABLED: plant_disabled(g, d, u->k); break;
	case PK_KERB: plant_kerb(g, d, u->k); break;
	case PK_DELEG_MISSING: plant_deleg_missing(g, d, u->k); break;
	case PK_DELEG_DUP: plant_deleg_dup(g, d, u->k); break;
	case PK_MALFORMED: plant_malformed(g, d, u->k); break;
	case PK_HOST_CLASH: plant_host_clash(g, d, u->k); break;
	case PK_DC_ONLY: plant_dc_only(g, d, u->k); break;
	case PK_WEAK: plant_weak(g, d, u->k); break;
	case PK_N: break;
	}
}

static void add_unit(struct dom *d, enum pk kind, uint32_t k, unsigned role)
{
	if (d->nunits == d->capunits) {
		size_t nc = d->capunits ? d->capunits * 2 : 64;
		struct unit *u = realloc(d->units, nc * sizeof(*u));
		if (!u)
			die_nomem();
		d->units = u;
		d->capunits = nc;
	}
	d->units[d->nunits++] = (struct unit){(uint8_t)kind, (uint8_t)role, k};
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
		lower(d->dns, sizeof(d->dns), d->dns);
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
		die_nomem();
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
			die_nomem();
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
		expect(g, GC_DUPLICATE_SPN, SEV_DUP_SAME, 2);
		g->dup_extra += 2;
	}
	size_t next = 0, U = d->nunits;
	for (;;) {
		if (next < U && d->emitted >= (next + 1) * d->quota / (U + 1)) {
			plant(g, d, &d->units[next++]);
			continue;
		}
		if (d->emitted >= d->quota) {
			if (next < U) {
				plant(g, d, &d->units[next++]);
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
		die_nomem();
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
		/* Plants, round-robin over domains and kinds. */
		uint64_t units[PK_N] = {0};
		for (uint32_t k = 0; k < g->P; k++) {
			for (int kind = 0; kind < PK_N; kind++) {
				if (kind == PK_DUP_XDOM) {
					if (g->ndom < 2)
						continue;
					add_unit(&g->dom[k % g->ndom], PK_DUP_XDOM, k, 0);
					add_unit(&g->dom[(k + 1) % g->ndom], PK_DUP_XDOM, k, 1);
				} else {
					add_unit(&g->dom[k % g->ndom], (enum pk)kind, k, 0);
				}
				units[kind]++;
			}
		}
		for (unsigned i = 0; i < g->ndom; i++)
			write_domain(g, &g->dom[i]);
		if (g->P > 0) {
			r->plants[r->nplants++] = (struct gen_plant_info){
				"exchange", "SMTPSVC/exchNN.fqdn and SMTPSVC/EXCHNN on the Exchange server and on the RID-500 Administrator (one per domain)",
				g->ndom};
			r->plants[r->nplants++] = (struct gen_plant_info){
				"samba-dns", "DNS/<dc fqdn> on the first DC and on user dns-<dc> (benign: info duplicate, info alias conflict; one per domain)",
				g->ndom};
			r->plants[r->nplants++] = (struct gen_plant_info){
				"dsheuristics", "dSHeuristics 000000000100000000022 (SPN uniqueness off) on the Directory Service entry", 1};
		}
		if (g->ndom > 1)
			r->plants[r->nplants++] = (struct gen_plant_info){
				"kadmin", "kadmin/changepw on the krbtgt of every domain (benign: one info duplicate)", 1};
		for (int kind = 0; kind < PK_N; kind++)
			if (units[kind])
				r->plants[r->nplants++] = (struct gen_plant_info){pk_info[kind].kind, pk_info[kind].what, units[kind]};
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
