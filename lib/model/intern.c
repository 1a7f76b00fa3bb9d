/*
 * intern.c - one copy of each string that many accounts repeat (the group
 * DNs of memberOf): a small open-addressing set over the model's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

static int set_grow(struct spn_strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 256;
	uint64_t *slots = calloc(cap, sizeof(*slots));
	const char **strs = realloc(set->strs, cap / 2 * sizeof(*strs));
	if (!slots || !strs) {
		free(slots);
		if (strs)
			set->strs = strs;
		return -1;
	}
	set->strs = strs;
	for (size_t i = 0; i < set->cap; i++) {
		uint64_t s = set->slots[i];
		if (!s)
			continue;
		size_t j = (size_t)(s >> 32) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = s;
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

const char *spn_model_intern(struct spn_model *m, struct spn_strset *set, const char *s, size_t n)
{
	if ((set->n + 1) * 2 > set->cap && set_grow(set))
		return NULL;
	uint32_t tag = (uint32_t)(spn_hash(s, n) >> 32);
	size_t mask = set->cap - 1;
	size_t j = tag & mask;
	for (; set->slots[j]; j = (j + 1) & mask) {
		uint64_t slot = set->slots[j];
		if ((uint32_t)(slot >> 32) != tag)
			continue;
		const char *c = set->strs[(uint32_t)slot - 1u];
		if (strncmp(c, s, n) == 0 && c[n] == '\0')
			return c;
	}
	char *copy = spn_arena_strndup(&m->arena, s, n);
	if (!copy)
		return NULL;
	set->strs[set->n] = copy;
	set->slots[j] = (uint64_t)tag << 32 | (uint64_t)(set->n + 1);
	set->n++;
	return copy;
}

void spn_strset_release(struct spn_strset *set)
{
	free(set->slots);
	free(set->strs);
	memset(set, 0, sizeof(*set));
}
