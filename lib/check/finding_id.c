/*
 * finding_id.c - a finding's stable id: the same problem gets the same id
 * in every run and every output, whatever the order of its holders, the
 * case they spell the SPN or DNs in, or the wording of the message, so an
 * accept file (accept.c) can name it.
 *
 * The id is FNV-1a 64 (offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3) over
 *   code "\n" key(spn) "\n" key(dn1) "\n" key(dn2) ...
 * where key() is the case fold AD compares with (spn_key), the SPN is
 * empty for a finding without one, and the holders' DNs are folded,
 * sorted bytewise and each taken once; printed as 16 lower-case hex
 * digits. spnctl(1) documents it; changing it invalidates every accept
 * file, so it never changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

#define FNV_BASIS 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

char *spn_check_key(const char *s, size_t *n)
{
	size_t len = strlen(s), cap = SPN_KEY_CAP(len);
	char *k = malloc(cap);
	if (k)
		*n = spn_key(s, len, k, cap);
	return k;
}

struct key {
	char *s;
	size_t n;
};

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->s, y->s, n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The holders' DN keys, sorted; NULL (and *n 0) when there are none or
 * memory is short (*nomem). */
static struct key *dn_keys(const struct spn_model *m, const struct spn_finding *f, size_t *n,
                           bool *nomem)
{
	*n = 0;
	if (!f->naccounts)
		return NULL;
	struct key *k = calloc(f->naccounts, sizeof(*k));
	if (!k) {
		*nomem = true;
		return NULL;
	}
	for (size_t i = 0; i < f->naccounts; i++) {
		k[i].s = spn_check_key(spn_model_account(m, f->accounts[i])->dn, &k[i].n);
		if (!k[i].s)
			*nomem = true;
	}
	*n = f->naccounts;
	if (!*nomem)
		qsort(k, *n, sizeof(*k), cmp_key);
	return k;
}

bool spn_finding_id(const struct spn_model *m, const struct spn_finding *f, char *out)
{
	uint64_t h = fnv(FNV_BASIS, f->code, strlen(f->code));
	bool nomem = false;
	size_t nk = 0;
	h = fnv(h, "\n", 1);
	if (f->spn) {
		size_t n;
		char *k = spn_check_key(f->spn, &n);
		if (!k)
			return false;
		h = fnv(h, k, n);
		free(k);
	}
	struct key *dns = dn_keys(m, f, &nk, &nomem);
	for (size_t i = 0; i < nk && !nomem; i++) {
		if (i && cmp_key(&dns[i], &dns[i - 1]) == 0)
			continue;  /* the same object twice (overlapping sources) */
		h = fnv(h, "\n", 1);
		h = fnv(h, dns[i].s, dns[i].n);
	}
	for (size_t i = 0; i < nk; i++)
		free(dns[i].s);
	free(dns);
	if (nomem)
		return false;
	snprintf(out, SPN_FINDING_ID_LEN + 1, "%016llx", (unsigned long long)h);
	return true;
}
