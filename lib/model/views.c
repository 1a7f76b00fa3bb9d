/*
 * views.c - one domain as several DCs see it (spn/views.h): the union of
 * the DCs' views as a model of its own, which DC holds which value, and
 * the values the DCs disagree on.
 *
 * The union is built from entries, as any source builds a model: each
 * account and group of a view is handed back as the entry it was read
 * from (entry_of: the attributes the model keeps, integers as text, the
 * SID as "S-1-5-21-0-0-0-RID", the kind as objectClass), with the SPN
 * values of every view. So the union is classified and indexed exactly as
 * a model read from one DC would be.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/views.h"
#include "model_int.h"

struct spn_views {
	size_t n;
	const char **names;
	const char **domains;
	struct spn_model **models;
	struct spn_model *all;          /* the union */
	uint32_t **map;                 /* map[i][union account]: view i's account, or SPN_NONE */
	struct spn_view_diff *diffs;
	size_t ndiffs;
	uint8_t *holds;                 /* the diffs' rows, n bytes each */
};

/* ---- An account or group as the entry it came from ---- */

struct entry_bufs {
	char uac[24], pg[24], ac[24], et[24], pls[32], kvno[24], sid[48];
};

static const char *const kind_classes[][3] = {
	[SPN_KIND_USER] = {"user", NULL, NULL},
	[SPN_KIND_COMPUTER] = {"user", "computer", NULL},
	[SPN_KIND_DC] = {"user", "computer", NULL},
	[SPN_KIND_RODC] = {"user", "computer", NULL},
	[SPN_KIND_SMSA] = {"user", "computer", "msDS-ManagedServiceAccount"},
	[SPN_KIND_GMSA] = {"user", "computer", "msDS-GroupManagedServiceAccount"},
	[SPN_KIND_DMSA] = {"user", "computer", "msDS-DelegatedManagedServiceAccount"},
	[SPN_KIND_KRBTGT] = {"user", NULL, NULL},
	[SPN_KIND_TRUST] = {"user", NULL, NULL},
};

static bool add_s(struct spn_entry *e, enum spn_attr a, const char *s)
{
	return !s || spn_entry_add(e, a, s, strlen(s)) == SPN_OK;
}

static bool add_u(struct spn_entry *e, enum spn_attr a, char *buf, size_t cap, uint64_t v)
{
	snprintf(buf, cap, "%" PRIu64, v);
	return add_s(e, a, buf);
}

/* Every attribute of account a but its SPNs. */
static bool entry_of(const struct spn_account *a, struct spn_entry *e, struct entry_bufs *b)
{
	bool ok = true;
	e->dn = (struct spn_slice){a->dn, strlen(a->dn)};
	e->domain_hint = a->domain;
	if (a->kind != SPN_KIND_UNKNOWN && a->kind < sizeof(kind_classes) / sizeof(kind_classes[0]))
		for (int i = 0; i < 3 && kind_classes[a->kind][i]; i++)
			ok &= add_s(e, SPN_A_OBJECTCLASS, kind_classes[a->kind][i]);
	ok &= add_s(e, SPN_A_SAMACCOUNTNAME, a->sam) && add_s(e, SPN_A_USERPRINCIPALNAME, a->upn) &&
	      add_s(e, SPN_A_DNSHOSTNAME, a->dns_host);
	if (a->has & SPN_HAS_UAC)
		ok &= add_u(e, SPN_A_USERACCOUNTCONTROL, b->uac, sizeof(b->uac), a->uac);
	if (a->has & SPN_HAS_SID) {
		snprintf(b->sid, sizeof(b->sid), "S-1-5-21-0-0-0-%" PRIu32, a->rid);
		ok &= add_s(e, SPN_A_OBJECTSID, b->sid);
	}
	if (a->has & SPN_HAS_PRIMARYGROUP)
		ok &= add_u(e, SPN_A_PRIMARYGROUPID, b->pg, sizeof(b->pg), a->primary_group);
	if (a->has & SPN_HAS_ADMINCOUNT)
		ok &= add_u(e, SPN_A_ADMINCOUNT, b->ac, sizeof(b->ac), a->admin_count);
	if (a->has & SPN_HAS_ENCTYPES)
		ok &= add_u(e, SPN_A_SUPPORTEDENCTYPES, b->et, sizeof(b->et), a->enctypes);
	if (a->has & SPN_HAS_PWDLASTSET) {
		snprintf(b->pls, sizeof(b->pls), "%" PRId64, a->pwd_last_set);
		ok &= add_s(e, SPN_A_PWDLASTSET, b->pls);
	}
	if (a->has & SPN_HAS_KVNO)
		ok &= add_u(e, SPN_A_KEYVERSION, b->kvno, sizeof(b->kvno), a->kvno);
	for (uint32_t i = 0; i < a->n_member_of; i++)
		ok &= add_s(e, SPN_A_MEMBEROF, a->member_of[i]);
	for (uint32_t i = 0; i < a->n_delegate_to; i++)
		ok &= add_s(e, SPN_A_ALLOWEDTODELEGATETO, a->delegate_to[i]);
	if (a->allowed_to_act)
		ok &= spn_entry_add(e, SPN_A_ALLOWEDTOACT, (const char *)a->allowed_to_act,
		                    a->allowed_to_act_len) == SPN_OK;
	return ok;
}

static bool group_entry(const struct spn_group *g, struct spn_entry *e, struct entry_bufs *b)
{
	bool ok = add_s(e, SPN_A_OBJECTCLASS, "group");
	e->dn = (struct spn_slice){g->dn, strlen(g->dn)};
	e->domain_hint = g->domain;
	if (g->rid) {
		snprintf(b->sid, sizeof(b->sid), "S-1-5-21-0-0-0-%" PRIu32, g->rid);
		ok &= add_s(e, SPN_A_OBJECTSID, b->sid);
	}
	if (g->admin_count)
		ok &= add_s(e, SPN_A_ADMINCOUNT, "1");
	for (uint32_t i = 0; i < g->n_member_of; i++)
		ok &= add_s(e, SPN_A_MEMBEROF, g->member_of[i]);
	return ok;
}

/* ---- Which view holds what ---- */

static bool speaks_for(const struct spn_views *v, size_t i, const char *domain)
{
	return v->models[i] && strcasecmp(v->domains[i], domain) == 0;
}

/* Does model m hold s on its account acc? */
static bool model_holds(const struct spn_model *m, uint32_t acc, const char *s, size_t n)
{
	for (uint32_t id = spn_model_find_spn(m, s, n); id != SPN_NONE;
	     id = spn_model_value(m, id)->next_same)
		if (spn_model_value(m, id)->account == acc)
			return true;
	return false;
}

enum spn_view_holds spn_views_holds(const struct spn_views *v, size_t i, uint32_t account,
                                    const char *spn, size_t n)
{
	if (i >= v->n || account >= spn_model_naccounts(v->all))
		return SPN_VIEW_SILENT;
	if (!speaks_for(v, i, spn_model_account(v->all, account)->domain) || !v->map[i])
		return SPN_VIEW_SILENT;
	uint32_t acc = v->map[i][account];
	if (acc == SPN_NONE)
		return SPN_VIEW_NO;
	return model_holds(v->models[i], acc, spn, n) ? SPN_VIEW_YES : SPN_VIEW_NO;
}

/* ---- The union ---- */

struct building {
	struct spn_views *v;
	struct spn_entry e;
	struct entry_bufs b;
	uint32_t *ids;          /* per view: the account of the DN being added */
	uint16_t src;           /* the union's source of the view being added */
};

/* Add view i's account a (a DN no earlier view had) with every view's
 * SPN values. */
static enum spn_rc add_account(struct building *x, size_t i, uint32_t a, struct spn_err *err)
{
	struct spn_views *v = x->v;
	const struct spn_account *acc = spn_model_account(v->models[i], a);
	size_t dnlen = strlen(acc->dn);
	for (size_t j = 0; j < v->n; j++)
		x->ids[j] = j == i ? a : j < i || !v->models[j] ? SPN_NONE
		            : spn_model_find_dn(v->models[j], acc->dn, dnlen);
	spn_entry_reset(&x->e);
	if (!entry_of(acc, &x->e, &x->b))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t j = i; j < v->n; j++) {
		if (x->ids[j] == SPN_NONE)
			continue;
		const struct spn_model *m = v->models[j];
		const struct spn_account *aj = spn_model_account(m, x->ids[j]);
		for (uint32_t k = 0; k < aj->nspn; k++) {
			const struct spn_value *val = spn_model_value(m, aj->spn_first + k);
			bool seen = false;
			for (size_t p = i; p < j && !seen; p++)
				seen = x->ids[p] != SPN_NONE &&
				       model_holds(v->models[p], x->ids[p], val->str, val->len);
			if (!seen && spn_entry_add(&x->e, SPN_A_SERVICEPRINCIPALNAME, val->str, val->len))
				return spn_err_set(err, SPN_NOMEM, "out of memory");
		}
	}
	x->e.where = v->names[i];
	uint32_t id = (uint32_t)spn_model_naccounts(v->all);
	enum spn_rc rc = spn_model_add_entry(v->all, x->src, &x->e, err);
	if (rc || spn_model_naccounts(v->all) == id)
		return rc;   /* not kept (no SPNs, not a computer ...) */
	for (size_t j = 0; j < v->n; j++)
		if (x->ids[j] != SPN_NONE) {
			const struct spn_stamp *s = spn_model_spn_stamp(v->models[j], x->ids[j]);
			if (s && (rc = spn_model_set_spn_stamp(v->all, id, s, err)))
				return rc;
		}
	return SPN_OK;
}

static bool group_seen(const struct spn_views *v, size_t i, const char *dn)
{
	for (size_t p = 0; p < i; p++)
		if (v->models[p] && spn_model_find_group(v->models[p], dn) != SPN_NONE)
			return true;
	return false;
}

static enum spn_rc add_view(struct building *x, size_t i, struct spn_err *err)
{
	struct spn_views *v = x->v;
	const struct spn_model *m = v->models[i];
	enum spn_rc rc = SPN_OK;
	for (uint32_t a = 0; a < spn_model_naccounts(m) && rc == SPN_OK; a++) {
		const struct spn_account *acc = spn_model_account(m, a);
		bool seen = false;
		for (size_t p = 0; p < i && !seen; p++)
			seen = v->models[p] &&
			       spn_model_find_dn(v->models[p], acc->dn, strlen(acc->dn)) != SPN_NONE;
		if (!seen)
			rc = add_account(x, i, a, err);
	}
	for (uint32_t g = 0; g < spn_model_ngroups(m) && rc == SPN_OK; g++) {
		const struct spn_group *gr = spn_model_group(m, g);
		if (group_seen(v, i, gr->dn))
			continue;
		spn_entry_reset(&x->e);
		x->e.where = v->names[i];
		rc = group_entry(gr, &x->e, &x->b) ? spn_model_add_entry(v->all, x->src, &x->e, err)
		                                   : spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t k = 0; k < spn_model_ngaps(m) && rc == SPN_OK; k++)
		if (spn_model_add_gap(v->all, "%s", spn_model_gap(m, k)))
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	return rc;
}

/* The first read view's Directory Service settings (sPNMappings,
 * dSHeuristics): forest-wide, the same on every DC once replicated. */
static enum spn_rc settings(struct spn_views *v, struct spn_err *err)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct spn_model *m = v->models[i];
		if (!m || (!m->npending_mappings && !m->ds_heuristics))
			continue;
		struct spn_entry e;
		spn_entry_init(&e);
		static const char dn[] = "CN=Directory Service,CN=Windows NT,CN=Services,"
		                         "CN=Configuration,DC=invalid";
		e.dn = (struct spn_slice){dn, sizeof(dn) - 1};
		e.where = v->names[i];
		bool ok = add_s(&e, SPN_A_DSHEURISTICS, m->ds_heuristics);
		for (size_t k = 0; k < m->npending_mappings; k++)
			ok &= spn_entry_add(&e, SPN_A_SPNMAPPINGS, m->pending_mappings[k].p,
			                    m->pending_mappings[k].n) == SPN_OK;
		enum spn_rc rc = ok ? spn_model_add_entry(v->all, 0, &e, err)
		                    : spn_err_set(err, SPN_NOMEM, "out of memory");
		spn_entry_release(&e);
		return rc;
	}
	return SPN_OK;
}

enum spn_rc spn_views_build(struct spn_views **out, size_t n, const char *const *names,
                            const char *const *domains, struct spn_model *const *models,
                            unsigned model_flags, struct spn_err *err)
{
	struct spn_views *v = calloc(1, sizeof(*v));
	*out = NULL;
	if (!v)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	v->n = n;
	v->names = calloc(n ? n : 1, sizeof(*v->names));
	v->domains = calloc(n ? n : 1, sizeof(*v->domains));
	v->models = calloc(n ? n : 1, sizeof(*v->models));
	v->map = calloc(n ? n : 1, sizeof(*v->map));
	v->all = spn_model_new(model_flags);
	struct building x = {.v = v, .ids = calloc(n ? n : 1, sizeof(uint32_t))};
	spn_entry_init(&x.e);
	enum spn_rc rc = SPN_OK;
	if (!v->names || !v->domains || !v->models || !v->map || !v->all || !x.ids)
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; rc == SPN_OK && i < n; i++) {
		v->names[i] = names[i];
		v->domains[i] = domains[i];
		v->models[i] = models[i];
	}
	/* One source per DC read: its entries are counted there. */
	for (size_t i = 0; rc == SPN_OK && i < n; i++) {
		const struct spn_model *m = models[i];
		if (!m)
			continue;
		const char *name = spn_model_nsources(m) ? spn_model_source(m, 0)->name : names[i];
		if ((rc = spn_model_add_source(v->all, name, "ldap", &x.src, err)) == SPN_OK)
			rc = add_view(&x, i, err);
	}
	if (rc == SPN_OK)
		rc = settings(v, err);
	spn_entry_release(&x.e);
	free(x.ids);
	if (rc) {
		spn_views_free(v);
		return rc;
	}
	*out = v;
	return SPN_OK;
}

/* map[i][union account] for every view. */
static bool build_map(struct spn_views *v)
{
	size_t na = spn_model_naccounts(v->all);
	for (size_t i = 0; i < v->n; i++) {
		if (!(v->map[i] = malloc((na ? na : 1) * sizeof(uint32_t))))
			return false;
		for (uint32_t a = 0; a < na; a++) {
			const char *dn = spn_model_account(v->all, a)->dn;
			v->map[i][a] = v->models[i] ? spn_model_find_dn(v->models[i], dn, strlen(dn))
			                            : SPN_NONE;
		}
	}
	return true;
}

static bool push_diff(struct spn_views *v, uint32_t a, uint32_t val, const uint8_t *row,
                      size_t *cap)
{
	if (v->ndiffs == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct spn_view_diff *d = realloc(v->diffs, nc * sizeof(*d));
		uint8_t *h = realloc(v->holds, nc * (v->n ? v->n : 1));
		if (d)
			v->diffs = d;
		if (h)
			v->holds = h;
		if (!d || !h)
			return false;
		*cap = nc;
	}
	memcpy(v->holds + v->ndiffs * v->n, row, v->n);
	v->diffs[v->ndiffs++] = (struct spn_view_diff){a, val, NULL};
	return true;
}

static enum spn_rc find_diffs(struct spn_views *v, struct spn_err *err)
{
	uint8_t *row = malloc(v->n ? v->n : 1);
	size_t cap = 0;
	if (!row)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (uint32_t a = 0; a < spn_model_naccounts(v->all); a++) {
		const struct spn_account *acc = spn_model_account(v->all, a);
		for (uint32_t k = 0; k < acc->nspn; k++) {
			const struct spn_value *val = spn_model_value(v->all, acc->spn_first + k);
			bool no = false;
			for (size_t i = 0; i < v->n; i++) {
				row[i] = (uint8_t)spn_views_holds(v, i, a, val->str, val->len);
				no |= row[i] == SPN_VIEW_NO;
			}
			if (no && !push_diff(v, a, acc->spn_first + k, row, &cap)) {
				free(row);
				return spn_err_set(err, SPN_NOMEM, "out of memory");
			}
		}
	}
	free(row);
	for (size_t d = 0; d < v->ndiffs; d++)   /* the rows moved as they grew */
		v->diffs[d].holds = v->holds + d * v->n;
	return SPN_OK;
}

enum spn_rc spn_views_finish(struct spn_views *v, struct spn_err *err)
{
	enum spn_rc rc = spn_model_finish(v->all, err);
	if (rc)
		return rc;
	if (!build_map(v))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return find_diffs(v, err);
}

void spn_views_free(struct spn_views *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->map && i < v->n; i++)
		free(v->map[i]);
	free(v->map);
	free(v->names);
	free(v->domains);
	free(v->models);
	free(v->diffs);
	free(v->holds);
	spn_model_free(v->all);
	free(v);
}

struct spn_model *spn_views_union(struct spn_views *v)
{
	return v->all;
}

const struct spn_model *spn_views_union_c(const struct spn_views *v)
{
	return v->all;
}

const struct spn_model *spn_views_model(const struct spn_views *v, size_t i)
{
	return i < v->n ? v->models[i] : NULL;
}

size_t spn_views_count(const struct spn_views *v)
{
	return v->n;
}

const char *spn_views_name(const struct spn_views *v, size_t i)
{
	return i < v->n ? v->names[i] : NULL;
}

size_t spn_views_ndiffs(const struct spn_views *v)
{
	return v->ndiffs;
}

const struct spn_view_diff *spn_views_diff(const struct spn_views *v, size_t i)
{
	return i < v->ndiffs ? &v->diffs[i] : NULL;
}
