/*
 * plants.c - the problems planted in a generated directory, each kind in P
 * numbered units, and the findings each unit adds (per-SPN findings are
 * counted here; per-account ones by gen_emit() from the attributes).
 * Every name carries the plant number behind a prefix no other part of
 * the generator uses, so plants never collide with each other or with the
 * background.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

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
	gen_computer(&a, d, name, "OU=Servers", true, false);
	gen_spn(&a, "MSSQLSvc/%s:1433", a.dns);  /* SQL once ran as LocalSystem */
	char host[160];
	snprintf(host, sizeof(host), "%s", a.dns);
	gen_emit(g, d, &a);
	snprintf(sam, sizeof(sam), "svc-dsq%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_spn(&a, "MSSQLSvc/%s:1433", host);
	gen_spn(&a, "MSSQLSvc/%s", host);
	gen_emit(g, d, &a);
	gen_expect(g, GC_duplicate_spn, SEV_DUP_SAME, 1);
	g->dup_extra += 1;
}

static void plant_dup_case(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 4, k);
	char sam[32], up[160];
	struct acct a;
	snprintf(sam, sizeof(sam), "svc-dca%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_spn(&a, "HTTP/dupapp%05u.%s", k, d->dns);
	gen_emit(g, d, &a);
	snprintf(sam, sizeof(sam), "svc-dcb%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_upper(up, sizeof(up), d->dns);
	gen_spn(&a, "http/DUPAPP%05u.%s", k, up);
	gen_emit(g, d, &a);
	gen_expect(g, GC_duplicate_spn, SEV_DUP_SAME, 1);
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
			gen_gmsa(&a, d, name);
		} else {
			snprintf(name, sizeof(name), "svc-fm%05u%c", k, 'a' + h);
			gen_service_user(&a, d, name, &r);
		}
		gen_spn(&a, "HTTP/farm%05u.%s", k, d->dns);
		gen_emit(g, d, &a);
	}
	gen_expect(g, GC_duplicate_spn, SEV_DUP_SAME, 1);
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
		gen_service_user(&a, d, name, &r);
		gen_expect(g, GC_duplicate_spn, SEV_DUP_XDOM, 1);
		g->dup_extra += 1;
	} else if (k % 2 == 0) {
		snprintf(name, sizeof(name), "svc-xb%05u", k);  /* migrated, old one kept */
		gen_service_user(&a, d, name, &r);
	} else {
		snprintf(name, sizeof(name), "gmsa-xb%05u", k);
		gen_gmsa(&a, d, name);
	}
	gen_spn(&a, "HTTP/xapp%05u.%s", k, home->dns);
	gen_emit(g, d, &a);
}

static void plant_lookalike(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 7, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-pay%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_spn(&a, "HTTP/pay%05u.%s", k, d->dns);
	gen_emit(g, d, &a);
	/* The look-alike, on an ordinary user: U+200D zero-width joiner or
	 * U+00AD soft hyphen inside the host name (ldapsearch writes base64). */
	gen_acct_init(&a, A_USER);
	snprintf(a.sam, sizeof(a.sam), "u-lk%05u", k);
	snprintf(a.dn, sizeof(a.dn), "CN=%s,OU=Users,OU=HQ,%s", a.sam, d->dn);
	snprintf(a.upn, sizeof(a.upn), "%s@%s", a.sam, d->dns);
	a.enctypes = 24;
	a.pwd = NOW_FILETIME - (int64_t)(10 + below(&r, 100)) * DAY_TICKS;
	if (k % 2 == 0)
		gen_spn(&a, "HTTP/pa\xe2\x80\x8dy%05u.%s", k, d->dns);
	else
		gen_spn(&a, "HTTP/pay%05u\xc2\xad.%s", k, d->dns);
	gen_emit(g, d, &a);
	gen_expect(g, GC_lookalike_spn, GS_ERROR, 1);
}

static void plant_alias(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 8, k);
	char name[32];
	snprintf(name, sizeof(name), "ALS%05u", k);
	struct acct a;
	gen_computer(&a, d, name, "OU=Servers", true, false);
	char host[160];
	snprintf(host, sizeof(host), "%s", a.dns);
	gen_emit(g, d, &a);
	if (k % 2 == 0) {
		char sam[32];
		snprintf(sam, sizeof(sam), "svc-als%05u", k);
		gen_service_user(&a, d, sam, &r);
		gen_spn(&a, "HTTP/%s", host);
		gen_spn(&a, "HTTP/%s", name);
		gen_expect(g, GC_alias_conflict, GS_ERROR, 2);
	} else {
		char gname[32];
		snprintf(gname, sizeof(gname), "gmsa-als%05u", k);
		gen_gmsa(&a, d, gname);
		gen_spn(&a, "CIFS/%s", host);
		gen_expect(g, GC_alias_conflict, GS_ERROR, 1);
	}
	gen_emit(g, d, &a);
}

static void plant_upn(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 9, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-crm%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_spn(&a, "HTTP/crm%05u.%s", k, d->dns);
	gen_emit(g, d, &a);
	gen_acct_init(&a, A_USER);
	snprintf(a.sam, sizeof(a.sam), "u-crm%05u", k);
	snprintf(a.dn, sizeof(a.dn), "CN=%s,OU=Users,OU=HQ,%s", a.sam, d->dn);
	if (k % 2 == 0)
		snprintf(a.upn, sizeof(a.upn), "HTTP/crm%05u.%s", k, d->dns);
	else
		snprintf(a.upn, sizeof(a.upn), "http/CRM%05u.%s", k, d->dns);
	a.pwd = NOW_FILETIME - (int64_t)(10 + below(&r, 100)) * DAY_TICKS;
	gen_emit(g, d, &a);
	gen_expect(g, GC_upn_spn_collision, GS_ERROR, 1);
}

static void plant_priv(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 10, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-adm%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_spn(&a, "HTTP/adm%05u.%s", k, d->dns);
	switch (k % 4) {
	case 0:
		a.admin_count = 1;
		break;
	case 1:
		a.admin_count = 1;
		gen_memberof(&a, "CN=Domain Admins,CN=Users,%s", d->dn);
		break;
	case 2:  /* only through a group nested in Domain Admins */
		gen_memberof(&a, "CN=SQL Admins,OU=Groups,%s", d->dn);
		break;
	default:
		a.pgid = 512;
		break;
	}
	a.privileged = true;
	gen_emit(g, d, &a);
}

static void plant_disabled(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 11, k);
	struct acct a;
	if (k % 2 == 0) {
		char name[32];
		snprintf(name, sizeof(name), "OLD%05u", k);
		gen_computer(&a, d, name, "OU=Disabled", false, false);
		a.uac = 4096 | 0x2;
		a.pwd = NOW_FILETIME - (int64_t)(400 + below(&r, 1000)) * DAY_TICKS;
	} else {
		char sam[32];
		snprintf(sam, sizeof(sam), "svc-old%05u", k);
		gen_service_user(&a, d, sam, &r);
		a.uac = 512 | 0x2;
		gen_spn(&a, "HTTP/old%05u.%s", k, d->dns);
	}
	gen_emit(g, d, &a);
}

static void plant_kerb(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 12, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-rst%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_spn(&a, "HTTP/rst%05u.%s", k, d->dns);
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
	gen_emit(g, d, &a);  /* expect_account() counts it: warning */
}

static void plant_deleg_missing(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 13, k);
	struct acct a;
	char sam[32];
	snprintf(sam, sizeof(sam), "svc-fe%05u", k);
	gen_service_user(&a, d, sam, &r);
	gen_spn(&a, "HTTP/fe%05u.%s", k, d->dns);
	if (k % 2 == 0) {
		gen_a2d(&a, "MSSQLSvc/retired%05u.%s:1433", k, d->dns);
		gen_expect(g, GC_delegation_target_missing, GS_ERROR, 1);
	} else {
		gen_a2d(&a, "cifs/oldfs%05u.%s", k, d->dns);
		gen_a2d(&a, "HOST/OLDFS%05u", k);
		gen_expect(g, GC_delegation_target_missing, GS_ERROR, 2);
	}
	gen_emit(g, d, &a);
}

static void plant_deleg_dup(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 14, k);
	struct acct a;
	char name[32];
	for (int h = 0; h < 2; h++) {
		snprintf(name, sizeof(name), "gmsa-db%05u%c", k, 'a' + h);
		gen_gmsa(&a, d, name);
		gen_spn(&a, "MSSQLSvc/dupdb%05u.%s:1433", k, d->dns);
		gen_emit(g, d, &a);
	}
	snprintf(name, sizeof(name), "svc-dd%05u", k);
	gen_service_user(&a, d, name, &r);
	gen_spn(&a, "HTTP/ddfe%05u.%s", k, d->dns);
	gen_a2d(&a, "MSSQLSvc/dupdb%05u.%s:1433", k, d->dns);
	gen_emit(g, d, &a);
	gen_expect(g, GC_duplicate_spn, SEV_DUP_SAME, 1);
	gen_expect(g, GC_delegation_target_duplicate, SEV_DELEG_DUP, 1);
	g->dup_extra += 1;
}

static void plant_malformed(struct gen *g, struct dom *d, uint32_t k)
{
	char name[32];
	snprintf(name, sizeof(name), "BAD%05u", k);
	struct acct a;
	gen_computer(&a, d, name, "OU=Servers", false, false);
	switch (k % 3) {
	case 0:
		gen_spn(&a, "bad%05u.%s", k, d->dns);  /* one part: a host name alone */
		break;
	case 1:
		gen_spn(&a, "HTTP/bad%05u.%s:8080/app/extra", k, d->dns);  /* four parts */
		break;
	default:
		gen_spn(&a, "HTTP/BAD%05u web", k);  /* space */
		break;
	}
	gen_emit(g, d, &a);
	gen_expect(g, GC_malformed_spn, GS_WARNING, 1);
}

static void plant_host_clash(struct gen *g, struct dom *d, uint32_t k)
{
	struct rng r = rng_for(g->p->seed, 15, k);
	char name[32], sam[32];
	snprintf(name, sizeof(name), "HNC%05u", k);
	struct acct a;
	gen_computer(&a, d, name, "OU=Servers", false, false);
	a.nspn = 0;  /* its HOST/<fqdn> went to the service account */
	gen_spn(&a, "RestrictedKrbHost/%s", name);
	gen_spn(&a, "HOST/%s", name);
	gen_spn(&a, "RestrictedKrbHost/%s", a.dns);
	char low[32];
	gen_lower(low, sizeof(low), name);
	gen_emit(g, d, &a);
	snprintf(sam, sizeof(sam), "svc-hnc%05u", k);
	gen_service_user(&a, d, sam, &r);
	if (k % 2 == 0) {
		gen_spn(&a, "HOST/%s.%s", low, d->dns);
		gen_expect(g, GC_host_name_clash, GS_ERROR, 1);
	} else {
		gen_spn(&a, "HOST/%s.apps.%s", low, d->dns);  /* same first label, other host */
		gen_expect(g, GC_host_name_clash, GS_WARNING, 1);
	}
	gen_emit(g, d, &a);
}

static void plant_dc_only(struct gen *g, struct dom *d, uint32_t k)
{
	char name[32];
	snprintf(name, sizeof(name), "DMD%05u", k);
	struct acct a;
	gen_computer(&a, d, name, "OU=Servers", true, false);
	gen_spn(&a, "ldap/%s/%s", a.dns, d->dns);
	gen_emit(g, d, &a);
	gen_expect(g, GC_dc_only_spn, GS_WARNING, 1);
}

static void plant_weak(struct gen *g, struct dom *d, uint32_t k)
{
	struct acct a;
	char name[32];
	if (k % 2 == 0) {
		snprintf(name, sizeof(name), "RCF%05u", k);
		gen_computer(&a, d, name, "OU=Servers", true, false);
		a.enctypes = 4;
	} else {
		snprintf(name, sizeof(name), "gmsa-des%05u", k);
		gen_gmsa(&a, d, name);
		gen_spn(&a, "HTTP/des%05u.%s", k, d->dns);
		a.enctypes = 3;
	}
	gen_emit(g, d, &a);  /* expect_account() counts weak-enctypes */
}

void gen_plant(struct gen *g, struct dom *d, const struct unit *u)
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
			gen_die_nomem();
		d->units = u;
		d->capunits = nc;
	}
	d->units[d->nunits++] = (struct unit){(uint8_t)kind, (uint8_t)role, k};
}

void gen_plan_plants(struct gen *g)
{
	/* Round-robin over domains; each domain gets its units in plant order,
	 * kinds interleaved, and spreads them through its accounts. */
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
			g->planned[kind]++;
		}
	}
}

void gen_describe_plants(struct gen *g)
{
	struct gen_result *r = g->r;
	if (g->P > 0) {
		r->plants[r->nplants++] = (struct gen_plant_info){
			"exchange", "SMTPSVC/exchNN.fqdn and SMTPSVC/EXCHNN on the Exchange server and on the "
			"RID-500 Administrator (one per domain)", g->ndom};
		r->plants[r->nplants++] = (struct gen_plant_info){
			"samba-dns", "DNS/<dc fqdn> on the first DC and on user dns-<dc> (benign: info "
			"duplicate, info alias conflict; one per domain)", g->ndom};
		r->plants[r->nplants++] = (struct gen_plant_info){
			"dsheuristics", "dSHeuristics 000000000100000000022 (SPN uniqueness off) on the "
			"Directory Service entry", 1};
	}
	if (g->ndom > 1)
		r->plants[r->nplants++] = (struct gen_plant_info){
			"kadmin", "kadmin/changepw on the krbtgt of every domain (benign: one info duplicate)", 1};
	for (int kind = 0; kind < PK_N; kind++)
		if (g->planned[kind])
			r->plants[r->nplants++] = (struct gen_plant_info){pk_info[kind].kind, pk_info[kind].what,
			                                                   g->planned[kind]};
}
