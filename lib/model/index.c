/*
 * index.c - the SPN index: folded SPN -> chain of holders.
 *
 * Hand-written because it is the core of spnctl's speed: one open-addressing
 * table of 8-byte slots (32-bit hash tag + head value id), linear probing,
 * sized once per load to the values at hand (at most 80% full; the tag picks
 * the home slot by multiply-shift, so any size works). Resizing moves slots by
 * their tag alone, never re-reading strings. Values are inserted in batches
 * whose slots are prefetched first, so cache misses overlap. Holders of one
 * key are chained through spn_value.next_same, so the index costs 8 bytes
 * per distinct SPN (10 with the load factor) and nothing per value.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

#define SLOT_ID(s) ((uint32_t)((s) & 0xffffffffu) - 1u)
#define SLOT_TAG(s) ((uint32_t)((s) >> 32))

size_t spn_model_fold_scratch(struct spn_model *m, const char *s, size_t n, const char **out)
{
	size_t need = SPN_KEY_CAP(n);
	if (need > m->scratch_cap) {
		char *p = realloc(m->scratch, need);
		if (!p)
			return (size_t)-1;
		m->scratch = p;
		m->scratch_cap = need;
	}
	*out = m->scratch;
	return spn_key(s, n, m->scratch, m->scratch_cap);
}

/* Does value v have the folded key key[0..n)? */
static bool key_equal(const struct spn_model *m, const struct spn_value *v, const char *key, size_t n)
{
	if (!(v->flags & SPN_VALUE_NONASCII)) {
		if (v->len != n)
			return false;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)v->str[i];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			if (c != (unsigned char)key[i])
				return false;
		}
		return true;
	}
	/* Rare: fold the stored value again, into a private buffer. */
	char stackbuf[512];
	size_t cap = SPN_KEY_CAP((size_t)v->len);
	char *buf = cap <= sizeof(stackbuf) ? stackbuf : malloc(cap);
	if (!buf)
		return false;
	size_t k = spn_key(v->str, v->len, buf, cap);
	bool eq = k == n && memcmp(buf, key, n) == 0;
	if (buf != stackbuf)
		free(buf);
	(void)m;
	return eq;
}

/* Home slot of a tag: multiply-shift maps the 32-bit tag onto any table
 * size, so the table can be sized to the data instead of a power of two. */
static inline size_t home(uint32_t tag, size_t cap)
{
	return (size_t)(((uint64_t)tag * cap) >> 32);
}

static enum spn_rc resize(struct spn_index *ix, size_t cap)
{
	if (cap > ((size_t)1 << 32))
		return SPN_NOMEM;  /* tags are 32 bits: 2^32 slots at most */
	uint64_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return SPN_NOMEM;
	for (size_t i = 0; i < ix->cap; i++) {
		uint64_t s = ix->slots[i];
		if (!s)
			continue;
		size_t j = home(SLOT_TAG(s), cap);
		while (slots[j])
			j = j + 1 == cap ? 0 : j + 1;
		slots[j] = s;
	}
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
	return SPN_OK;
}

static size_t probe(const struct spn_model *m, const char *key, size_t n, uint32_t tag, bool *found)
{
	const struct spn_index *ix = &m->index;
	size_t j = home(tag, ix->cap);
	for (;;) {
		uint64_t s = ix->slots[j];
		if (!s) {
			*found = false;
			return j;
		}
		if (SLOT_TAG(s) == tag && key_equal(m, &m->val[SLOT_ID(s)], key, n)) {
			*found = true;
			return j;
		}
		j = j + 1 == ix->cap ? 0 : j + 1;
	}
}

/* ASCII case folding of 8 bytes, all < 0x80: a byte gets 0x20 when it is
 * >= 'A' and <= 'Z' (the additions carry into no neighbour). */
static inline uint64_t lower8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t ge_a = w + (0x80 - 'A') * ones, gt_z = w + (0x7f - 'Z') * ones;
	return w | ((ge_a & ~gt_z & high) >> 2);
}

/* Fold value v into the scratch buffer: ASCII values (no
 * SPN_VALUE_NONASCII, known since they were added) inline, others through
 * spn_fold(); bytes that are not UTF-8 are ASCII-folded. (size_t)-1 on NOMEM. */
static size_t fold_value(struct spn_model *m, const struct spn_value *v, const char **out)
{
	if (v->flags & SPN_VALUE_NONASCII)
		return spn_model_fold_scratch(m, v->str, v->len, out);
	size_t n = v->len;
	if (n >= m->scratch_cap) {   /* also: no buffer yet for an empty value */
		char *p = realloc(m->scratch, SPN_KEY_CAP(n));
		if (!p)
			return (size_t)-1;
		m->scratch = p;
		m->scratch_cap = SPN_KEY_CAP(n);
	}
	char *key = m->scratch;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, v->str + i, 8);
		w = lower8(w);
		memcpy(key + i, &w, 8);
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)v->str[i];
		key[i] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
	}
	*out = key;
	return n;
}

bool spn_index_tag(struct spn_model *m, const struct spn_value *v, uint32_t *tag)
{
	const char *key;
	size_t n = fold_value(m, v, &key);
	if (n == (size_t)-1)
		return false;
	*tag = (uint32_t)(spn_hash(key, n) >> 32);
	return true;
}

/* Put value id, whose tag is known, into the index (the table has room);
 * its key is folded only when a slot's tag matches. */
static enum spn_rc insert(struct spn_model *m, uint32_t id, uint32_t tag)
{
	struct spn_index *ix = &m->index;
	struct spn_value *v = &m->val[id];
	const char *key = NULL;
	size_t n = 0, j = home(tag, ix->cap);
	for (;; j = j + 1 == ix->cap ? 0 : j + 1) {
		uint64_t s = ix->slots[j];
		if (!s)
			break;
		if (SLOT_TAG(s) != tag)
			continue;
		if (!key && (n = fold_value(m, v, &key)) == (size_t)-1)
			return SPN_NOMEM;
		if (key_equal(m, &m->val[SLOT_ID(s)], key, n)) {
			/* Insert after the head: O(1) however many holders a key
			 * has; load order among the others is restored by the
			 * readers that care (they sort holder ids). */
			struct spn_value *head = &m->val[SLOT_ID(s)];
			v->next_same = head->next_same;
			head->next_same = id;
			return SPN_OK;
		}
	}
	v->flags |= SPN_VALUE_HEAD;
	v->next_same = SPN_NONE;
	ix->slots[j] = (uint64_t)tag << 32 | (uint64_t)(id + 1u);
	ix->used++;
	return SPN_OK;
}

#define AHEAD 16

enum spn_rc spn_index_build(struct spn_model *m)
{
	struct spn_index *ix = &m->index;
	size_t todo = m->nval - m->indexed;
	/* Size once for the worst case (every value distinct) at <= 80% load. */
	size_t need = (ix->used + todo) * 5 / 4 + 64;
	if (need > ix->cap) {
		enum spn_rc rc = resize(ix, need);
		if (rc)
			return rc;
	}
	/* Tags were computed as values were added: insert in value order,
	 * prefetching the home slot a few values ahead so cache misses overlap. */
	for (size_t i = m->indexed; i < m->nval && i < m->indexed + AHEAD; i++)
		__builtin_prefetch(&ix->slots[home(m->tag[i], ix->cap)]);
	for (size_t i = m->indexed; i < m->nval; i++) {
		if (i + AHEAD < m->nval)
			__builtin_prefetch(&ix->slots[home(m->tag[i + AHEAD], ix->cap)]);
		enum spn_rc rc = insert(m, (uint32_t)i, m->tag[i]);
		if (rc)
			return rc;
	}
	m->indexed = m->nval;
	return SPN_OK;
}

uint32_t spn_index_find_folded(const struct spn_model *m, const char *key, size_t n)
{
	if (!m->index.cap)
		return SPN_NONE;
	uint32_t tag = (uint32_t)(spn_hash(key, n) >> 32);
	bool found;
	size_t j = probe(m, key, n, tag, &found);
	return found ? SLOT_ID(m->index.slots[j]) : SPN_NONE;
}

void spn_index_release(struct spn_index *ix)
{
	free(ix->slots);
	ix->slots = NULL;
	ix->cap = ix->used = 0;
}
