/*
 * host_name_clash_cands.c - host-name-clash's candidate list (check_int.h):
 * what the rule (host_name_clash.c) and its hand-tuned twin
 * (host_name_clash_fast.c) both fill, and the order candidates are
 * matched in.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

static int cmp_cand(const void *a, const void *b)
{
	const struct spn_clash_cand *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->label, y->label, n);
	if (c)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

static char lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

bool spn_clash_add(struct spn_clash *c, const char *label, size_t n, uint32_t value)
{
	if (c->ncand == c->capcand) {
		size_t cap = c->capcand ? c->capcand * 2 : 16;
		struct spn_clash_cand *p = realloc(c->cand, cap * sizeof(*p));
		if (!p)
			return false;
		c->cand = p;
		c->capcand = cap;
	}
	struct spn_clash_cand *x = &c->cand[c->ncand++];
	for (size_t k = 0; k < n; k++)
		x->label[k] = lower(label[k]);
	x->n = n;
	x->value = value;
	x->head = SPN_NONE;
	return true;
}

void spn_clash_sort(const struct spn_model *m, struct spn_clash *c)
{
	for (size_t k = 0; k < c->ncand; k++) {
		const struct spn_value *v = spn_model_value(m, c->cand[k].value);
		c->cand[k].head = spn_model_find_spn(m, v->str, v->len);
	}
	if (c->ncand > 1)
		qsort(c->cand, c->ncand, sizeof(*c->cand), cmp_cand);
}

bool spn_clash_hit(struct spn_clash *c, uint32_t account, size_t first)
{
	if (c->nhit == c->caphit) {
		size_t cap = c->caphit ? c->caphit * 2 : 16;
		struct spn_clash_hit *p = realloc(c->hit, cap * sizeof(*p));
		if (!p)
			return false;
		c->hit = p;
		c->caphit = cap;
	}
	c->hit[c->nhit++] = (struct spn_clash_hit){account, first};
	return true;
}

void spn_clash_release(struct spn_clash *c)
{
	free(c->cand);
	free(c->hit);
	*c = (struct spn_clash){0};
}
