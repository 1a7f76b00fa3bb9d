/*
 * diff.c - SPNs added, removed and moved between two models (spn/diff.h).
 *
 * Both models' SPN values become (folded key, holder DN) pairs, sorted;
 * one merge walk over the two sorted lists compares the holders of each
 * key. Sorting instead of hashing keeps the output in key order for free;
 * a million SPNs sort in well under a second.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/diff.h"

struct pair {
	const char *key;      /* folded SPN (in the arena) */
	size_t klen;
	const char *dn;       /* holder (the model's string) */
	const char *stored;   /* the value as stored */
};

const char *spn_change_name(enum spn_change_kind k)
{
	switch (k) {
	case SPN_CHANGE_ADDED: return "added";
	case SPN_CHANGE_REMOVED: return "removed";
	case SPN_CHANGE_MOVED: return "moved";
	}
	return "?";
}

void spn_changes_init(struct spn_changes *c)
{
	memset(c, 0, sizeof(*c));
	spn_arena_init(&c->arena);
}

void spn_changes_release(struct spn_changes *c)
{
	free(c->v);
	spn_arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

static int keycmp(const struct pair *a, const struct pair *b)
{
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int r = memcmp(a->key, b->key, n);
	if (r)
		return r;
	return a->klen < b->klen ? -1 : a->klen > b->klen;
}

static int paircmp(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	int r = keycmp(a, b);
	return r ? r : strcasecmp(a->dn, b->dn);
}

static struct pair *collect(const struct spn_model *m, struct spn_arena *ar, size_t *np)
{
	size_t n = spn_model_nvalues(m);
	struct pair *v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct spn_value *sv = spn_model_value(m, (uint32_t)i);
		size_t cap = SPN_KEY_CAP((size_t)sv->len);
		char *key = spn_arena_alloc(ar, cap);
		if (!key) {
			free(v);
			return NULL;
		}
		size_t k = spn_key(sv->str, sv->len, key, cap);
		v[i] = (struct pair){key, k, spn_model_account(m, sv->account)->dn, sv->str};
	}
	qsort(v, n, sizeof(*v), paircmp);
	*np = n;
	return v;
}

/* DNs of a[0..na) missing from b[0..nb) (both sorted by DN), deduplicated. */
static const char **missing(struct spn_arena *ar, const struct pair *a, size_t na,
                            const struct pair *b, size_t nb, size_t *nout, bool *nomem)
{
	const char **out = NULL;
	size_t k = 0, j = 0;
	for (size_t i = 0; i < na; i++) {
		if (i > 0 && strcasecmp(a[i].dn, a[i - 1].dn) == 0)
			continue;
		while (j < nb && strcasecmp(b[j].dn, a[i].dn) < 0)
			j++;
		if (j < nb && strcasecmp(b[j].dn, a[i].dn) == 0)
			continue;
		if (!out) {
			out = spn_arena_alloc(ar, na * sizeof(*out));
			if (!out) {
				*nomem = true;
				return NULL;
			}
		}
		out[k++] = a[i].dn;
	}
	*nout = k;
	return out;
}

static bool add(struct spn_changes *c, const struct spn_change *ch)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct spn_change *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return false;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = *ch;
	if (ch->kind == SPN_CHANGE_ADDED)
		c->added++;
	else if (ch->kind == SPN_CHANGE_REMOVED)
		c->removed++;
	else
		c->moved++;
	return true;
}

enum spn_rc spn_model_diff(const struct spn_model *old, const struct spn_model *new,
                           struct spn_changes *out, struct spn_err *err)
{
	size_t no = 0, nn = 0;
	struct spn_arena keys;
	spn_arena_init(&keys);
	struct pair *a = collect(old, &keys, &no);
	struct pair *b = a ? collect(new, &keys, &nn) : NULL;
	enum spn_rc rc = SPN_OK;
	if (!a || !b) {
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		goto out;
	}
	size_t i = 0, j = 0;
	bool nomem = false;
	while ((i < no || j < nn) && !nomem) {
		/* The next key, and its run in each list. */
		const struct pair *k = i < no && (j >= nn || keycmp(&a[i], &b[j]) <= 0) ? &a[i] : &b[j];
		size_t i1 = i, j1 = j;
		while (i1 < no && keycmp(&a[i1], k) == 0)
			i1++;
		while (j1 < nn && keycmp(&b[j1], k) == 0)
			j1++;
		struct spn_change ch = {0};
		ch.from = missing(&out->arena, a + i, i1 - i, b + j, j1 - j, &ch.nfrom, &nomem);
		ch.to = missing(&out->arena, b + j, j1 - j, a + i, i1 - i, &ch.nto, &nomem);
		if (ch.nfrom || ch.nto) {
			ch.kind = ch.nfrom && ch.nto ? SPN_CHANGE_MOVED
			          : ch.nto ? SPN_CHANGE_ADDED : SPN_CHANGE_REMOVED;
			ch.spn = j1 > j ? b[j].stored : a[i].stored;
			if (!add(out, &ch))
				nomem = true;
		}
		i = i1;
		j = j1;
	}
	if (nomem)
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
out:
	free(a);
	free(b);
	spn_arena_release(&keys);
	return rc;
}
