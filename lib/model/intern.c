/*
 * intern.c - one copy of each string that many accounts repeat (the group
 * DNs of memberOf): the strings in the model's arena, found again through
 * lib/base's hash table.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

void spn_strset_init(struct spn_strset *set)
{
	spn_table_init(&set->table);
	set->strs = NULL;
	set->n = set->cap = 0;
}

/* Room for one more string. */
static bool set_reserve(struct spn_strset *set)
{
	if (!spn_table_reserve(&set->table, 1))
		return false;
	if (set->n < set->cap)
		return true;
	size_t cap = set->cap ? set->cap * 2 : 128;
	const char **strs = realloc(set->strs, cap * sizeof(*strs));
	if (!strs)
		return false;
	set->strs = strs;
	set->cap = cap;
	return true;
}

const char *spn_model_intern(struct spn_model *m, struct spn_strset *set, const char *s, size_t n)
{
	if (!set_reserve(set))
		return NULL;
	uint32_t tag = spn_hash_tag(spn_hash(s, n));
	size_t at;
	for (uint32_t id = spn_table_first(&set->table, tag, &at); id != SPN_TABLE_NONE;
	     id = spn_table_next(&set->table, tag, &at)) {
		const char *c = set->strs[id];
		if (strncmp(c, s, n) == 0 && c[n] == '\0')
			return c;
	}
	char *copy = spn_arena_strndup(&m->arena, s, n);
	if (!copy)
		return NULL;
	set->strs[set->n] = copy;
	spn_table_put(&set->table, at, tag, (uint32_t)set->n++);
	return copy;
}

void spn_strset_release(struct spn_strset *set)
{
	spn_table_release(&set->table);
	free(set->strs);
	spn_strset_init(set);
}
