/*
 * accounts.c - one account of a generated directory: building it (the
 * computer, service user and gMSA shapes every part of the generator
 * uses), writing it as ldapsearch -LLL does, and counting the per-account
 * findings a correct audit reports for it (kerberoastable, weak-enctypes,
 * privileged-spn, disabled-spn), from its attributes as written.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gen_int.h"

void gen_die_nomem(void)
{
	fprintf(stderr, "spngen: out of memory\n");
	exit(2);
}

void gen_acct_init(struct acct *a, enum akind kind)
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

void gen_spn(struct acct *a, const char *fmt, ...)
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

void gen_memberof(struct acct *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (a->nmemberof < MAXLIST)
		a->memberof[a->nmemberof++] = pool_vadd(a, fmt, ap);
	va_end(ap);
}

void gen_a2d(struct acct *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (a->na2d < MAXLIST)
		a->a2d[a->na2d++] = pool_vadd(a, fmt, ap);
	va_end(ap);
}

void gen_expect(struct gen *g, enum gen_code c, enum gen_sev s, uint64_t n)
{
	g->r->count[c][s] += n;
}

void gen_put_sid(struct gen_out *o, const struct dom *d, uint32_t rid)
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
		gen_expect(g, GC_kerberoastable, (rc4 || old) && !a->samba_dns ? GS_WARNING : GS_INFO, 1);
	}
	if (!disabled && (des_flag || (et && !(et & 0x18))))
		gen_expect(g, GC_weak_enctypes, GS_WARNING, 1);
	if (a->privileged && a->kind != A_DC)
		gen_expect(g, GC_privileged_spn, GS_WARNING, 1);
	if (disabled)
		gen_expect(g, GC_disabled_spn, GS_WARNING, 1);
}

void gen_emit(struct gen *g, struct dom *d, struct acct *a)
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
	gen_put_sid(o, d, a->rid);
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

void gen_lower(char *dst, size_t cap, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	dst[i] = '\0';
}

/* A member computer NAME (upper case NetBIOS name) in ou. */
void gen_computer(struct acct *a, const struct dom *d, const char *name, const char *ou,
                     bool wsman, bool termsrv)
{
	char low[64];
	gen_lower(low, sizeof(low), name);
	gen_acct_init(a, A_COMPUTER);
	snprintf(a->dn, sizeof(a->dn), "CN=%s,%s,%s", name, ou, d->dn);
	snprintf(a->sam, sizeof(a->sam), "%s$", name);
	snprintf(a->dns, sizeof(a->dns), "%s.%s", low, d->dns);
	a->uac = 4096;
	a->pgid = 515;
	a->enctypes = 28;
	gen_spn(a, "RestrictedKrbHost/%s", name);
	gen_spn(a, "HOST/%s", name);
	gen_spn(a, "RestrictedKrbHost/%s", a->dns);
	gen_spn(a, "HOST/%s", a->dns);
	if (wsman) {
		gen_spn(a, "WSMAN/%s", a->dns);
		gen_spn(a, "WSMAN/%s", name);
	}
	if (termsrv) {
		gen_spn(a, "TERMSRV/%s", a->dns);
		gen_spn(a, "TERMSRV/%s", name);
	}
}

/* A service user account in OU=Service Accounts (an SPN holder: kerberoastable). */
void gen_service_user(struct acct *a, const struct dom *d, const char *sam, struct rng *r)
{
	gen_acct_init(a, A_USER);
	snprintf(a->dn, sizeof(a->dn), "CN=%s,OU=Service Accounts,%s", sam, d->dn);
	snprintf(a->sam, sizeof(a->sam), "%s", sam);
	snprintf(a->upn, sizeof(a->upn), "%s@%s", sam, d->dns);
	a->enctypes = 24;  /* AES only */
	a->pwd = NOW_FILETIME - (int64_t)(1 + below(r, 200)) * DAY_TICKS - below(r, 86400) * 10000000LL;
	gen_memberof(a, "CN=Service Accounts,OU=Groups,%s", d->dn);
}

void gen_gmsa(struct acct *a, const struct dom *d, const char *name)
{
	gen_acct_init(a, A_GMSA);
	snprintf(a->dn, sizeof(a->dn), "CN=%s,CN=Managed Service Accounts,%s", name, d->dn);
	snprintf(a->sam, sizeof(a->sam), "%s$", name);
	char low[64];
	gen_lower(low, sizeof(low), name);
	snprintf(a->dns, sizeof(a->dns), "%s.%s", low, d->dns);
	a->uac = 4096;
	a->pgid = 515;
	a->enctypes = 28;
}

void gen_upper(char *dst, size_t cap, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
	dst[i] = '\0';
}
