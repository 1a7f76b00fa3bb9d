/*
 * merge.c - appending one model's load to another: the parallel LDIF reader
 * fills one part model per chunk of a file and merges them in file order,
 * so the result is the model a sequential read would have built.
 */
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "model_int.h"

unsigned spn_model_flags(const struct spn_model *m)
{
	return m->flags;
}

/* Put src's n elements after dst's dn (capacities in elements); src's
 * array is consumed - for big arrays, its pages are moved, not copied. */
static bool append(void **dst, size_t dn, size_t *dcap, void **src, size_t n, size_t *scap,
                   size_t elem)
{
	size_t db = *dcap * elem, sb = *scap * elem;
	bool ok = spn_big_append(dst, dn * elem, &db, src, n * elem, &sb);
	*dcap = db / elem;
	*scap = sb / elem;
	return ok;
}

static const char *find_domain(const struct spn_model *m, const char *d)
{
	for (size_t i = 0; i < m->ndomains; i++)
		if (strcmp(m->domains[i], d) == 0)
			return m->domains[i];
	return NULL;
}

/* dst's copy of a domain src interned (src->domains[i] -> map[i]), so
 * domain pointers stay one per domain as in a sequential load (checks use
 * them as memo keys). */
static const char *map_domain(const struct spn_model *src, const char **map, const char *d,
                              size_t *last)
{
	if (*last < src->ndomains && src->domains[*last] == d)
		return map[*last];
	for (size_t i = 0; i < src->ndomains; i++)
		if (src->domains[i] == d) {
			*last = i;
			return map[i];
		}
	return d;
}

enum spn_rc spn_model_merge(struct spn_model *dst, struct spn_model *src, uint16_t source,
                            struct spn_err *err)
{
	if (source >= dst->nsrc || src->indexed)
		return spn_err_set(err, SPN_BUG, "model merge: bad source or finished part");
	if (dst->nacc + src->nacc >= SPN_NONE - 1 || dst->nval + src->nval >= SPN_NONE - 1)
		return spn_err_set(err, SPN_NOMEM, "more than 4 billion accounts or SPN values");
	if (src->ngaps) {
		char **g = realloc(dst->gaps, (dst->ngaps + src->ngaps) * sizeof(*g));
		if (!g)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		dst->gaps = g;
	}
	const char **map = NULL;
	if (src->ndomains) {
		char **d = realloc(dst->domains, (dst->ndomains + src->ndomains) * sizeof(*d));
		if (!d)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		dst->domains = d;
		map = malloc(src->ndomains * sizeof(*map));
		if (!map)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	if (!spn_model_merge_provenance(dst, src, (uint32_t)dst->nacc)) {
		free(map);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	/* src's arrays after dst's (src gives them up). A failure leaves
	 * both models whole to free, dst's counts unchanged. */
	if (!append((void **)&dst->acc, dst->nacc, &dst->capacc, (void **)&src->acc, src->nacc,
	            &src->capacc, sizeof(*dst->acc)) ||
	    !append((void **)&dst->val, dst->nval, &dst->capval, (void **)&src->val, src->nval,
	            &src->capval, sizeof(*dst->val)) ||
	    !append((void **)&dst->tag, dst->nval, &dst->captag, (void **)&src->tag, src->nval,
	            &src->captag, sizeof(*dst->tag)) ||
	    !append((void **)&dst->grp, dst->ngrp, &dst->capgrp, (void **)&src->grp, src->ngrp,
	            &src->capgrp, sizeof(*dst->grp))) {
		free(map);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	/* Nothing fails from here on. */
	/* Domains are a set (sorted by finish): add the new ones. */
	size_t nd = dst->ndomains, last = 0;
	for (size_t i = 0; i < src->ndomains; i++) {
		map[i] = find_domain(dst, src->domains[i]);
		if (!map[i])
			map[i] = dst->domains[nd++] = src->domains[i];
	}
	dst->ndomains = nd;
	/* The appended records still hold src's ids and domains: rebase them. */
	uint32_t acc0 = (uint32_t)dst->nacc, val0 = (uint32_t)dst->nval;
	for (size_t i = 0; i < src->nacc; i++) {
		struct spn_account *a = &dst->acc[dst->nacc++];
		a->spn_first += val0;
		a->source = source;
		a->domain = map_domain(src, map, a->domain, &last);
	}
	for (size_t i = 0; i < src->nval; i++) {
		struct spn_value *v = &dst->val[dst->nval++];
		v->account += acc0;
		v->next_same = SPN_NONE;
		v->flags &= (uint16_t)~SPN_VALUE_HEAD;
	}
	for (size_t i = 0; i < src->ngrp; i++) {
		struct spn_group *g = &dst->grp[dst->ngrp++];
		g->domain = map_domain(src, map, g->domain, &last);
	}
	free(map);
	for (size_t i = 0; i < src->ngaps; i++)
		dst->gaps[dst->ngaps++] = src->gaps[i];
	src->ngaps = 0;
	for (size_t i = 0; i < src->nsrc; i++) {
		dst->src[source].entries += src->src[i].entries;
		dst->src[source].attrs |= src->src[i].attrs;
		spn_time_merge(&dst->clocks[source], &src->clocks[i]);
	}
	dst->has_ds |= src->has_ds;
	dst->entries += src->entries;
	dst->accounts_seen += src->accounts_seen;
	/* sPNMappings: the first Directory Service entry with values wins;
	 * dSHeuristics: each one read replaces the one before. */
	if (!dst->pending_mappings && src->pending_mappings) {
		dst->pending_mappings = src->pending_mappings;
		dst->npending_mappings = src->npending_mappings;
		src->pending_mappings = NULL;
		src->npending_mappings = 0;
	}
	if (src->ds_heuristics)
		dst->ds_heuristics = src->ds_heuristics;
	spn_arena_adopt(&dst->arena, &src->arena);
	src->nacc = src->nval = src->ngrp = src->ndomains = 0;
	return SPN_OK;
}
