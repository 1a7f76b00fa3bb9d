/*
 * finding_order.c - the order reports print findings in: the rule
 * (spn_finding_cmp()) and its plain sort; the hand-tuned twin of the sort is
 * finding_order_fast.c (base/tuned.h), spn_findings_sort() the door.
 *
 * The order: severity (errors first), code, SPN (case-insensitively, then
 * exactly; none first), then the accounts' DNs one by one the same way
 * (then their ids), then fewer accounts first, then the message. No
 * setlocale() anywhere, so case-insensitive means ASCII.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

static int cmp_ascii_case(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	for (;; x++, y++) {
		unsigned char c = (unsigned char)(*x >= 'A' && *x <= 'Z' ? *x + 32 : *x);
		unsigned char d = (unsigned char)(*y >= 'A' && *y <= 'Z' ? *y + 32 : *y);
		if (c != d || !c)
			return (int)c - (int)d;
	}
}

/* Case-insensitively, then exactly; NULL first. */
static int cmp_str0(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	int c = cmp_ascii_case(a, b);
	return c ? c : strcmp(a, b);
}

int spn_finding_cmp(const struct spn_finding *a, const struct spn_finding *b,
                    const struct spn_model *m)
{
	int c;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0 || (c = cmp_str0(a->spn, b->spn)) != 0)
		return c;
	size_t n = a->naccounts < b->naccounts ? a->naccounts : b->naccounts;
	for (size_t i = 0; i < n; i++) {
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

/* A finding and the model its account ids mean, for qsort(). */
struct ordered {
	const struct spn_finding *f;
	const struct spn_model *m;
};

static int cmp_ordered(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	return spn_finding_cmp(x->f, y->f, x->m);
}

bool spn_findings_order_plain(struct spn_findings *f, const struct spn_model *m)
{
	struct ordered *o = malloc(f->n * sizeof(*o));
	struct spn_finding *tmp = malloc(f->n * sizeof(*tmp));
	if (!o || !tmp) {
		free(o);
		free(tmp);
		return false;
	}
	for (size_t i = 0; i < f->n; i++)
		o[i] = (struct ordered){&f->v[i], m};
	qsort(o, f->n, sizeof(*o), cmp_ordered);
	for (size_t i = 0; i < f->n; i++)
		tmp[i] = *o[i].f;
	memcpy(f->v, tmp, f->n * sizeof(*tmp));
	free(tmp);
	free(o);
	return true;
}

