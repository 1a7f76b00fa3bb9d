/*
 * nc_search.c - one naming context searched for what the audit needs, on
 * one bound connection: the accounts and groups a check reads (two
 * disjoint searches, the server scanning for the second while the first
 * is read), or only the accounts and SPNs the user named and then the
 * other holders of the named accounts' SPNs; and the Directory Service
 * object (sPNMappings, dSHeuristics) of the configuration partition.
 * live.c (a server or each -T domain) and forest.c (the Global Catalog,
 * then each domain's DC) both search through here.
 *
 * Chosen accounts or SPN patterns (opts->accounts / spn_patterns) narrow
 * the search to escaped targeted filters; the SPNs of named accounts are
 * then looked up once more (in batches) so their duplicates and HOST-alias
 * conflicts on other accounts are read too - "setspn -L EXCH01 looks
 * clean" is exactly the case this tool exists for.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap_int.h"

const enum spn_attr spn_nc_account_attrs[] = {
	SPN_A_OBJECTCLASS, SPN_A_SAMACCOUNTNAME, SPN_A_USERPRINCIPALNAME, SPN_A_DNSHOSTNAME,
	SPN_A_SERVICEPRINCIPALNAME, SPN_A_USERACCOUNTCONTROL, SPN_A_ADMINCOUNT,
	SPN_A_PRIMARYGROUPID, SPN_A_MEMBEROF, SPN_A_ALLOWEDTODELEGATETO,
	SPN_A_SUPPORTEDENCTYPES, SPN_A_PWDLASTSET, SPN_A_OBJECTSID, SPN_A_KEYVERSION,
	SPN_A_ALLOWEDTOACT,
};
const size_t spn_nc_naccount_attrs = sizeof(spn_nc_account_attrs) / sizeof(spn_nc_account_attrs[0]);

#define HOLDER_BATCH 64   /* SPNs per holder search: short filters, few round trips */

/* ---- A set of DNs (targeted mode: do not hand an account in twice) ---- */

struct dnset {
	char **v;                 /* the DNs, malloc'd */
	size_t n, cap;
	struct spn_table table;   /* DN (any case) -> index into v */
};

/* Room for one more DN. */
static bool dnset_reserve(struct dnset *d)
{
	if (!spn_table_reserve(&d->table, 1))
		return false;
	if (d->n < d->cap)
		return true;
	size_t cap = d->cap ? d->cap * 2 : 32;
	char **v = realloc(d->v, cap * sizeof(*v));
	if (!v)
		return false;
	d->v = v;
	d->cap = cap;
	return true;
}

/* Add; *added says whether it was new. false on NOMEM. */
static bool dnset_add(struct dnset *d, const char *s, size_t n, bool *added)
{
	if (!dnset_reserve(d))
		return false;
	uint32_t tag = spn_hash_tag(spn_hash_lower(s, n));
	size_t at;
	*added = false;
	for (uint32_t id = spn_table_first(&d->table, tag, &at); id != SPN_TABLE_NONE;
	     id = spn_table_next(&d->table, tag, &at))
		if (strlen(d->v[id]) == n && strncasecmp(d->v[id], s, n) == 0)
			return true;
	if (!(d->v[d->n] = strndup(s, n)))
		return false;
	spn_table_put(&d->table, at, tag, (uint32_t)d->n++);
	*added = true;
	return true;
}

static void dnset_release(struct dnset *d)
{
	spn_strv_free(d->v, d->n);
	spn_table_release(&d->table);
	d->v = NULL;
	d->n = d->cap = 0;
}

/* ---- Handing entries to the model ---- */

struct load {
	struct spn_model *m;
	uint16_t src;
	spn_nc_sink sink;       /* where entries go: the model, or forest.c's stash */
	void *sinkctx;
	const struct spn_live_opts *o;
	struct dnset seen;        /* targeted mode only */
	bool targeted;
	char **spns;              /* SPNs of the named accounts, for the holder pass */
	size_t nspns, capspns;
};

/* Does the entry stand for one of the accounts the user named? */
static bool named(const struct spn_live_opts *o, const struct spn_entry *e)
{
	for (size_t i = 0; i < o->naccounts; i++) {
		const char *name = o->accounts[i];
		size_t n = strlen(name);
		if (e->dn.n == n && strncasecmp(e->dn.p, name, n) == 0)
			return true;
		const struct spn_values *u = &e->attr[SPN_A_USERPRINCIPALNAME];
		if (u->n && u->v[0].n == n && strncasecmp(u->v[0].p, name, n) == 0)
			return true;
		const char *bs = memchr(name, '\\', n);
		if (bs) {
			n -= (size_t)(bs + 1 - name);
			name = bs + 1;
		}
		if (n && name[n - 1] == '$')
			n--;
		const struct spn_values *s = &e->attr[SPN_A_SAMACCOUNTNAME];
		if (s->n) {
			size_t sn = s->v[0].n;
			if (sn && s->v[0].p[sn - 1] == '$')
				sn--;
			if (sn == n && strncasecmp(s->v[0].p, name, n) == 0)
				return true;
		}
	}
	return false;
}

static enum spn_rc to_model(void *ctx, const struct spn_entry *e, struct spn_err *err)
{
	struct load *l = ctx;
	if (l->targeted) {
		bool added;
		if (!dnset_add(&l->seen, e->dn.p, e->dn.n, &added))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		if (!added)
			return SPN_OK;
		const struct spn_values *v = &e->attr[SPN_A_SERVICEPRINCIPALNAME];
		if (v->n && named(l->o, e)) {
			for (size_t i = 0; i < v->n; i++) {
				if (l->nspns == l->capspns) {
					size_t cap = l->capspns ? l->capspns * 2 : 32;
					char **nv = realloc(l->spns, cap * sizeof(*nv));
					if (!nv)
						return spn_err_set(err, SPN_NOMEM, "out of memory");
					l->spns = nv;
					l->capspns = cap;
				}
				l->spns[l->nspns] = strndup(v->v[i].p, v->v[i].n);
				if (!l->spns[l->nspns])
					return spn_err_set(err, SPN_NOMEM, "out of memory");
				l->nspns++;
			}
		}
	}
	if (l->sink)
		return l->sink(l->sinkctx, e, err);
	return spn_model_add_entry(l->m, l->src, e, err);
}

/* ---- The Directory Service object ---- */

static enum spn_rc ds_entry(void *ctx, const struct spn_entry *e, struct spn_err *err)
{
	struct load *l = ctx;
	return spn_model_add_entry(l->m, l->src, e, err);
}

enum spn_rc spn_nc_read_ds(struct spn_conn *c, const char *config_nc, struct spn_model *m,
                           uint16_t src, struct spn_err *err)
{
	static const enum spn_attr attrs[] = {SPN_A_SPNMAPPINGS, SPN_A_DSHEURISTICS};
	if (!config_nc)
		return SPN_OK;   /* not AD: the built-in alias table applies */
	struct spn_buf base;
	spn_buf_init(&base, SPN_LDAP_STR_MAX);
	spn_buf_addf(&base, "CN=Directory Service,CN=Windows NT,CN=Services,%s", config_nc);
	if (!spn_buf_str(&base))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct load l = {.m = m, .src = src};
	struct spn_search s = {
		.what = "sPNMappings and dSHeuristics",
		.base = spn_buf_str(&base),
		.scope = LDAP_SCOPE_BASE,
		.filter = "(objectClass=*)",
		.attrs = attrs,
		.nattrs = 2,
		.entry = ds_entry,
		.ctx = &l,
		.missing_ok = true,
	};
	struct spn_search_stats st;
	enum spn_rc rc = spn_search_run(c, &s, m, &st, err);
	spn_buf_release(&base);
	return rc;
}

/* ---- Searching one naming context ---- */

static enum spn_rc holders_pass(struct spn_conn *c, const char *base, struct load *l,
                                struct spn_progress *pr, struct spn_err *err)
{
	enum spn_rc result = SPN_OK;
	for (size_t i = 0; i < l->nspns; i += HOLDER_BATCH) {
		struct spn_buf f;
		spn_buf_init(&f, SPN_LDAP_STR_MAX);
		spn_buf_adds(&f, "(|");
		for (size_t j = i; j < l->nspns && j < i + HOLDER_BATCH; j++)
			spn_filter_spn_terms(&f, l->spns[j], strlen(l->spns[j]), false);
		spn_buf_adds(&f, ")");
		if (!spn_buf_str(&f)) {
			spn_buf_release(&f);
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		}
		struct spn_search s = {
			.what = "other holders of the accounts' SPNs",
			.base = base,
			.scope = LDAP_SCOPE_SUBTREE,
			.filter = spn_buf_str(&f),
			.attrs = spn_nc_account_attrs,
			.nattrs = spn_nc_naccount_attrs,
			.page_size = spn_page_size(l->o),
			.range_step = l->o->range_step,
			.entry = to_model,
			.ctx = l,
			.progress = pr,
		};
		struct spn_search_stats st;
		enum spn_rc rc = spn_search_run(c, &s, l->m, &st, err);
		spn_buf_release(&f);
		if (rc == SPN_INCOMPLETE) {
			result = rc;
			if (c->down)
				break;
		} else if (rc) {
			return rc;
		}
	}
	return result;
}

enum spn_rc spn_nc_search(struct spn_conn *c, const char *base, const char *hint,
                          uint16_t src, spn_nc_sink sink, void *sinkctx,
                          const struct spn_live_opts *o, struct spn_model *m,
                          struct spn_progress *pr, struct spn_err *err)
{
	struct load l = {.m = m, .src = src, .o = o, .sink = sink, .sinkctx = sinkctx};
	struct spn_buf f;
	spn_buf_init(&f, SPN_LDAP_STR_MAX);
	l.targeted = o->naccounts || o->npatterns;
	if (l.targeted)
		spn_filter_targets(&f, o->accounts, o->naccounts, o->spn_patterns, o->npatterns);
	else
		spn_buf_adds(&f, spn_filter_audit_spn());
	if (!spn_buf_str(&f))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct spn_search s = {
		.what = l.targeted ? "the named accounts and SPNs" : "accounts with SPNs",
		.base = base,
		.scope = LDAP_SCOPE_SUBTREE,
		.filter = spn_buf_str(&f),
		.attrs = spn_nc_account_attrs,
		.nattrs = spn_nc_naccount_attrs,
		.page_size = spn_page_size(o),
		.range_step = o->range_step,
		.domain_hint = hint,
		.entry = to_model,
		.ctx = &l,
		.progress = pr,
	};
	/* The whole directory: the second search goes out first, on a second
	 * connection (OpenLDAP keeps one paged search per connection), so the
	 * server scans for it while the SPN holders are read; it is read after
	 * them, so entries reach the model in the same order every time. If a
	 * second connection cannot be had, it runs after the first. */
	struct spn_search rest = s;
	rest.what = "the other accounts and groups an audit reads";
	rest.filter = spn_filter_audit_rest();
	struct spn_search_stats st, st_rest;
	struct spn_running *running = NULL;
	struct spn_conn c2;
	struct spn_err e2;
	enum spn_rc rc = SPN_OK, rc_start = SPN_OK, rc_rest = SPN_OK;
	bool two = false;
	memset(&c2, 0, sizeof(c2));
	spn_err_init(&e2);
	if (!l.targeted && spn_conn_again(&c2, c, o, &e2) == SPN_OK) {
		two = true;
		rc_start = spn_search_start(&c2, &rest, m, &st_rest, &running, err);
	}
	if (rc_start == SPN_OK)
		rc = spn_search_run(c, &s, m, &st, err);
	if (two) {
		rc_rest = spn_search_finish(running, err);
		if (rc_start != SPN_OK)
			rc_rest = rc_start;
		spn_conn_close(&c2);
	} else if (!l.targeted && (rc == SPN_OK || rc == SPN_INCOMPLETE) && !c->down) {
		rc_rest = spn_search_run(c, &rest, m, &st_rest, err);
	}
	spn_buf_release(&f);
	if (rc == SPN_OK || (rc == SPN_INCOMPLETE && rc_rest != SPN_OK))
		rc = rc_rest;
	if ((rc == SPN_OK || rc == SPN_INCOMPLETE) && l.nspns && !c->down) {
		enum spn_rc r2 = holders_pass(c, base, &l, pr, err);
		if (r2 != SPN_OK && (rc == SPN_OK || r2 != SPN_INCOMPLETE))
			rc = r2;
	}
	dnset_release(&l.seen);
	spn_strv_free(l.spns, l.nspns);
	return rc;
}
