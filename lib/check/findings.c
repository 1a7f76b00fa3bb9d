/*
 * findings.c - the findings container (strings in one arena), severity
 * names, the deterministic order reports print in, and default check
 * settings.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_int.h"

const char *spn_severity_name(enum spn_severity s)
{
	switch (s) {
	case SPN_SEV_INFO: return "info";
	case SPN_SEV_WARNING: return "warning";
	case SPN_SEV_ERROR: return "error";
	}
	return "unknown";
}

int spn_severity_parse(const char *s)
{
	static const char *const names[] = {"info", "warning", "error", "none"};
	if (!s)
		return -1;
	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

void spn_check_opts_default(struct spn_check_opts *o)
{
	o->now = spn_filetime_now();
	o->max_password_age_days = 365;
	o->threads = 0;
}

void spn_findings_init(struct spn_findings *f)
{
	f->v = NULL;
	f->n = f->cap = 0;
	spn_arena_init(&f->arena);
}

void spn_findings_release(struct spn_findings *f)
{
	free(f->v);
	spn_arena_release(&f->arena);
	f->v = NULL;
	f->n = f->cap = 0;
}

static char *dup_str(struct spn_arena *a, const char *s)
{
	return s ? spn_arena_strndup(a, s, strlen(s)) : NULL;
}

static bool grow(struct spn_findings *f)
{
	if (f->n < f->cap)
		return true;
	size_t cap = f->cap ? f->cap * 2 : 64;
	struct spn_finding *v = realloc(f->v, cap * sizeof(*v));
	if (!v)
		return false;
	f->v = v;
	f->cap = cap;
	return true;
}

/* Fill the next finding; msg is already in the arena (NULL: out of memory).
 * The code, and the fix when it is the same text, are shared with the
 * previous finding (a check emits its findings one after the other, and
 * many share one fix), so a big audit does not copy them thousands of times. */
static enum spn_rc fill(struct spn_findings *f, const char *code, enum spn_severity sev,
                        const char *spn, const uint32_t *accounts, size_t naccounts,
                        const char *fix, size_t fixn, char *msg)
{
	const struct spn_finding *prev = f->n ? &f->v[f->n - 1] : NULL;
	struct spn_finding *x = &f->v[f->n];
	x->code = prev && strcmp(prev->code, code) == 0 ? prev->code : dup_str(&f->arena, code);
	x->severity = sev;
	x->spn = dup_str(&f->arena, spn);
	x->naccounts = naccounts;
	x->accounts = NULL;
	x->message = msg;
	x->fix = prev && strncmp(prev->fix, fix, fixn + 1) == 0 ? prev->fix
	                                                      : spn_arena_strndup(&f->arena, fix, fixn);
	if (naccounts) {
		uint32_t *ids = spn_arena_alloc(&f->arena, naccounts * sizeof(*ids));
		if (!ids)
			return SPN_NOMEM;
		memcpy(ids, accounts, naccounts * sizeof(*ids));
		x->accounts = ids;
	}
	if (!msg || !x->code || !x->fix || (spn && !x->spn))
		return SPN_NOMEM;
	f->n++;
	return SPN_OK;
}

enum spn_rc spn_findings_add(struct spn_findings *f, const char *code, enum spn_severity sev,
                             const char *spn, const uint32_t *accounts, size_t naccounts,
                             const char *fix, const char *fmt, ...)
{
	if (!grow(f))
		return SPN_NOMEM;
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = len < 0 ? NULL : spn_arena_alloc(&f->arena, (size_t)len + 1);
	if (msg)
		vsnprintf(msg, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	if (!fix)
		fix = "";
	return fill(f, code, sev, spn, accounts, naccounts, fix, strlen(fix), msg);
}

enum spn_rc spn_findings_add_text(struct spn_findings *f, const char *code, enum spn_severity sev,
                                  const char *spn, const uint32_t *accounts, size_t naccounts,
                                  const char *fix, size_t fixn, const char *msg, size_t msgn)
{
	if (!grow(f))
		return SPN_NOMEM;
	return fill(f, code, sev, spn, accounts, naccounts, fix, fixn,
	            spn_arena_strndup(&f->arena, msg, msgn));
}

/*
 * Sorting: severity (errors first), code, SPN (case-insensitively, then
 * exactly; none first), then the accounts' DNs the same way (then ids),
 * then fewer accounts first, then the message. To keep the comparisons off
 * the findings, the model and strcasecmp(), each finding gets a record with
 * its severity and code as one small rank, whether it has an SPN, the first
 * 21 bytes of the SPN and 16 of its first account's DN, lower-cased, and
 * that account's id; the full comparison runs only where those tie. No
 * setlocale() anywhere, so strcasecmp() is ASCII: lower_ascii() is the same
 * order.
 */
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

static int cmp_ascii_case(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	for (;; x++, y++) {
		unsigned char c = lower_ascii(*x), d = lower_ascii(*y);
		if (c != d || !c)
			return (int)c - (int)d;
	}
}

static int cmp_str0(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	int c = cmp_ascii_case(a, b);
	return c ? c : strcmp(a, b);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_rec(const void *pa, const void *pb)
{
	const struct sortrec *ra = pa, *rb = pb;
	int c;
	if ((c = cmp_u64(ra->k1, rb->k1)) != 0 || (c = cmp_u64(ra->k2, rb->k2)) != 0 ||
	    (c = cmp_u64(ra->k3, rb->k3)) != 0)
		return c;
	const struct spn_finding *a = ra->f, *b = rb->f;
	const struct spn_model *m = ra->m;
	if ((c = cmp_str0(a->spn, b->spn)) != 0)
		return c;
	size_t n = a->naccounts < b->naccounts ? a->naccounts : b->naccounts;
	size_t i = 0;
	if (n && ra->acc0 != rb->acc0) {
		/* The first accounts differ: their DN prefixes usually decide. */
		if (m && ((c = cmp_u64(ra->d1, rb->d1)) != 0 || (c = cmp_u64(ra->d2, rb->d2)) != 0))
			return c;
	} else if (n) {
		i = 1;
	}
	for (; i < n; i++) {
		if (a->accounts[i] == b->accounts[i])
			continue;
		if (m && (c = cmp_str0(spn_model_account(m, a->accounts[i])->dn,
		                       spn_model_account(m, b->accounts[i])->dn)) != 0)
			return c;
		return a->accounts[i] < b->accounts[i] ? -1 : 1;
	}
	if (a->naccounts != b->naccounts)
		return a->naccounts < b->naccounts ? -1 : 1;
	return strcmp(a->message, b->message);
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

void spn_findings_sort(struct spn_findings *f, const struct spn_model *m)
{
	/* Cannot allocate: the (already deterministic) run order stays. */
	(void)spn_findings_sort_ok(f, m);
}

bool spn_findings_sort_ok(struct spn_findings *f, const struct spn_model *m)
{
	if (f->n < 2)
		return true;
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
