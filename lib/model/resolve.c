/*
 * resolve.c - the KDC resolution simulator: which account a KDC would issue
 * a service ticket under for a name, step by step, and what the client sees.
 *
 * Follows MS-KILE 3.3.5.1.1, MS-DRSR LookupSPN/MapSPN and Samba's db-glue /
 * cracknames, per domain (a KDC searches only its own domain):
 *   1. a userPrincipalName equal to the name (Windows; Samba does not);
 *   2. the exact servicePrincipalName, compared without regard to case;
 *   3. if nobody holds it and the class is a HOST alias in sPNMappings,
 *      HOST/<host> (the first two components, as Samba maps them);
 *   4. count the holders and predict: a ticket, "not found", "not unique"
 *      (both KDC_ERR_S_PRINCIPAL_UNKNOWN), or a ticket for the wrong key
 *      (KRB_AP_ERR_MODIFIED) when an explicit SPN on one account shadows
 *      HOST/<host> on another, a UPN and an SPN disagree, or the same SPN
 *      lives in another domain too.
 * Interactive use: linear scans of the accounts (UPNs, computer names) are
 * fine here; the index answers the SPN lookups.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/resolve.h"

#define MAX_STEPS 16
#define MAX_LIST 8     /* accounts named in one step */

const char *spn_outcome_name(enum spn_outcome o)
{
	switch (o) {
	case SPN_OUTCOME_TICKET: return "ticket";
	case SPN_OUTCOME_WRONG_KEY: return "wrong-key";
	case SPN_OUTCOME_NOT_FOUND: return "not-found";
	case SPN_OUTCOME_NOT_UNIQUE: return "not-unique";
	case SPN_OUTCOME_MALFORMED: return "malformed";
	}
	return "unknown";
}

void spn_resolutions_init(struct spn_resolutions *r)
{
	r->v = NULL;
	r->n = r->cap = 0;
	spn_arena_init(&r->arena);
}

void spn_resolutions_release(struct spn_resolutions *r)
{
	free(r->v);
	spn_arena_release(&r->arena);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* One resolution being written: steps go to the arena as they are made. */
struct work {
	struct spn_resolutions *out;
	struct spn_resolution res;
	const char *steps[MAX_STEPS];
	size_t nsteps;
	bool nomem;
};

static char *vfmt(struct spn_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	char *s = len < 0 ? NULL : spn_arena_alloc(a, (size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	return s;
}

static const char *fmt(struct work *w, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(struct work *w, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = vfmt(&w->out->arena, f, ap);
	va_end(ap);
	if (!s)
		w->nomem = true;
	return s;
}

static void step(struct work *w, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void step(struct work *w, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = vfmt(&w->out->arena, f, ap);
	va_end(ap);
	if (!s)
		w->nomem = true;
	else if (w->nsteps < MAX_STEPS)
		w->steps[w->nsteps++] = s;
}

static enum spn_rc finish_work(struct work *w, struct spn_err *err)
{
	struct spn_resolutions *out = w->out;
	if (!w->nomem && w->nsteps) {
		const char **v = spn_arena_alloc(&out->arena, w->nsteps * sizeof(*v));
		if (v) {
			memcpy(v, w->steps, w->nsteps * sizeof(*v));
			w->res.steps = v;
			w->res.nsteps = w->nsteps;
		} else {
			w->nomem = true;
		}
	}
	if (!w->nomem && out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 4;
		struct spn_resolution *v = realloc(out->v, cap * sizeof(*v));
		if (v) {
			out->v = v;
			out->cap = cap;
		} else {
			w->nomem = true;
		}
	}
	if (w->nomem)
		return spn_err_set(err, SPN_NOMEM, "out of memory resolving a name");
	out->v[out->n++] = w->res;
	return SPN_OK;
}

/* ---- Holders ---- */

struct ids {
	uint32_t v[64];   /* enough for a prediction; n counts them all */
	size_t n;
};

static void ids_add(const struct spn_model *m, struct ids *s, uint32_t acc)
{
	const struct spn_account *a = spn_model_account(m, acc);
	size_t kept = s->n < 64 ? s->n : 64;
	for (size_t i = 0; i < kept; i++)
		if (s->v[i] == acc || strcasecmp(spn_model_account(m, s->v[i])->dn, a->dn) == 0)
			return;
	if (s->n < 64)
		s->v[s->n] = acc;
	s->n++;
}

/* Holders of the SPN spelled name[0..n): in domain d into in, elsewhere into
 * out (may be NULL); the first stored spelling into *stored. */
static void holders(const struct spn_model *m, const char *name, size_t n, const char *d,
                    struct ids *in, struct ids *other, const char **stored)
{
	in->n = 0;
	if (other)
		other->n = 0;
	*stored = NULL;
	for (uint32_t v = spn_model_find_spn(m, name, n); v != SPN_NONE;
	     v = spn_model_value(m, v)->next_same) {
		const struct spn_value *val = spn_model_value(m, v);
		const struct spn_account *a = spn_model_account(m, val->account);
		if (strcmp(a->domain, d) == 0) {
			if (!*stored)
				*stored = val->str;
			ids_add(m, in, val->account);
		} else if (other) {
			ids_add(m, other, val->account);
		}
	}
}

/* "CN=a,... and CN=b,..." for a step. */
static const char *list(struct work *w, const struct spn_model *m, const struct ids *s,
                        bool with_domain)
{
	char buf[4096];
	size_t k = 0;
	size_t shown = s->n < MAX_LIST ? s->n : MAX_LIST;
	buf[0] = '\0';
	for (size_t i = 0; i < shown && k < sizeof(buf); i++) {
		const struct spn_account *a = spn_model_account(m, s->v[i]);
		int r = snprintf(buf + k, sizeof(buf) - k, "%s%s%s%s%s",
		                 i ? (i + 1 == shown && shown == s->n ? " and " : ", ") : "", a->dn,
		                 with_domain ? " (" : "", with_domain ? a->domain : "",
		                 with_domain ? ")" : "");
		if (r < 0)
			break;
		k += (size_t)r;
	}
	if (k >= sizeof(buf))
		k = sizeof(buf) - 1;
	if (shown < s->n)
		return fmt(w, "%.*s and %zu more", (int)k, buf, s->n - shown);
	return fmt(w, "%.*s", (int)k, buf);
}

static const char *spn_account_name_or_dn(const struct spn_account *a)
{
	return a->sam ? a->sam : a->dn;
}

static const char *dname(const char *d)
{
	return d[0] ? d : "(accounts without a domain)";
}

/* Accounts of domain d whose userPrincipalName is name or name@<d>. */
static void upn_matches(const struct spn_model *m, const char *name, const char *d, struct ids *s)
{
	size_t n = strlen(name), dn = strlen(d);
	s->n = 0;
	for (uint32_t i = 0; i < spn_model_naccounts(m); i++) {
		const struct spn_account *a = spn_model_account(m, i);
		if (!a->upn || strcmp(a->domain, d) != 0)
			continue;
		size_t un = strlen(a->upn);
		bool hit = strcasecmp(a->upn, name) == 0 ||
		           (dn && un == n + 1 + dn && strncasecmp(a->upn, name, n) == 0 &&
		            a->upn[n] == '@' && strcasecmp(a->upn + n + 1, d) == 0);
		if (hit)
			ids_add(m, s, i);
	}
}

/* Samba's host/ lookup also matches (&(cn=<first label>)(objectClass=computer)). */
static uint32_t computer_named(const struct spn_model *m, const char *host, size_t hn, const char *d)
{
	const char *dot = memchr(host, '.', hn);
	size_t ln = dot ? (size_t)(dot - host) : hn;
	for (uint32_t i = 0; i < spn_model_naccounts(m); i++) {
		const struct spn_account *a = spn_model_account(m, i);
		enum spn_kind k = (enum spn_kind)a->kind;
		if (k != SPN_KIND_COMPUTER && k != SPN_KIND_DC && k != SPN_KIND_RODC &&
		    k != SPN_KIND_SMSA && k != SPN_KIND_GMSA && k != SPN_KIND_DMSA)
			continue;
		if (strcmp(a->domain, d) != 0 || strncasecmp(a->dn, "CN=", 3) != 0)
			continue;
		if (strncasecmp(a->dn + 3, host, ln) == 0 && (a->dn[3 + ln] == ',' || a->dn[3 + ln] == '\0'))
			return i;
	}
	return SPN_NONE;
}

static bool in_ids(const struct spn_model *m, const struct ids *s, uint32_t acc)
{
	size_t kept = s->n < 64 ? s->n : 64;
	for (size_t i = 0; i < kept; i++)
		if (s->v[i] == acc ||
		    strcasecmp(spn_model_account(m, s->v[i])->dn, spn_model_account(m, acc)->dn) == 0)
			return true;
	return false;
}

/* ---- One domain ---- */

static enum spn_rc resolve_in(const struct spn_model *m, const char *name, const struct spn_parts *p,
                              const char *d, const char *why, struct spn_resolutions *out,
                              struct spn_err *err)
{
	struct work w = {.out = out};
	struct ids upn, exact, other, alias, alias_other;
	const char *stored = NULL, *alias_stored = NULL;
	const char *alias_name = NULL;
	const char *target = NULL;
	size_t n = strlen(name);

	w.res.spn = fmt(&w, "%s", name);
	w.res.domain = fmt(&w, "%s", d);
	w.res.account = SPN_NONE;
	step(&w, "%s", why);

	/* 1. UPN */
	upn_matches(m, name, d, &upn);
	if (upn.n == 0)
		step(&w, "No account in %s has %s as its userPrincipalName (a Windows KDC checks that "
		     "first).", dname(d), name);
	else
		step(&w, "userPrincipalName match in %s: %s (a Windows KDC checks the UPN first; "
		     "Samba's KDC does not).", dname(d), list(&w, m, &upn, false));

	/* 2. exact SPN */
	holders(m, name, n, d, &exact, &other, &stored);
	if (exact.n == 0)
		step(&w, "No account in %s holds the SPN %s.", dname(d), name);
	else if (exact.n == 1)
		step(&w, "Exact SPN match in %s: %s holds %s.", dname(d), list(&w, m, &exact, false),
		     stored);
	else
		step(&w, "Exact SPN match in %s: %zu accounts hold %s: %s.", dname(d), exact.n, name,
		     list(&w, m, &exact, false));
	if (other.n)
		step(&w, "It is also registered in another domain: %s.", list(&w, m, &other, true));

	/* 3. HOST alias */
	const struct spn_alias_table *at = spn_model_aliases(m);
	const char *from = spn_model_aliases_from_directory(m) ? "the directory's sPNMappings"
	                                                       : "the default sPNMappings";
	struct spn_alias_key key;
	target = spn_alias_key(at, name, n, &key) ? key.target : NULL;
	alias.n = alias_other.n = 0;
	if (target) {
		alias_name = fmt(&w, "%s/%.*s", target, (int)key.host.n, key.host.p);
		if (alias_name)
			holders(m, alias_name, strlen(alias_name), d, &alias, &alias_other, &alias_stored);
	}
	if (exact.n == 0) {
		if (!target) {
			step(&w, "%.*s is not a HOST alias in %s, so there is nothing to fall back to.",
			     (int)p->cls.n, p->cls.p, from);
		} else if (alias.n == 0) {
			step(&w, "%.*s is an alias of %s in %s, so the KDC tries %s: no account in %s "
			     "holds it either.", (int)p->cls.n, p->cls.p, target, from, alias_name, dname(d));
		} else {
			step(&w, "%.*s is an alias of %s in %s, so the KDC tries %s: %s.", (int)p->cls.n,
			     p->cls.p, target, from, alias_name, list(&w, m, &alias, false));
		}
	}

	/* Samba's extra match by computer name for 2-part host/ lookups. */
	const struct ids *found = exact.n ? &exact : &alias;
	const char *looked = exact.n ? name : alias_name;
	const char *hostq = NULL;
	if (p->ncomp == 2 && p->cls.n == 4 && strncasecmp(p->cls.p, "host", 4) == 0)
		hostq = name;
	else if (!exact.n && target && strcasecmp(target, "host") == 0)
		hostq = alias_name;
	if (hostq) {
		uint32_t c = computer_named(m, p->host.p, p->host.n, d);
		if (c != SPN_NONE && !in_ids(m, found, c) && found->n == 0)
			step(&w, "A Samba KDC also matches the computer %s by its name (cn) when it looks up "
			     "%s, so it issues the ticket for that computer.", spn_model_account(m, c)->dn,
			     hostq);
		else if (c != SPN_NONE && !in_ids(m, found, c))
			step(&w, "A Samba KDC also matches the computer %s by its name (cn) when it looks up "
			     "%s, so it finds %zu accounts and refuses the name as not unique.",
			     spn_model_account(m, c)->dn, hostq, found->n + 1);
	}

	/* 4. Predict. */
	w.res.kerberos_error = NULL;
	if (upn.n > 1 || (upn.n == 0 && found->n > 1)) {
		const struct ids *s = upn.n > 1 ? &upn : found;
		w.res.outcome = SPN_OUTCOME_NOT_UNIQUE;
		w.res.matched = fmt(&w, "%s", upn.n > 1 ? name : looked);
		w.res.kerberos_error = "KDC_ERR_S_PRINCIPAL_UNKNOWN";
		w.res.summary = fmt(&w, "Server not found in Kerberos database: %zu accounts in %s match "
		                    "%s, so the KDC refuses it (KDC_ERR_S_PRINCIPAL_UNKNOWN; a Windows KDC "
		                    "logs event 11).", s->n, dname(d), w.res.matched);
		return finish_work(&w, err);
	}
	if (upn.n == 0 && found->n == 0) {
		w.res.outcome = SPN_OUTCOME_NOT_FOUND;
		w.res.matched = NULL;
		w.res.kerberos_error = "KDC_ERR_S_PRINCIPAL_UNKNOWN";
		w.res.summary = fmt(&w, "Server not found in Kerberos database: nothing in %s answers to "
		                    "%s (KDC_ERR_S_PRINCIPAL_UNKNOWN); Windows clients fall back to NTLM.",
		                    dname(d), name);
		if (other.n || alias_other.n)
			step(&w, "A client gets a ticket only from the KDC of the domain that holds it (by "
			     "asking that realm or following a referral).");
		return finish_work(&w, err);
	}

	uint32_t spn_acc = found->n ? found->v[0] : SPN_NONE;
	const char *spn_stored = exact.n ? stored : alias_stored;
	if (upn.n == 1 && spn_acc != SPN_NONE && !in_ids(m, &upn, spn_acc)) {
		w.res.outcome = SPN_OUTCOME_WRONG_KEY;
		w.res.account = upn.v[0];
		w.res.matched = spn_model_account(m, upn.v[0])->upn;
		w.res.kerberos_error = "KRB_AP_ERR_MODIFIED";
		step(&w, "The UPN and the SPN name different accounts: a Windows KDC issues the ticket for "
		     "%s, a Samba KDC for %s.", spn_model_account(m, upn.v[0])->dn,
		     spn_model_account(m, spn_acc)->dn);
		w.res.summary = fmt(&w, "Ticket for %s on a Windows KDC, but the service runs as %s (which "
		                    "holds the SPN) and cannot decrypt it: KRB_AP_ERR_MODIFIED.",
		                    spn_model_account(m, upn.v[0])->dn, spn_model_account(m, spn_acc)->dn);
		return finish_work(&w, err);
	}
	if (spn_acc == SPN_NONE) {
		/* UPN only. */
		w.res.outcome = SPN_OUTCOME_TICKET;
		w.res.account = upn.v[0];
		w.res.matched = spn_model_account(m, upn.v[0])->upn;
		step(&w, "Only the userPrincipalName matches: a Samba KDC, which does not look service "
		     "names up by UPN, answers KDC_ERR_S_PRINCIPAL_UNKNOWN instead.");
		w.res.summary = fmt(&w, "Ticket for %s (by userPrincipalName, Windows KDCs only), encrypted "
		                    "with its key.", spn_model_account(m, upn.v[0])->dn);
		return finish_work(&w, err);
	}

	const struct spn_account *x = spn_model_account(m, spn_acc);
	w.res.account = spn_acc;
	w.res.matched = spn_stored;
	if (spn_account_disabled(x))
		step(&w, "%s is disabled, so no service can be running as it.", x->dn);
	if (p->ncomp == 3 && x->kind != SPN_KIND_DC && x->kind != SPN_KIND_RODC && exact.n &&
	    strlen(d) == p->service.n && strncasecmp(p->service.p, d, p->service.n) == 0)
		step(&w, "The third part names the domain and %s is not a DC: a Samba KDC refuses this "
		     "name (KDC_ERR_S_PRINCIPAL_UNKNOWN).", spn_account_name_or_dn(x));

	/* An explicit alias-class SPN that shadows HOST/<host> of another account. */
	if (exact.n && target && alias.n && !in_ids(m, &alias, spn_acc)) {
		w.res.outcome = SPN_OUTCOME_WRONG_KEY;
		w.res.kerberos_error = "KRB_AP_ERR_MODIFIED";
		step(&w, "The explicit SPN wins over the alias: %s is on %s, so the ticket is not for %s.",
		     alias_name, list(&w, m, &alias, false), spn_model_account(m, alias.v[0])->dn);
		w.res.summary = fmt(&w, "Ticket for %s, encrypted with its key; a %.*s service on %.*s that "
		                    "runs as %s (the holder of %s) cannot decrypt it: KRB_AP_ERR_MODIFIED.",
		                    x->dn, (int)p->cls.n, p->cls.p, (int)p->host.n, p->host.p,
		                    spn_account_name_or_dn(spn_model_account(m, alias.v[0])), alias_name);
		return finish_work(&w, err);
	}
	/* The same SPN in other domains: the ticket depends on the realm asked. */
	const struct ids *twins = exact.n ? &other : &alias_other;
	if (twins->n) {
		w.res.outcome = SPN_OUTCOME_WRONG_KEY;
		w.res.kerberos_error = "KRB_AP_ERR_MODIFIED";
		w.res.summary = fmt(&w, "Ticket for %s from the KDC of %s, but %s is also registered in "
		                    "another domain: a client that asks that realm gets a ticket for %s, "
		                    "which the service cannot decrypt if it runs as %s "
		                    "(KRB_AP_ERR_MODIFIED).", x->dn, dname(d), looked,
		                    spn_model_account(m, twins->v[0])->dn, spn_account_name_or_dn(x));
		return finish_work(&w, err);
	}
	w.res.outcome = SPN_OUTCOME_TICKET;
	w.res.summary = fmt(&w, "Ticket for %s, encrypted with its key.", x->dn);
	return finish_work(&w, err);
}

/* ---- Entry ---- */

static enum spn_rc malformed(const char *name, const char *d, enum spn_syntax syn,
                             struct spn_resolutions *out, struct spn_err *err)
{
	struct work w = {.out = out};
	w.res.spn = fmt(&w, "%s", name);
	w.res.domain = fmt(&w, "%s", d ? d : "");
	w.res.outcome = SPN_OUTCOME_MALFORMED;
	w.res.account = SPN_NONE;
	step(&w, "%s is not an SPN: it %s.", name, spn_syntax_text(syn));
	if (syn == SPN_SYNTAX_ONE_PART)
		step(&w, "A one-part name is looked up as an account name (sAMAccountName), not as a "
		     "service principal name.");
	w.res.summary = fmt(&w, "Not an SPN (%s): a KDC cannot look it up as one.", spn_syntax_text(syn));
	return finish_work(&w, err);
}

static const char *find_domain(const struct spn_model *m, const char *d, size_t n)
{
	for (size_t i = 0; i < spn_model_ndomains(m); i++) {
		const char *x = spn_model_domain(m, i);
		if (strlen(x) == n && strncasecmp(x, d, n) == 0)
			return x;
	}
	return NULL;
}

enum spn_rc spn_resolve(const struct spn_model *m, const char *spn, const char *domain,
                        struct spn_resolutions *out, struct spn_err *err)
{
	char name[1024];
	const char *realm = NULL;
	size_t n = strlen(spn);
	if (n >= sizeof(name))
		return spn_err_set(err, SPN_USAGE, "'%.40s...': a name of %zu bytes is too long", spn, n);
	memcpy(name, spn, n + 1);
	/* "HTTP/web01@CORP.EXAMPLE": the realm picks the KDC. */
	char *at = strrchr(name, '@');
	if (at && at[1] && !strchr(at, '/')) {
		*at = '\0';
		realm = at + 1;
		n = (size_t)(at - name);
	}
	const char *d = NULL;
	if (domain) {
		d = find_domain(m, domain, strlen(domain));
		if (!d)
			return spn_err_set(err, SPN_USAGE, "domain '%s' is not in the snapshot", domain);
	} else if (realm) {
		d = find_domain(m, realm, strlen(realm));
		if (!d)
			return spn_err_set(err, SPN_USAGE, "realm '%s' of '%s' is not a domain of the snapshot",
			                   realm, spn);
	}
	struct spn_parts p;
	enum spn_syntax syn = spn_parse(name, n, &p);
	if (syn != SPN_SYNTAX_OK)
		return malformed(name, d, syn, out, err);

	char why[1024];
	if (d) {
		snprintf(why, sizeof(why), "%s the KDC of %s.", domain ? "Asking" :
		         "The name carries the realm, so asking", dname(d));
		return resolve_in(m, name, &p, d, why, out, err);
	}
	/* The domain whose DNS name is the longest suffix of the host. */
	size_t hn = p.host.n;
	while (hn && p.host.p[hn - 1] == '.')
		hn--;
	const char *best = NULL;
	size_t bestn = 0;
	for (size_t i = 0; i < spn_model_ndomains(m); i++) {
		const char *x = spn_model_domain(m, i);
		size_t xn = strlen(x);
		if (!xn || xn > hn || xn <= bestn)
			continue;
		if (strncasecmp(p.host.p + hn - xn, x, xn) == 0 && (xn == hn || p.host.p[hn - xn - 1] == '.')) {
			best = x;
			bestn = xn;
		}
	}
	if (best) {
		snprintf(why, sizeof(why), "%.*s is in %s, so that domain's KDC answers.", (int)hn,
		         p.host.p, best);
		return resolve_in(m, name, &p, best, why, out, err);
	}
	if (spn_model_ndomains(m) == 0) {
		snprintf(why, sizeof(why), "The snapshot holds no domain.");
		return resolve_in(m, name, &p, "", why, out, err);
	}
	for (size_t i = 0; i < spn_model_ndomains(m); i++) {
		const char *x = spn_model_domain(m, i);
		snprintf(why, sizeof(why), "%.*s is in no domain of the snapshot by name, so each domain's "
		         "KDC is asked; this is the answer of %s.", (int)hn, p.host.p, dname(x));
		enum spn_rc rc = resolve_in(m, name, &p, x, why, out, err);
		if (rc)
			return rc;
	}
	return SPN_OK;
}
