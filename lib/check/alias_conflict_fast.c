/*
 * alias_conflict_fast.c - the values of a model that have an alias key
 * (spn_alias_key()), hand-tuned for alias-conflict (the rule and the plain
 * twin are in alias_conflict.c and lib/spn/spn_alias.c; base/tuned.h).
 *
 * A filter on (first two letters, length) of the aliased classes rejects
 * nearly all values (HOST/, RestrictedKrbHost/, WSMAN/, MSSQLSvc/ ...) with
 * one table read, before the '/' is even looked for; a small hash of the
 * classes seen (lib/base's hash table) answers the rest with one probe.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

#define CLASS_MAX 64

struct class_ent {
	char cls[CLASS_MAX];  /* lower case */
	size_t n;
	const char *target;   /* alias target ("host"), or NULL: not an alias */
};

struct spn_alias_cache {
	struct class_ent *v;  /* the classes seen */
	size_t n, cap;
	struct spn_table table;   /* class -> index into v */
	uint32_t *maybe;   /* [c0 << 8 | c1] -> bit L: an alias class of length L (< 32) starts so */
};

static unsigned char lower(unsigned char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

static bool filter_build(struct spn_alias_cache *cc, const struct spn_alias_table *t)
{
	cc->maybe = calloc(65536, sizeof(*cc->maybe));
	if (!cc->maybe)
		return false;
	for (size_t i = 0; i < spn_alias_count(t); i++) {
		const char *cls, *target;
		spn_alias_get(t, i, &cls, &target);
		size_t n = strlen(cls);
		if (n < 2 || n >= 32) {
			/* Rare shapes: let every value through the slow path. */
			for (size_t k = 0; k < 65536; k++)
				cc->maybe[k] = UINT32_MAX;
			return true;
		}
		cc->maybe[lower((unsigned char)cls[0]) << 8 | lower((unsigned char)cls[1])] |= 1u << n;
	}
	return true;
}

static bool filter_pass(const struct spn_alias_cache *cc, const char *cls, size_t n)
{
	if (n < 2)
		return cc->maybe[0] == UINT32_MAX;
	uint32_t bits = cc->maybe[lower((unsigned char)cls[0]) << 8 | lower((unsigned char)cls[1])];
	return n >= 32 ? bits == UINT32_MAX : (bits >> n) & 1u;
}

/* Before looking for the '/': false when no alias class has the value's
 * first two letters and a '/' right after its length (filter_pass() would
 * say no), so most values are turned away without a scan. */
static bool maybe_alias(const struct spn_alias_cache *cc, const char *s, size_t n)
{
	if (n < 2)
		return true;
	uint32_t bits = cc->maybe[lower((unsigned char)s[0]) << 8 | lower((unsigned char)s[1])];
	if (bits == UINT32_MAX)
		return true;
	for (; bits; bits &= bits - 1) {
		unsigned k = (unsigned)__builtin_ctz(bits);
		if (k < n && s[k] == '/')
			return true;
	}
	return false;
}

/* Room for one more class. */
static bool cache_reserve(struct spn_alias_cache *cc)
{
	if (!spn_table_reserve(&cc->table, 1))
		return false;
	if (cc->n < cc->cap)
		return true;
	size_t cap = cc->cap ? cc->cap * 2 : 64;
	struct class_ent *v = realloc(cc->v, cap * sizeof(*v));
	if (!v)
		return false;
	cc->v = v;
	cc->cap = cap;
	return true;
}

/* Alias target of class cls[0..n) (not mapped to itself), or NULL;
 * *nomem on allocation failure. */
static const char *class_target(struct spn_alias_cache *cc, const struct spn_alias_table *t,
                                const char *cls, size_t n, bool *nomem)
{
	if (n >= CLASS_MAX) {
		const char *target = spn_alias_target(t, cls, n);
		return target && strlen(target) == n && spn_ieq(target, cls, n) ? NULL : target;
	}
	if (!cache_reserve(cc)) {
		*nomem = true;
		return NULL;
	}
	uint32_t tag = spn_hash_tag(spn_hash_lower(cls, n));
	size_t at;
	for (uint32_t id = spn_table_first(&cc->table, tag, &at); id != SPN_TABLE_NONE;
	     id = spn_table_next(&cc->table, tag, &at))
		if (cc->v[id].n == n && spn_ieq(cc->v[id].cls, cls, n))
			return cc->v[id].target;
	struct class_ent *e = &cc->v[cc->n];
	for (size_t i = 0; i < n; i++)
		e->cls[i] = (char)lower((unsigned char)cls[i]);
	e->n = n;
	e->target = spn_alias_target(t, e->cls, n);
	if (e->target && strlen(e->target) == n && spn_ieq(e->target, e->cls, n))
		e->target = NULL;  /* "host" mapped to itself is no alias */
	spn_table_put(&cc->table, at, tag, (uint32_t)cc->n++);
	return e->target;
}

static struct spn_alias_cache *cache_new(const struct spn_alias_table *t)
{
	struct spn_alias_cache *cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	spn_table_init(&cc->table);
	if (!filter_build(cc, t)) {
		free(cc);
		return NULL;
	}
	return cc;
}

void spn_alias_finder_release(struct spn_alias_finder *f)
{
	struct spn_alias_cache *cc = f->cache;
	if (!cc)
		return;
	free(cc->v);
	spn_table_release(&cc->table);
	free(cc->maybe);
	free(cc);
	f->cache = NULL;
}

/* The alias key of s[0..n), as spn_alias_key() has it: 1, 0, or -1 when
 * memory is short. */
static int value_key(struct spn_alias_cache *cc, const struct spn_alias_table *t, const char *s,
                     size_t n, struct spn_alias_key *k)
{
	const char *slash = memchr(s, '/', n);
	if (!slash)
		return 0;
	size_t clsn = (size_t)(slash - s);
	if (!filter_pass(cc, s, clsn))
		return 0;
	bool nomem = false;
	const char *target = class_target(cc, t, s, clsn, &nomem);
	if (nomem)
		return -1;
	const char *host = slash + 1, *end = memchr(host, '/', n - clsn - 1);
	size_t hostn = end ? (size_t)(end - host) : n - clsn - 1;
	if (!target || hostn == 0)
		return 0;
	*k = (struct spn_alias_key){target, {s, clsn}, {host, hostn}};
	return 1;
}

int spn_alias_finder_next_fast(struct spn_alias_finder *f, const struct spn_model *m, uint32_t *i,
                               struct spn_alias_key *k)
{
	if (!f->table)
		return 0;
	if (!f->cache && !(f->cache = cache_new(f->table)))
		return -1;
	for (size_t n = spn_model_nvalues(m); *i < n; ++*i) {
		const struct spn_value *v = spn_model_value(m, *i);
		if (v->flags & SPN_VALUE_MALFORMED || !maybe_alias(f->cache, v->str, v->len))
			continue;
		int r = value_key(f->cache, f->table, v->str, v->len, k);
		if (r)
			return r;
	}
	return 0;
}
