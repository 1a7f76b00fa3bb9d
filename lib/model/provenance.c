/*
 * provenance.c - where and when SPNs were written: the domain controllers
 * of the nTDSDSA objects (invocationId -> name) and, per account, the
 * stamp of servicePrincipalName's last originating write from
 * replPropertyMetaData (spn/replmeta.h). Both arrive as entries (a live
 * read or a snapshot) or, for stamps, after the load from each DC
 * (spn_model_set_spn_stamp); reports show them with the findings.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model_int.h"

static bool grow(void **v, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, nc * elem);
	if (!p)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

/* ---- DCs ---- */

/* "DC2" of "CN=NTDS Settings,CN=DC2,CN=Servers,...": the second RDN's
 * value; *n 0 when the DN has no such shape. */
static const char *server_cn(const char *dn, size_t len, size_t *n)
{
	*n = 0;
	size_t i = 0;
	while (i < len && dn[i] != ',')
		i += dn[i] == '\\' ? 2 : 1;
	if (i + 4 > len || strncasecmp(dn + i + 1, "CN=", 3) != 0)
		return NULL;
	size_t start = i + 4, j = start;
	while (j < len && dn[j] != ',')
		j += dn[j] == '\\' ? 2 : 1;
	if (j > len)
		j = len;
	*n = j - start;
	return dn + start;
}

enum spn_rc spn_model_add_dsa(struct spn_model *m, const struct spn_entry *e, struct spn_err *err)
{
	const struct spn_values *v = &e->attr[SPN_A_INVOCATIONID];
	if (v->n == 0)
		return SPN_OK;
	if (v->n > 1 || v->v[0].n != 16)
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': invocationId is not one GUID (%zu "
		                   "values, %zu bytes)", e->where ? e->where : "?", (int)e->dn.n, e->dn.p,
		                   v->n, v->v[0].n);
	if (!grow((void **)&m->dsas, &m->capdsas, m->ndsas, sizeof(*m->dsas)))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct spn_dsa *d = &m->dsas[m->ndsas];
	size_t n;
	const char *cn = server_cn(e->dn.p, e->dn.n, &n);
	d->dn = spn_arena_strndup(&m->arena, e->dn.p, e->dn.n);
	d->name = n ? spn_arena_strndup(&m->arena, cn, n) : d->dn;
	memcpy(d->invocation, v->v[0].p, 16);
	if (!d->dn || !d->name)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	m->ndsas++;
	return SPN_OK;
}

size_t spn_model_ndsas(const struct spn_model *m)
{
	return m->ndsas;
}

const struct spn_dsa *spn_model_dsa(const struct spn_model *m, size_t i)
{
	return i < m->ndsas ? &m->dsas[i] : NULL;
}

const struct spn_dsa *spn_model_dsa_find(const struct spn_model *m, const unsigned char inv[16])
{
	for (size_t i = 0; i < m->ndsas; i++)
		if (memcmp(m->dsas[i].invocation, inv, 16) == 0)
			return &m->dsas[i];
	return NULL;
}

/* ---- Stamps ---- */

bool spn_stamp_newer(const struct spn_stamp *a, const struct spn_stamp *b)
{
	if (a->version != b->version)
		return a->version > b->version;
	if (a->when != b->when)
		return a->when > b->when;
	return memcmp(a->invocation, b->invocation, 16) > 0;
}

static enum spn_rc push_stamp(struct spn_model *m, uint32_t account, const struct spn_stamp *s)
{
	if (!grow((void **)&m->stamps, &m->capstamps, m->nstamps, sizeof(*m->stamps)))
		return SPN_NOMEM;
	m->stamps[m->nstamps].account = account;
	m->stamps[m->nstamps].s = *s;
	m->nstamps++;
	return SPN_OK;
}

enum spn_rc spn_model_add_entry_stamp(struct spn_model *m, uint32_t id, const struct spn_entry *e,
                                      struct spn_err *err)
{
	const struct spn_values *v = &e->attr[SPN_A_REPLMETA];
	if (v->n == 0)
		return SPN_OK;
	struct spn_stamp s;
	bool found;
	struct spn_err perr;
	spn_err_init(&perr);
	if (v->n > 1 || spn_replmeta_find((const unsigned char *)v->v[0].p, v->v[0].n,
	                                  SPN_ATTID_SERVICEPRINCIPALNAME, &s, &found, &perr))
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': %s", e->where ? e->where : "?",
		                   (int)e->dn.n, e->dn.p,
		                   v->n > 1 ? "replPropertyMetaData has several values" : perr.msg);
	if (found && push_stamp(m, id, &s))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return SPN_OK;
}

/* stamp_of covers every account, SPN_NONE where there is none. */
static bool cover(struct spn_model *m)
{
	if (m->nstamp_of >= m->nacc)
		return true;
	uint32_t *v = realloc(m->stamp_of, (m->nacc ? m->nacc : 1) * sizeof(*v));
	if (!v)
		return false;
	for (size_t i = m->nstamp_of; i < m->nacc; i++)
		v[i] = SPN_NONE;
	m->stamp_of = v;
	m->nstamp_of = m->nacc;
	return true;
}

enum spn_rc spn_model_finish_stamps(struct spn_model *m)
{
	if (m->nstamps == 0)
		return SPN_OK;
	free(m->stamp_of);
	m->stamp_of = NULL;
	m->nstamp_of = 0;
	if (!cover(m))
		return SPN_NOMEM;
	/* Several stamps for one account (two snapshots, two reads): the
	 * later write stays, the others are dropped. */
	size_t k = 0;
	for (size_t i = 0; i < m->nstamps; i++) {
		const struct spn_acc_stamp *x = &m->stamps[i];
		if (x->account >= m->nacc)
			continue;
		uint32_t *at = &m->stamp_of[x->account];
		if (*at != SPN_NONE) {
			if (spn_stamp_newer(&x->s, &m->stamps[*at].s))
				m->stamps[*at].s = x->s;
			continue;
		}
		m->stamps[k] = *x;
		*at = (uint32_t)k++;
	}
	m->nstamps = k;
	return SPN_OK;
}

const struct spn_stamp *spn_model_spn_stamp(const struct spn_model *m, uint32_t account)
{
	if (account >= m->nstamp_of || m->stamp_of[account] == SPN_NONE)
		return NULL;
	return &m->stamps[m->stamp_of[account]].s;
}

enum spn_rc spn_model_set_spn_stamp(struct spn_model *m, uint32_t account,
                                    const struct spn_stamp *s, struct spn_err *err)
{
	if (account >= m->nacc)
		return spn_err_set(err, SPN_BUG, "a stamp for account %u of %zu", (unsigned)account,
		                   m->nacc);
	if (!cover(m))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	uint32_t at = m->stamp_of[account];
	if (at != SPN_NONE) {
		if (spn_stamp_newer(s, &m->stamps[at].s))
			m->stamps[at].s = *s;
		return SPN_OK;
	}
	if (push_stamp(m, account, s))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	m->stamp_of[account] = (uint32_t)(m->nstamps - 1);
	return SPN_OK;
}

bool spn_model_merge_provenance(struct spn_model *dst, struct spn_model *src, uint32_t acc0)
{
	for (size_t i = 0; i < src->ndsas; i++) {
		if (!grow((void **)&dst->dsas, &dst->capdsas, dst->ndsas, sizeof(*dst->dsas)))
			return false;
		dst->dsas[dst->ndsas++] = src->dsas[i];
	}
	for (size_t i = 0; i < src->nstamps; i++)
		if (push_stamp(dst, src->stamps[i].account + acc0, &src->stamps[i].s))
			return false;
	src->ndsas = src->nstamps = 0;
	return true;
}

/* ---- Accounts by DN ---- */

static uint32_t dn_tag(const char *dn, size_t n)
{
	return spn_hash_tag(spn_hash_lower(dn, n));
}

uint32_t spn_model_find_dn(struct spn_model *m, const char *dn, size_t n)
{
	if (!m->dnmap_built || m->dnmap.n != m->nacc) {
		spn_table_release(&m->dnmap);
		spn_table_init(&m->dnmap);
		if (!spn_table_reserve(&m->dnmap, m->nacc))
			goto linear;
		for (size_t i = 0; i < m->nacc; i++)
			spn_table_add(&m->dnmap, dn_tag(m->acc[i].dn, strlen(m->acc[i].dn)), (uint32_t)i);
		m->dnmap_built = true;
	}
	size_t at;
	uint32_t tag = dn_tag(dn, n);
	for (uint32_t id = spn_table_first(&m->dnmap, tag, &at); id != SPN_TABLE_NONE;
	     id = spn_table_next(&m->dnmap, tag, &at))
		if (strncasecmp(m->acc[id].dn, dn, n) == 0 && m->acc[id].dn[n] == '\0')
			return id;
	return SPN_NONE;
linear:
	for (size_t i = 0; i < m->nacc; i++)
		if (strncasecmp(m->acc[i].dn, dn, n) == 0 && m->acc[i].dn[n] == '\0')
			return (uint32_t)i;
	return SPN_NONE;
}

void spn_model_free_provenance(struct spn_model *m)
{
	free(m->dsas);
	free(m->stamps);
	free(m->stamp_of);
	spn_table_release(&m->dnmap);
}
