/*
 * index.c - the SPN index: folded SPN -> chain of holders.
 *
 * Hand-written because it is the core of spnctl's speed: one open-addressing
 * table of 8-byte slots (32-bit hash tag + head value id), linear probing,
 * sized once per load to the values at hand (at most 80% full; the tag picks
 * the home slot by multiply-shift, so any size works). Resizing moves slots by
 * their tag alone, never re-reading strings. Holders of one key are chained
 * through spn_value.next_same, so the index costs 8 bytes per distinct SPN
 * (10 with the load factor) and nothing per value. It is deliberately not
 * lib/base's table (table.h, which every other lookup uses): that one is
 * a power of two at most half full, grows one insert at a time and has no
 * batched prefetch or partitioned build; here those are the speed. Its
 * tags are lib/base's hash (spn_hash, spn_hash_ascii_lower).
 *
 * A big build is cache-blocked and shared among the cores (the old way,
 * one insert per value in value order, missed the cache on every value once
 * the table outgrew it: 180 MiB at 10M values). The values' (tag, id) pairs
 * are partitioned by the tag's top bits in one radix pass (each job a
 * stable share, in value order), into the table's own slots. The home slot
 * grows with the tag, so each partition owns a contiguous slot range, small
 * enough to stay in a core's cache: a counting sort by home slot there and a
 * sequential pass lay it out, one job per group of ranges. The threads take
 * the jobs in turn, several each, so a core busy elsewhere holds back little
 * of the build. A key that would run past its range is set aside and
 * inserted after the threads are done, across the boundary as any probe
 * goes. Every key's values are taken in value order whichever way, so the
 * chains are the ones a single pass in value order makes
 * (tests/unit/test_index.c checks it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "model_int.h"

#define SLOT_ID(s) ((uint32_t)((s) & 0xffffffffu) - 1u)
#define SLOT_TAG(s) ((uint32_t)((s) >> 32))

/* Below these the plain single pass is as fast: a table that fits in a
 * core's cache needs no partitions, and few values pay no thread. */
#define PART_BYTES ((size_t)256 << 10)   /* slot range per partition */
#define MIN_PART_VALUES ((size_t)1 << 16)
#define MIN_THREAD_VALUES ((size_t)1 << 17)
#define MAX_THREADS 16
#define JOBS_PER_THREAD 4   /* shares of work, so a core another process holds delays little */
#define MAX_BITS 16
#define AHEAD 16

/* A fold buffer: the model's scratch, or a thread's own. */
struct fold_buf {
	char *p;
	size_t cap;
};

static bool fold_reserve(struct fold_buf *f, size_t need)
{
	if (need <= f->cap)
		return true;
	char *p = realloc(f->p, need);
	if (!p)
		return false;
	f->p = p;
	f->cap = need;
	return true;
}

size_t spn_model_fold_scratch(struct spn_model *m, const char *s, size_t n, const char **out)
{
	struct fold_buf f = {m->scratch, m->scratch_cap};
	bool ok = fold_reserve(&f, SPN_KEY_CAP(n));
	m->scratch = f.p;
	m->scratch_cap = f.cap;
	if (!ok)
		return (size_t)-1;
	*out = m->scratch;
	return spn_key(s, n, m->scratch, m->scratch_cap);
}

/* Does value v have the folded key key[0..n)? */
static bool key_equal(const struct spn_value *v, const char *key, size_t n)
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
	return eq;
}

/* Home slot of a tag: multiply-shift maps the 32-bit tag onto any table
 * size, so the table can be sized to the data instead of a power of two.
 * It never decreases as the tag grows. */
static inline size_t home(uint32_t tag, size_t cap)
{
	return (size_t)(((uint64_t)tag * cap) >> 32);
}

static enum spn_rc resize(struct spn_index *ix, size_t cap)
{
	if (cap > ((size_t)1 << 32))
		return SPN_NOMEM;  /* tags are 32 bits: 2^32 slots at most */
	/* Zeroed, on huge pages when big (a page fault per 2 MiB, not per 512 slots). */
	uint64_t *slots = spn_big_zalloc(cap * sizeof(*slots));
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
	spn_big_free(ix->slots, ix->cap * sizeof(*ix->slots));
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
		if (SLOT_TAG(s) == tag && key_equal(&m->val[SLOT_ID(s)], key, n)) {
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

/* Fold value v into f: ASCII values (no SPN_VALUE_NONASCII, known since
 * they were added) inline, others through spn_fold(); bytes that are not
 * UTF-8 are ASCII-folded. (size_t)-1 on NOMEM. */
static size_t fold_value(struct fold_buf *f, const struct spn_value *v, const char **out)
{
	size_t n = v->len;
	if (v->flags & SPN_VALUE_NONASCII) {
		if (!fold_reserve(f, SPN_KEY_CAP(n)))
			return (size_t)-1;
		*out = f->p;
		return spn_key(v->str, n, f->p, f->cap);
	}
	if (n >= f->cap && !fold_reserve(f, SPN_KEY_CAP(n)))  /* also: no buffer yet for an empty value */
		return (size_t)-1;
	char *key = f->p;
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
	struct fold_buf f = {m->scratch, m->scratch_cap};
	const char *key;
	size_t n = fold_value(&f, v, &key);
	m->scratch = f.p;
	m->scratch_cap = f.cap;
	if (n == (size_t)-1)
		return false;
	*tag = (uint32_t)(spn_hash(key, n) >> 32);
	return true;
}

/* Value id joins the chain of head: right after the head, which is O(1)
 * however many holders a key has; load order among the others is restored
 * by the readers that care (they sort holder ids). */
static void chain(struct spn_model *m, uint32_t head, uint32_t id)
{
	struct spn_value *v = &m->val[id], *h = &m->val[head];
	v->flags &= (uint16_t)~SPN_VALUE_HEAD;
	v->next_same = h->next_same;
	h->next_same = id;
}

/* Put value id, whose tag is known, into the index (the table has room);
 * its key is folded only when a slot's tag matches. A new head gets
 * SPN_VALUE_HEAD and next_same SPN_NONE unless preset says it has them. */
static enum spn_rc insert(struct spn_model *m, struct fold_buf *f, uint32_t id, uint32_t tag,
                          bool preset)
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
		if (!key && (n = fold_value(f, v, &key)) == (size_t)-1)
			return SPN_NOMEM;
		if (key_equal(&m->val[SLOT_ID(s)], key, n)) {
			chain(m, SLOT_ID(s), id);
			return SPN_OK;
		}
	}
	if (!preset) {
		v->flags |= SPN_VALUE_HEAD;
		v->next_same = SPN_NONE;
	}
	ix->slots[j] = (uint64_t)tag << 32 | (uint64_t)(id + 1u);
	ix->used++;
	return SPN_OK;
}

/* The single pass: values [from, to) in value order, prefetching the home
 * slot a few values ahead so cache misses overlap. */
static enum spn_rc insert_all(struct spn_model *m, struct fold_buf *f, size_t from, size_t to)
{
	struct spn_index *ix = &m->index;
	for (size_t i = from; i < to && i < from + AHEAD; i++)
		__builtin_prefetch(&ix->slots[home(m->tag[i], ix->cap)]);
	for (size_t i = from; i < to; i++) {
		if (i + AHEAD < to)
			__builtin_prefetch(&ix->slots[home(m->tag[i + AHEAD], ix->cap)]);
		if (insert(m, f, (uint32_t)i, m->tag[i], false))
			return SPN_NOMEM;
	}
	return SPN_OK;
}

/* The partitioned build: what the threads share, and each one's part. */
struct build {
	struct spn_model *m;
	unsigned njobs, bits;      /* njobs shares of the work; 2^bits partitions */
	size_t nparts;
	size_t *start, *num;       /* partition p's pairs: num[p] from pairs + start[p] */
	uint64_t *pairs;           /* tag << 32 | value id, by partition: in the
	                              table's own slots, or a buffer of their own */
};

struct worker {                /* one share of the work, whichever thread runs it */
	struct build *b;
	unsigned job;
	size_t from, to;           /* values of the radix passes */
	size_t *count;             /* [nparts]: pass 1 counts, pass 2 next position */
	struct fold_buf fold;
	uint64_t *out;             /* pairs set aside, partition order */
	size_t nout, capout;
	uint32_t *bucket;          /* a partition's counting sort by home slot */
	size_t capbucket;
	uint64_t *sorted;
	size_t capsorted;
	size_t used;               /* new heads */
	enum spn_rc rc;
};

/* Pass 1: every value a head until a key's earlier value claims it (one
 * sequential write, rather than one per head in slot order); count the
 * values of each partition. */
static void pass_count(struct worker *w)
{
	struct spn_model *m = w->b->m;
	unsigned shift = 32 - w->b->bits;
	for (size_t i = w->from; i < w->to; i++) {
		m->val[i].flags |= SPN_VALUE_HEAD;
		m->val[i].next_same = SPN_NONE;
		w->count[m->tag[i] >> shift]++;
	}
}

/* Pass 2: scatter (tag, id) to the partitions, value order kept. */
static void pass_scatter(struct worker *w)
{
	struct spn_model *m = w->b->m;
	uint64_t *pairs = w->b->pairs;
	unsigned shift = 32 - w->b->bits;
	for (size_t i = w->from; i < w->to; i++) {
		uint32_t tag = m->tag[i];
		pairs[w->count[tag >> shift]++] = (uint64_t)tag << 32 | (uint64_t)i;
	}
}

/* First slot of partition p's range: the home of its smallest tag. The
 * largest tags of partition p - 1 may have this home too; they go aside. */
static size_t part_lo(const struct build *b, size_t p)
{
	return (size_t)(((uint64_t)p * b->m->index.cap) >> b->bits);
}

/* Keep *q for after the threads: its probe leaves its partition's range. */
static bool set_aside(struct worker *w, uint64_t q)
{
	if (w->nout == w->capout) {
		size_t nc = w->capout ? w->capout * 2 : 64;
		uint64_t *o = realloc(w->out, nc * sizeof(*o));
		if (!o)
			return false;
		w->out = o;
		w->capout = nc;
	}
	w->out[w->nout++] = q;
	return true;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	void *n = realloc(*p, need * elem);
	if (!n)
		return false;
	*p = n;
	*cap = need;
	return true;
}

/* Lay partition p out in its slot range [lo, hi) of the empty table:
 * its pairs sorted by home slot (a counting sort, stable, so a key's values
 * stay in value order), the range cleared (it may hold pairs already read),
 * then each key in the first free slot at or after its home - the table a
 * linear-probing insert of them would make, in a sequential pass. A key's
 * values share one home: the keys seen since the current home's first slot
 * are the only ones a value can match. */
static bool layout_part(struct worker *w, size_t p)
{
	struct build *b = w->b;
	struct spn_model *m = b->m;
	uint64_t *slots = m->index.slots;
	size_t cap = m->index.cap, lo = part_lo(b, p), hi = part_lo(b, p + 1), nh = hi - lo;
	const uint64_t *pr = b->pairs + b->start[p];
	size_t n = b->num[p];
	if (!n) {
		memset(slots + lo, 0, nh * sizeof(*slots));
		return true;
	}
	/* bucket nh: homes past the range (the largest tags, at most a slot's worth) */
	if (!grow((void **)&w->bucket, &w->capbucket, nh + 1, sizeof(*w->bucket)) ||
	    !grow((void **)&w->sorted, &w->capsorted, n, sizeof(*w->sorted)))
		return false;
	uint32_t *bucket = w->bucket;
	uint64_t *sorted = w->sorted;
	memset(bucket, 0, (nh + 1) * sizeof(*bucket));
	for (size_t k = 0; k < n; k++) {
		size_t h = home((uint32_t)(pr[k] >> 32), cap) - lo;
		bucket[h < nh ? h : nh]++;
	}
	uint32_t sum = 0;
	for (size_t h = 0; h <= nh; h++) {
		uint32_t c = bucket[h];
		bucket[h] = sum;
		sum += c;
	}
	for (size_t k = 0; k < n; k++) {
		size_t h = home((uint32_t)(pr[k] >> 32), cap) - lo;
		sorted[bucket[h < nh ? h : nh]++] = pr[k];
	}
	memset(slots + lo, 0, nh * sizeof(*slots));
	size_t pos = lo, first = lo, cur = SIZE_MAX, placed = 0;
	for (size_t k = 0; k < n; k++) {
		uint64_t q = sorted[k];
		uint32_t tag = (uint32_t)(q >> 32), id = (uint32_t)q;
		size_t h = home(tag, cap);
		if (h != cur) {
			cur = h;
			if (pos < h)
				pos = h;
			first = pos;
		}
		const char *key = NULL;
		size_t kn = 0, j = first;
		for (; j < pos; j++) {
			uint64_t s = slots[j];
			if (SLOT_TAG(s) != tag)
				continue;
			if (!key && (kn = fold_value(&w->fold, &m->val[id], &key)) == (size_t)-1)
				return false;
			if (key_equal(&m->val[SLOT_ID(s)], key, kn))
				break;
		}
		if (j < pos)
			chain(m, SLOT_ID(slots[j]), id);
		else if (pos < hi) {
			slots[pos++] = (uint64_t)tag << 32 | (uint64_t)(id + 1u);
			placed++;
		} else if (!set_aside(w, q))
			return false;
	}
	w->used += placed;
	return true;
}

/* Pass 3: this job's partitions, each in its slot range, in ascending order. */
static void pass_layout(struct worker *w)
{
	struct build *b = w->b;
	size_t p0 = b->nparts * w->job / b->njobs, p1 = b->nparts * (w->job + 1) / b->njobs;
	for (size_t p = p0; p < p1; p++)
		if (!layout_part(w, p)) {
			w->rc = SPN_NOMEM;
			return;
		}
}

/* fn on every worker, by nthreads threads (lib/base's pool: this one and
 * up to nthreads - 1 more) taking the next one in turn. */
struct pass {
	struct worker *w;
	void (*fn)(struct worker *);
};

static void run_one(void *ctx, size_t job)
{
	struct pass *p = ctx;
	p->fn(&p->w[job]);
}

static void run_all(struct worker *w, unsigned n, unsigned nthreads, void (*fn)(struct worker *))
{
	struct pass p = {w, fn};
	spn_pool_run(nthreads, n, run_one, &p);
}

/* Can the pairs stay in the table's own slots? Each job's pairs go at the
 * end of the slot region of its partitions, in partition order: a job then
 * reads and overwrites only its own region, and laying its partitions out
 * in ascending order clears pairs it has read, never ones it has not - if
 * every partition's pairs start at or after its own range.
 * Values spread by a hash fill some 80% of a region, so they do but for a
 * skewed load (a key held a million times); that gets a buffer of its own.
 * Sets start[]. */
static bool in_place(struct build *b)
{
	for (unsigned j = 0; j < b->njobs; j++) {
		size_t p0 = b->nparts * j / b->njobs, p1 = b->nparts * (j + 1) / b->njobs, n = 0;
		for (size_t p = p0; p < p1; p++)
			n += b->num[p];
		size_t x = part_lo(b, p1);
		if (n > x)
			return false;
		x -= n;
		for (size_t p = p0; p < p1; x += b->num[p++]) {
			if (x < part_lo(b, p))
				return false;
			b->start[p] = x;
		}
	}
	return true;
}

static enum spn_rc build_parts(struct spn_model *m, struct fold_buf *f, unsigned nthreads,
                               unsigned bits)
{
	unsigned nj = nthreads * JOBS_PER_THREAD;
	struct build b = {.m = m, .njobs = nj, .bits = bits, .nparts = (size_t)1 << bits};
	struct worker w[MAX_THREADS * JOBS_PER_THREAD];
	size_t from = m->indexed, todo = m->nval - m->indexed;
	enum spn_rc rc = SPN_NOMEM;
	if (!todo)
		return SPN_OK;
	memset(w, 0, sizeof(w));
	b.start = calloc(b.nparts, sizeof(*b.start));
	b.num = calloc(b.nparts, sizeof(*b.num));
	size_t *counts = calloc(b.nparts * nj, sizeof(*counts));
	if (!b.start || !b.num || !counts)
		goto out;
	for (unsigned j = 0; j < nj; j++) {
		w[j].b = &b;
		w[j].job = j;
		w[j].from = from + todo * j / nj;
		w[j].to = from + todo * (j + 1) / nj;
		w[j].count = counts + b.nparts * j;
	}
	run_all(w, nj, nthreads, pass_count);
	for (size_t p = 0; p < b.nparts; p++)
		for (unsigned j = 0; j < nj; j++)
			b.num[p] += w[j].count[p];
	if (in_place(&b)) {
		b.pairs = m->index.slots;
	} else {
		b.pairs = spn_big_zalloc(todo * sizeof(*b.pairs));
		if (!b.pairs)
			goto out;
		for (size_t p = 0, pos = 0; p < b.nparts; pos += b.num[p++])
			b.start[p] = pos;
	}
	/* Each job's share of a partition follows the earlier jobs'. */
	for (size_t p = 0; p < b.nparts; p++) {
		size_t pos = b.start[p];
		for (unsigned j = 0; j < nj; j++) {
			size_t c = w[j].count[p];
			w[j].count[p] = pos;
			pos += c;
		}
	}
	run_all(w, nj, nthreads, pass_scatter);
	run_all(w, nj, nthreads, pass_layout);
	rc = SPN_OK;
	for (unsigned j = 0; j < nj; j++) {
		m->index.used += w[j].used;
		if (w[j].rc)
			rc = w[j].rc;
	}
	/* The pairs set aside, partition by partition: round the table. */
	for (unsigned j = 0; j < nj && !rc; j++)
		for (size_t k = 0; k < w[j].nout && !rc; k++)
			rc = insert(m, f, (uint32_t)w[j].out[k], (uint32_t)(w[j].out[k] >> 32), true);
out:
	if (rc) {   /* no half-built table (pairs in slots) for a lookup to run into */
		memset(m->index.slots, 0, m->index.cap * sizeof(*m->index.slots));
		m->index.used = 0;
	}
	for (unsigned j = 0; j < nj; j++) {
		free(w[j].fold.p);
		free(w[j].out);
		free(w[j].bucket);
		free(w[j].sorted);
	}
	free(counts);
	if (b.pairs && b.pairs != m->index.slots)
		spn_big_free(b.pairs, todo * sizeof(*b.pairs));
	free(b.start);
	free(b.num);
	return rc;
}

enum spn_rc spn_index_build_with(struct spn_model *m, unsigned nthreads, unsigned bits)
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
	if (ix->used)
		bits = 0;   /* adding to a table: the single pass */
	if (bits > MAX_BITS)
		bits = MAX_BITS;
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > MAX_THREADS)
		nthreads = MAX_THREADS;
	struct fold_buf f = {m->scratch, m->scratch_cap};
	enum spn_rc rc = bits ? build_parts(m, &f, nthreads, bits)
	                      : insert_all(m, &f, m->indexed, m->nval);
	m->scratch = f.p;
	m->scratch_cap = f.cap;
	if (rc)
		return rc;
	m->indexed = m->nval;
	return SPN_OK;
}

enum spn_rc spn_index_build(struct spn_model *m)
{
	size_t todo = m->nval - m->indexed;
	size_t cap = (m->index.used + todo) * 5 / 4 + 64;
	if (cap < m->index.cap)
		cap = m->index.cap;
	unsigned bits = 0, nthreads = 1;
	if (todo >= MIN_PART_VALUES)   /* 4096 partitions at most */
		while (bits < 12 && (cap * sizeof(uint64_t) >> bits) > PART_BYTES)
			bits++;
	if (bits && todo >= MIN_THREAD_VALUES)
		nthreads = spn_pool_threads(m->threads);   /* build_with caps it */
	return spn_index_build_with(m, nthreads, bits);
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
	spn_big_free(ix->slots, ix->cap * sizeof(*ix->slots));
	ix->slots = NULL;
	ix->cap = ix->used = 0;
}
