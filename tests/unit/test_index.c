/* test_index.c - the SPN index build (lib/model/index.c): whatever the
 * thread count and partitioning, every value's chain (head, next_same order,
 * SPN_VALUE_HEAD) is the one a single pass in value order makes, checked
 * against chains worked out here by brute force; and every head is found
 * by a linear probe from its home slot. Tags are also forced to collide and
 * to crowd a few partitions, so values cross partition boundaries and wrap
 * round the table's end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builder.h"
#include "model/model_int.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Key k of the pool (k 0: the empty value), spelled in one of the ways of
 * its family that fold alike. */
static void spelling(unsigned k, char *buf, size_t cap)
{
	static const char *const forms[][2] = {   /* before and after the number */
		{"HTTP/web", ".corp.example"}, {"http/WEB", ".Corp.Example"}, {"Http/wEb", ".CORP.example"},
		{"MSSQLSvc/Sql", ".corp.example:1433"}, {"mssqlsvc/SQL", ".CORP.EXAMPLE:1433"},
		{"HOST/\xc3\x89tude", ""}, {"host/\xc3\xa9TUDE", ""},   /* E acute: folded by libunistring */
		{"cifs/fs", "\xe2\x80\x8b"}, {"CIFS/FS", "\xe2\x80\x8b"},  /* with a zero-width space */
	};
	static const unsigned first[] = {0, 3, 5, 7}, count[] = {3, 2, 2, 2};
	if (k == 0) {
		buf[0] = '\0';
		return;
	}
	unsigned fam = k % 4;
	unsigned f = first[fam] + rnd(count[fam]);
	snprintf(buf, cap, "%s%u%s", forms[f][0], k / 4, forms[f][1]);
}

/* A model, not finished, of nacc accounts with 1..4 values each from a pool
 * of npool keys. */
static struct spn_model *make(unsigned nacc, unsigned npool)
{
	struct spn_model *m = tb_new(0);
	for (unsigned a = 0; a < nacc; a++) {
		char dn[64], sam[32], v[4][80], sv[4][100];
		snprintf(dn, sizeof(dn), "CN=a%u,OU=x,DC=corp,DC=example", a);
		snprintf(sam, sizeof(sam), "sAMAccountName=a%u$", a);
		for (int i = 0; i < 4; i++) {
			spelling(rnd(npool), v[i], sizeof(v[i]));
			snprintf(sv[i], sizeof(sv[i]), "servicePrincipalName=%s", v[i]);
		}
		switch (1 + rnd(4)) {
		case 1:
			tb_add(m, dn, "objectClass=computer", sam, sv[0], NULL);
			break;
		case 2:
			tb_add(m, dn, "objectClass=computer", sam, sv[0], sv[1], NULL);
			break;
		case 3:
			tb_add(m, dn, "objectClass=computer", sam, sv[0], sv[1], sv[2], NULL);
			break;
		default:
			tb_add(m, dn, "objectClass=computer", sam, sv[0], sv[1], sv[2], sv[3], NULL);
			break;
		}
	}
	return m;
}

struct keyed {
	char *key;
	size_t n;
	uint32_t id;
};

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The chains by brute force: each key's values in value order a0 < a1 <
 * ... < ak give head a0 and the chain a0, ak, ..., a1 (each value joins
 * right after the head). want_next[i], want_head[i] (the head of i's key);
 * returns the number of distinct keys. */
static size_t expected(const struct spn_model *m, uint32_t *want_next, uint32_t *want_head)
{
	size_t n = m->nval, distinct = 0;
	struct keyed *k = calloc(n ? n : 1, sizeof(*k));
	assert_non_null(k);
	for (size_t i = 0; i < n; i++) {
		const struct spn_value *v = &m->val[i];
		k[i].key = malloc(SPN_KEY_CAP(v->len));
		assert_non_null(k[i].key);
		k[i].n = spn_key(v->str, v->len, k[i].key, SPN_KEY_CAP(v->len));
		k[i].id = (uint32_t)i;
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && k[b].n == k[a].n && memcmp(k[b].key, k[a].key, k[a].n) == 0; b++)
			;
		distinct++;
		uint32_t head = k[a].id;
		for (size_t i = a; i < b; i++)
			want_head[k[i].id] = head;
		want_next[head] = b - a > 1 ? k[b - 1].id : SPN_NONE;
		for (size_t i = b - 1; i > a + 1; i--)
			want_next[k[i].id] = k[i - 1].id;
		if (b - a > 1)
			want_next[k[a + 1].id] = SPN_NONE;
	}
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
	return distinct;
}

static size_t home(uint32_t tag, size_t cap)
{
	return (size_t)(((uint64_t)tag * cap) >> 32);
}

/* The built index against the brute-force chains, and every value's head
 * reached by a linear probe from the home of its tag. */
static void check(const struct spn_model *m, const char *what)
{
	size_t n = m->nval;
	uint32_t *want_next = malloc((n + 1) * sizeof(uint32_t)), *want_head = malloc((n + 1) * sizeof(uint32_t));
	assert_non_null(want_next);
	assert_non_null(want_head);
	size_t distinct = expected(m, want_next, want_head);
	const struct spn_index *ix = &m->index;
	if (ix->used != distinct)
		fail_msg("%s: %zu keys in the index, %zu distinct", what, ix->used, distinct);
	size_t occupied = 0;
	for (size_t j = 0; j < ix->cap; j++)
		occupied += ix->slots[j] != 0;
	assert_int_equal(occupied, distinct);
	for (size_t i = 0; i < n; i++) {
		const struct spn_value *v = &m->val[i];
		bool head = want_head[i] == i;
		if (v->next_same != want_next[i] || !(v->flags & SPN_VALUE_HEAD) != !head)
			fail_msg("%s: value %zu '%s': next_same %u head %d, want %u head %d", what, i, v->str,
			         v->next_same, !!(v->flags & SPN_VALUE_HEAD), want_next[i], head);
		/* The probe spn_index_find_folded() makes, with this value's tag. */
		uint32_t tag = m->tag[i];
		size_t j = home(tag, ix->cap), steps = 0;
		for (; ix->slots[j]; j = j + 1 == ix->cap ? 0 : j + 1, steps++) {
			assert_true(steps < ix->cap);
			if ((uint32_t)(ix->slots[j] >> 32) == tag &&
			    (uint32_t)ix->slots[j] - 1u == want_head[i])
				break;
		}
		if (!ix->slots[j])
			fail_msg("%s: value %zu '%s': its head %u not on the probe from slot %zu", what, i,
			         v->str, want_head[i], home(tag, ix->cap));
	}
	free(want_next);
	free(want_head);
}

static void rebuild(struct spn_model *m, unsigned threads, unsigned bits)
{
	spn_index_release(&m->index);
	m->indexed = 0;
	assert_int_equal(spn_index_build_with(m, threads, bits), SPN_OK);
}

static const struct {
	unsigned threads, bits;
} configs[] = {{1, 0}, {1, 1}, {2, 1}, {1, 3}, {2, 4}, {3, 5}, {2, 7}, {4, 9}, {16, 12}};

/* Every thread count and partitioning makes the brute-force chains; the
 * real tags, so lookups by string find each key's head too. */
static void test_chains_any_partitioning(void **state)
{
	(void)state;
	struct spn_model *m = make(1500, 700);   /* ~3700 values, many shared keys */
	for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
		char what[64];
		snprintf(what, sizeof(what), "%u threads, 2^%u partitions", configs[c].threads, configs[c].bits);
		rebuild(m, configs[c].threads, configs[c].bits);
		check(m, what);
		for (size_t i = 0; i < m->nval; i++) {
			const struct spn_value *v = &m->val[i];
			uint32_t h = spn_model_find_spn(m, v->str, v->len);
			assert_int_not_equal(h, SPN_NONE);
			assert_true(m->val[h].flags & SPN_VALUE_HEAD);
			assert_true(h <= i);
		}
	}
	spn_model_free(m);
}

/* Forced tags: few distinct tags for many keys (tag collisions: keys told
 * apart by their strings), all in a narrow band so one partition's values
 * run far past its slot range, and a band at the top of the tag space so
 * probes wrap round to slot 0. */
static void test_chains_colliding_tags(void **state)
{
	(void)state;
	static const uint32_t bands[][2] = {
		{0x40000000u, 0x40000400u},   /* 1024 tags: in one partition for any bits <= 22 */
		{0xfffffff0u, 0xffffffffu},   /* the table's last slots: wrap round */
		{0x00000000u, 0x00000003u},   /* 4 tags for everything: long collision runs */
	};
	for (size_t band = 0; band < sizeof(bands) / sizeof(bands[0]); band++) {
		struct spn_model *m = make(600, 250);
		/* Same key, same tag (as in life); a key's tag from its brute-force head. */
		uint32_t *next = malloc(m->nval * sizeof(uint32_t)), *head = malloc(m->nval * sizeof(uint32_t));
		assert_non_null(next);
		assert_non_null(head);
		expected(m, next, head);
		uint32_t span = bands[band][1] - bands[band][0] + 1u;
		for (size_t i = 0; i < m->nval; i++)
			m->tag[i] = bands[band][0] + (uint32_t)((head[i] * 2654435761u) % span);
		free(next);
		free(head);
		for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
			char what[80];
			snprintf(what, sizeof(what), "band %zu, %u threads, 2^%u partitions", band,
			         configs[c].threads, configs[c].bits);
			rebuild(m, configs[c].threads, configs[c].bits);
			check(m, what);
		}
		spn_model_free(m);
	}
}

/* Tiny tables (down to no value at all) with many more partitions than
 * slots: most ranges are empty, every value goes round by the slow way. */
static void test_tiny_tables(void **state)
{
	(void)state;
	for (unsigned nacc = 0; nacc < 12; nacc++) {
		struct spn_model *m = make(nacc, 5);
		for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
			rebuild(m, configs[c].threads, configs[c].bits);
			check(m, "tiny");
		}
		rebuild(m, 2, 16);   /* 65536 partitions over some 70 slots */
		check(m, "tiny, 2^16 partitions");
		spn_model_free(m);
	}
}

/* A second build adds to the table (values added after the first): the
 * chains are still the ones of one pass over all values. */
static void test_build_twice(void **state)
{
	(void)state;
	struct spn_model *m = make(400, 150);
	assert_int_equal(spn_index_build_with(m, 2, 4), SPN_OK);
	check(m, "first build");
	for (unsigned a = 0; a < 300; a++) {
		char dn[64], v[80], sv[100];
		snprintf(dn, sizeof(dn), "CN=b%u,OU=x,DC=corp,DC=example", a);
		spelling(rnd(200), v, sizeof(v));
		snprintf(sv, sizeof(sv), "servicePrincipalName=%s", v);
		tb_add(m, dn, "objectClass=user", "sAMAccountName=b", sv, NULL);
	}
	assert_int_equal(spn_index_build_with(m, 2, 4), SPN_OK);
	check(m, "second build");
	/* the whole load at once: the same chains */
	uint32_t *next = malloc(m->nval * sizeof(uint32_t));
	assert_non_null(next);
	for (size_t i = 0; i < m->nval; i++)
		next[i] = m->val[i].next_same;
	rebuild(m, 2, 6);
	for (size_t i = 0; i < m->nval; i++)
		assert_int_equal(m->val[i].next_same, next[i]);
	free(next);
	spn_model_free(m);
}

/* spn_index_build() as spn_model_finish() calls it, on enough values to
 * take the partitioned, threaded way: with the default thread count (every
 * CPU), one thread (SPNCTL_THREADS=1) and more threads than CPUs. */
static void test_default_build_big(void **state)
{
	static const unsigned threads[] = {0, 1, 3};
	(void)state;
	struct spn_model *m = make(60000, 40000);   /* ~150000 values */
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		char what[64];
		snprintf(what, sizeof(what), "spn_index_build, %u threads set", threads[t]);
		spn_index_release(&m->index);
		m->indexed = 0;
		spn_model_set_threads(m, threads[t]);
		assert_int_equal(spn_index_build(m), SPN_OK);
		check(m, what);
	}
	spn_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chains_any_partitioning),
		cmocka_unit_test(test_chains_colliding_tags),
		cmocka_unit_test(test_tiny_tables),
		cmocka_unit_test(test_build_twice),
		cmocka_unit_test(test_default_build_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
