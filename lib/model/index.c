/*
 * index.c - the SPN index: folded SPN -> chain of holders.
 *
 * Hand-written because it is the core of spnctl's speed: one open-addressing
 * table of 8-byte slots (32-bit hash tag + head value id), linear probing,
 * grown at 70% load. Growing moves slots by their tag alone, never re-reading
 * strings, so a ten-million-value load does no rehashing work beyond the
 * copy. Holders of one key are chained through spn_value.next_same, so the
 * index costs 8 bytes per distinct SPN (about 11 with the load factor) and
 * nothing per value.
 */
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

#define SLOT_ID(s) ((uint32_t)((s) & 0xffffffffu) - 1u)
#define SLOT_TAG(s) ((uint32_t)((s) >> 32))

size_t spn_model_fold_scratch(struct spn_model *m, const char *s, size_t n, const char **out)
{
	/* Case folding can grow UTF-8 text (e.g. U+0130 -> "i" + U+0307): allow 3x. */
	size_t need = n * 3 + 16;
	if (need > m->scratch_cap) {
		char *p = realloc(m->scratch, need);
		if (!p)
			return (size_t)-1;
		m->scratch = p;
		m->scratch_cap = need;
	}
	size_t k = spn_fold(s, n, m->scratch, m->scratch_cap);
	if (k == (size_t)-1) {
		/* Not UTF-8 (or no room): the bytes, ASCII-folded, are the key. */
		memcpy(m->scratch, s, n);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)m->scratch[i];
			if (c >= 'A' && c <= 'Z')
				m->scratch[i] = (char)(c + 32);
		}
		k = n;
	}
	*out = m->scratch;
	return k;
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
	size_t cap = (size_t)v->len * 3 + 16;
	char *buf = cap <= sizeof(stackbuf) ? stackbuf : malloc(cap);
	if (!buf)
		return false;
	size_t k = spn_fold(v->str, v->len, buf, cap);
	if (k == (size_t)-1) {
		for (size_t i = 0; i < v->len; i++) {
			unsigned char c = (unsigned char)v->str[i];
			buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		k = v->len;
	}
	bool eq = k == n && memcmp(buf, key, n) == 0;
	if (buf != stackbuf)
		free(buf);
	(void)m;
	return eq;
}

static enum spn_rc grow(struct spn_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 1024;
	if (cap > ((size_t)1 << 32))
		return SPN_NOMEM;  /* the tag is the slot number: 2^32 slots at most */
	uint64_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return SPN_NOMEM;
	size_t mask = cap - 1;
	for (size_t i = 0; i < ix->cap; i++) {
		uint64_t s = ix->slots[i];
		if (!s)
			continue;
		size_t j = SLOT_TAG(s) & mask;
		while (slots[j])
			j = (j + 1) & mask;
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
	size_t mask = ix->cap - 1;
	size_t j = tag & mask;
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
		j = (j + 1) & mask;
	}
}

/* Put value id into the index (the table has room). */
static void insert(struct spn_model *m, uint32_t id, const char *key, size_t n, uint32_t tag)
{
	struct spn_index *ix = &m->index;
	struct spn_value *v = &m->val[id];
	bool found;
	size_t j = probe(m, key, n, tag, &found);
	if (found) {
		/* Insert after the head: O(1) however many holders a key has;
		 * load order among the others is restored by the readers that
		 * care (they sort holder ids). */
		struct spn_value *head = &m->val[SLOT_ID(ix->slots[j])];
		v->next_same = head->next_same;
		head->next_same = id;
		return;
	}
	v->flags |= SPN_VALUE_HEAD;
	v->next_same = SPN_NONE;
	ix->slots[j] = (uint64_t)tag << 32 | (uint64_t)(id + 1u);
	ix->used++;
	m->distinct++;
}

#define BATCH 16

enum spn_rc spn_index_build(struct spn_model *m)
{
	struct spn_index *ix = &m->index;
	size_t todo = m->nval - m->indexed;
	/* Size once for the worst case (every value distinct) at <= 70% load. */
	while ((ix->used + todo) * 10 > ix->cap * 7) {
		enum spn_rc rc = grow(ix);
		if (rc)
			return rc;
	}
	/* Batches: hash a few values and prefetch their slots, then insert
	 * them, so the cache misses of one batch overlap. */
	uint32_t tags[BATCH];
	for (size_t base = m->indexed; base < m->nval; base += BATCH) {
		size_t cnt = m->nval - base < BATCH ? m->nval - base : BATCH;
		for (size_t k = 0; k < cnt; k++) {
			const struct spn_value *v = &m->val[base + k];
			const char *key;
			size_t n = spn_model_fold_scratch(m, v->str, v->len, &key);
			if (n == (size_t)-1)
				return SPN_NOMEM;
			tags[k] = (uint32_t)(spn_hash(key, n) >> 32);
			__builtin_prefetch(&ix->slots[tags[k] & (ix->cap - 1)]);
		}
		for (size_t k = 0; k < cnt; k++) {
			const struct spn_value *v = &m->val[base + k];
			const char *key;
			size_t n = spn_model_fold_scratch(m, v->str, v->len, &key);
			if (n == (size_t)-1)
				return SPN_NOMEM;
			insert(m, (uint32_t)(base + k), key, n, tags[k]);
		}
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
