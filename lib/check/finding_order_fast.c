/*
 * finding_order_fast.c - sorting the findings of big audits, hand-tuned: the
 * order is finding_order.c's rule (spn_finding_cmp(), whose plain sort is
 * the twin of this one; base/tuned.h). To keep the comparisons off the
 * findings, the model and the case-insensitive compare, each finding gets a
 * record with its severity and code as one small rank, whether it has an
 * SPN, the first 21 bytes of the SPN and 16 of its first account's DN,
 * lower-cased, and that account's id; the rule runs only where those tie.
 * The prefixes are compared as big-endian numbers, which order as the
 * lower-cased bytes do, so every answer is the rule's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

struct sortrec {
	uint64_t k1;   /* rank (16 bits), has SPN (8), SPN bytes 0-4 */
	uint64_t k2;   /* SPN bytes 5-12 */
	uint64_t k3;   /* SPN bytes 13-20 */
	uint64_t d1;   /* first account's DN, bytes 0-7 (0 when no account) */
	uint64_t d2;   /* bytes 8-15 */
	uint32_t acc0; /* first account id (SPN_NONE when none) */
	const struct spn_finding *f;
	const struct spn_model *m;
};

static unsigned char lower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* The first n bytes of s (zero past its end), lower-cased, into out. */
static void lower_prefix(const char *s, unsigned char *out, size_t n)
{
	size_t j = 0;
	for (; j < n && s[j]; j++)
		out[j] = lower_ascii((unsigned char)s[j]);
	for (; j < n; j++)
		out[j] = 0;
}

/* n (<= 8) bytes as a big-endian number: compares as the bytes do. */
static uint64_t be(const unsigned char *p, size_t n)
{
	uint64_t k = 0;
	for (size_t j = 0; j < n; j++)
		k = (k << 8) | p[j];
	return k;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* The exactly same SPN, or none on both. */
static bool same_spn(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int cmp_rec(const void *pa, const void *pb)
{
	const struct sortrec *ra = pa, *rb = pb;
	int c;
	if ((c = cmp_u64(ra->k1, rb->k1)) != 0 || (c = cmp_u64(ra->k2, rb->k2)) != 0 ||
	    (c = cmp_u64(ra->k3, rb->k3)) != 0)
		return c;
	/* Same severity, code and SPN prefix. When the SPNs are the same, the
	 * first accounts come next: their DN prefixes usually decide (0 for a
	 * finding without accounts, which comes first as in the rule; all 0
	 * without a model, and the rule decides). */
	const struct spn_finding *a = ra->f, *b = rb->f;
	if (ra->acc0 != rb->acc0 && (ra->d1 != rb->d1 || ra->d2 != rb->d2) && same_spn(a->spn, b->spn))
		return ra->d1 != rb->d1 ? cmp_u64(ra->d1, rb->d1) : cmp_u64(ra->d2, rb->d2);
	return spn_finding_cmp(a, b, ra->m);
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Severity and code as one number in the sort order: codes are few. */
static bool code_ranks(const struct spn_findings *f, struct sortrec *r)
{
	const char **codes = NULL;
	size_t ncodes = 0, cap = 0;
	bool ok = true;
	for (size_t i = 0; i < f->n && ok; i++) {
		const char *c = f->v[i].code;
		if (i && f->v[i - 1].code == c)
			continue;
		size_t k = 0;
		while (k < ncodes && strcmp(codes[k], c) != 0)
			k++;
		if (k < ncodes)
			continue;
		if (ncodes == cap) {
			size_t nc = cap ? cap * 2 : 32;
			const char **p = realloc(codes, nc * sizeof(*p));
			if (!p) {
				ok = false;
				break;
			}
			codes = p;
			cap = nc;
		}
		codes[ncodes++] = c;
	}
	if (ok && ncodes > 255)
		ok = false;
	if (ok) {
		qsort(codes, ncodes, sizeof(*codes), cmp_code);
		for (size_t i = 0; i < f->n; i++) {
			const char *c = f->v[i].code;
			size_t lo = 0, hi = ncodes;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (strcmp(codes[mid], c) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			/* Errors (2) first: 255 - severity. */
			uint64_t rank = ((uint64_t)(255u - ((unsigned)f->v[i].severity & 0xffu)) << 8) | lo;
			r[i].k1 = rank << 48;
		}
	}
	free(codes);
	return ok;
}

bool spn_findings_order_fast(struct spn_findings *f, const struct spn_model *m)
{
	struct sortrec *r = malloc(f->n * sizeof(*r));
	struct spn_finding *tmp = malloc(f->n * sizeof(*tmp));
	if (!r || !tmp || !code_ranks(f, r)) {
		free(r);
		free(tmp);
		return false;
	}
	/* The DNs are all over the model: three passes (account records, DN
	 * pointers, DN bytes), each asking for the next pass's memory early, so
	 * the cache misses overlap instead of queueing one by one. */
	for (size_t i = 0; i < f->n; i++) {
		const struct spn_finding *x = &f->v[i];
		const struct spn_account *a = m && x->naccounts ? spn_model_account(m, x->accounts[0]) : NULL;
		if (a)
			__builtin_prefetch(a);
		r[i].f = x;
		r[i].m = m;
		r[i].acc0 = x->naccounts ? x->accounts[0] : SPN_NONE;
		r[i].d1 = (uintptr_t)a;
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct spn_account *a = (const struct spn_account *)(uintptr_t)r[i].d1;
		if (a) {
			__builtin_prefetch(a->dn);
			r[i].d1 = (uintptr_t)a->dn;
		}
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct spn_finding *x = r[i].f;
		const char *dn = (const char *)(uintptr_t)r[i].d1;
		unsigned char b[21];
		r[i].k2 = r[i].k3 = 0;
		if (x->spn) {
			lower_prefix(x->spn, b, 21);
			r[i].k1 |= ((uint64_t)1 << 40) | be(b, 5);
			r[i].k2 = be(b + 5, 8);
			r[i].k3 = be(b + 13, 8);
		}
		r[i].d1 = r[i].d2 = 0;
		if (dn) {
			lower_prefix(dn, b, 16);
			r[i].d1 = be(b, 8);
			r[i].d2 = be(b + 8, 8);
		}
	}
	qsort(r, f->n, sizeof(*r), cmp_rec);
	for (size_t i = 0; i < f->n; i++)
		tmp[i] = *r[i].f;
	memcpy(f->v, tmp, f->n * sizeof(*tmp));
	free(tmp);
	free(r);
	return true;
}
