/*
 * table.h - the one hash table of libspn: a key -> id lookup into the
 * caller's own array (interned strings, group DNs, stashed LDAP entries,
 * DN sets, alias classes, host labels). The SPN index is the exception:
 * hand-tuned on its own in lib/model/index.c.
 *
 * Invariants:
 *  - An entry is a 32-bit hash tag and a 32-bit id (below SPN_TABLE_NONE)
 *    naming an item of the caller's; the table holds no keys. Equal keys
 *    have equal tags (spn_hash_tag() of one hash.h function); which of the
 *    items a tag matches has the key, the caller decides.
 *  - Open addressing, linear probing, 8-byte slots, a power-of-two
 *    number of them, at most half full; the top bits of the tag choose the
 *    home slot. Growing moves slots by their tag, never reads a key, and
 *    keeps the order in which a lookup meets entries of one tag.
 *  - Entries are never removed. A key added twice is met first where it
 *    was added first.
 *  - A table of all zero bytes is empty, as after spn_table_init().
 *
 * Find or add, with one probe:
 *
 *	if (!spn_table_reserve(t, 1)) ...NOMEM...
 *	size_t at;
 *	for (uint32_t id = spn_table_first(t, tag, &at); id != SPN_TABLE_NONE;
 *	     id = spn_table_next(t, tag, &at))
 *		if (item id has the key)
 *			return id;
 *	spn_table_put(t, at, tag, new_id);   (at: the empty slot the probe ended on)
 */
#ifndef SPN_BASE_TABLE_H
#define SPN_BASE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPN_TABLE_NONE UINT32_MAX

struct spn_table {
	uint64_t *slots;   /* tag << 32 | (id + 1); 0 is empty */
	size_t cap;        /* 0, or a power of two (16 and more) */
	size_t n;          /* entries */
	unsigned shift;    /* the home slot of a tag is tag >> shift */
};

void spn_table_init(struct spn_table *t);
void spn_table_release(struct spn_table *t);
/* Room for more entries; false on NOMEM (the table is left as it was). */
bool spn_table_reserve(struct spn_table *t, size_t more);
/* Add id under tag without looking for it (room reserved). */
void spn_table_add(struct spn_table *t, uint32_t tag, uint32_t id);

/* From *at on, the next entry of tag: its id, *at its slot; or
 * SPN_TABLE_NONE, *at the empty slot that ends the probe. */
static inline uint32_t spn_table_scan(const struct spn_table *t, uint32_t tag, size_t *at)
{
	size_t mask = t->cap - 1;
	for (size_t j = *at;; j = (j + 1) & mask) {
		uint64_t s = t->slots[j];
		if (!s || (uint32_t)(s >> 32) == tag) {
			*at = j;
			return s ? (uint32_t)s - 1u : SPN_TABLE_NONE;
		}
	}
}

/* The first entry of tag (see above); SPN_TABLE_NONE in a table with no room. */
static inline uint32_t spn_table_first(const struct spn_table *t, uint32_t tag, size_t *at)
{
	*at = 0;
	if (!t->cap)
		return SPN_TABLE_NONE;
	*at = (size_t)(tag >> t->shift);
	return spn_table_scan(t, tag, at);
}

/* The entry of tag after the one at *at. */
static inline uint32_t spn_table_next(const struct spn_table *t, uint32_t tag, size_t *at)
{
	*at = (*at + 1) & (t->cap - 1);
	return spn_table_scan(t, tag, at);
}

/* Add id under tag in the empty slot a lookup of tag ended on (no
 * spn_table_reserve() or other add since that lookup). */
static inline void spn_table_put(struct spn_table *t, size_t at, uint32_t tag, uint32_t id)
{
	t->slots[at] = (uint64_t)tag << 32 | (uint64_t)(id + 1u);
	t->n++;
}

#endif
