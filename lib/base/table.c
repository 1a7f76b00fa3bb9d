/*
 * table.c - growing the one hash table (see table.h); its lookups are
 * inline in table.h, so an equality test at the caller is inlined too.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define TABLE_MIN 16

void spn_table_init(struct spn_table *t)
{
	t->slots = NULL;
	t->cap = t->n = 0;
	t->shift = 32;
}

void spn_table_release(struct spn_table *t)
{
	free(t->slots);
	spn_table_init(t);
}

void spn_table_add(struct spn_table *t, uint32_t tag, uint32_t id)
{
	size_t at;
	uint32_t other = spn_table_first(t, tag, &at);
	while (other != SPN_TABLE_NONE)
		other = spn_table_next(t, tag, &at);
	spn_table_put(t, at, tag, id);
}

bool spn_table_reserve(struct spn_table *t, size_t more)
{
	if (more > SIZE_MAX / 4 - t->n)
		return false;
	size_t need = (t->n + more) * 2, cap = TABLE_MIN;
	unsigned shift = 32 - 4;
	if (need <= t->cap)
		return true;
	while (cap < need) {
		if (shift == 0)
			return false;   /* tags are 32 bits: 2^32 slots at most */
		cap *= 2;
		shift--;
	}
	struct spn_table old = *t;
	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots) {
		*t = old;
		return false;
	}
	t->cap = cap;
	t->shift = shift;
	t->n = 0;
	/* From the slot after an empty one, so each run of full slots is
	 * moved from its start: entries of one tag keep their order. */
	size_t start = 0;
	while (start < old.cap && old.slots[start])
		start++;
	for (size_t k = 0; k < old.cap; k++) {
		uint64_t s = old.slots[(start + k) & (old.cap - 1)];
		if (s)
			spn_table_add(t, (uint32_t)(s >> 32), (uint32_t)s - 1u);
	}
	free(old.slots);
	return true;
}
