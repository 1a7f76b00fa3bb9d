/*
 * entry.c - the reusable entry a source fills before handing it to the model.
 */
#include <stdlib.h>
#include <string.h>

#include "spn/model.h"

void spn_entry_init(struct spn_entry *e)
{
	memset(e, 0, sizeof(*e));
}

void spn_entry_reset(struct spn_entry *e)
{
	e->dn.p = NULL;
	e->dn.n = 0;
	for (int i = 0; i < SPN_A_COUNT; i++)
		e->attr[i].n = 0;
	e->where = NULL;
	e->domain_hint = NULL;
}

void spn_entry_release(struct spn_entry *e)
{
	for (int i = 0; i < SPN_A_COUNT; i++)
		free(e->attr[i].v);
	memset(e, 0, sizeof(*e));
}

enum spn_rc spn_entry_add(struct spn_entry *e, enum spn_attr a, const char *p, size_t n)
{
	struct spn_values *vs = &e->attr[a];
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 8;
		struct spn_slice *v = realloc(vs->v, cap * sizeof(*v));
		if (!v)
			return SPN_NOMEM;
		vs->v = v;
		vs->cap = cap;
	}
	vs->v[vs->n].p = p;
	vs->v[vs->n].n = n;
	vs->n++;
	return SPN_OK;
}
