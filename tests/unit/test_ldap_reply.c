/* test_ldap_reply.c - what a server's search replies mean (issue 11):
 * decode.c (an entry's attributes in place: the end of the list and a
 * decoding error are different answers), reply.c (per-attribute range
 * state, a first range not at 0, NUL bytes, the caps, paging cookies) and
 * the root DSE parser - all fed with BER built here, as a server would
 * send it, through the functions search.c and rootdse.c use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ldap/ldap_int.h"

struct attr {
	const char *name;
	const char *const *values;   /* NULL-terminated */
};

/* A SearchResultEntry (tag, DN, attributes) as the server sends it. */
static struct berval *entry_bytes(const char *dn, const struct attr *a, size_t n)
{
	BerElement *b = ber_alloc_t(LBER_USE_DER);
	struct berval *bv = NULL;
	assert_non_null(b);
	assert_int_not_equal(ber_printf(b, "t{s{", (ber_tag_t)0x64, dn), -1);
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(ber_printf(b, "{s[", a[i].name), -1);
		for (const char *const *v = a[i].values; *v; v++)
			assert_int_not_equal(ber_printf(b, "o", *v, (ber_len_t)strlen(*v)), -1);
		assert_int_not_equal(ber_printf(b, "]}"), -1);
	}
	assert_int_not_equal(ber_printf(b, "}}"), -1);
	assert_int_equal(ber_flatten(b, &bv), 0);
	ber_free(b, 1);
	return bv;
}

/* A BerElement over a copy of raw bytes (and a spare byte, as a received
 * message has), positioned as ldap_get_dn_ber leaves it; NULL when the
 * entry's frame cannot be read. */
static BerElement *open_entry(const char *raw, size_t n, struct berval *dn)
{
	char *copy = malloc(n + 1);
	assert_non_null(copy);
	memcpy(copy, raw, n);
	copy[n] = 0;
	struct berval bv = {n + 1, copy};
	BerElement *ber = ber_init(&bv);
	free(copy);
	assert_non_null(ber);
	if (spn_decode_entry(ber, dn) != 0) {
		ber_free(ber, 1);
		return NULL;
	}
	return ber;
}

struct gaps {
	char v[16][900];
	size_t n;
};

static void on_gap(void *ctx, const char *msg)
{
	struct gaps *g = ctx;
	if (g->n < 16)
		snprintf(g->v[g->n], sizeof(g->v[0]), "%s", msg);
	g->n++;
}

static bool gap_says(const struct gaps *g, const char *s)
{
	for (size_t i = 0; i < g->n && i < 16; i++)
		if (strstr(g->v[i], s))
			return true;
	return false;
}

/* Read one entry from raw bytes into r; returns the BerElement (the
 * values point into it) for the caller to free after the checks. */
static BerElement *read_entry(struct spn_reply *r, const struct berval *raw)
{
	struct berval dn;
	BerElement *ber = open_entry(raw->bv_val, raw->bv_len, &dn);
	assert_non_null(ber);
	if (spn_reply_begin(r, dn.bv_val, dn.bv_len))
		assert_int_equal(spn_reply_attrs(r, ber), SPN_OK);
	return ber;
}

/* A range follow-up reply for r, attribute a. */
static BerElement *read_range(struct spn_reply *r, enum spn_attr a, const struct berval *raw)
{
	struct berval dn;
	BerElement *ber = open_entry(raw->bv_val, raw->bv_len, &dn);
	assert_non_null(ber);
	assert_int_equal(spn_reply_range(r, a, ber, dn.bv_len), SPN_OK);
	return ber;
}

static size_t nvals(const struct spn_reply *r, enum spn_attr a)
{
	return r->e.attr[a].n;
}

static void test_decode(void **state)
{
	(void)state;
	static const char *const spns[] = {"HTTP/a", "HTTP/b", NULL};
	static const char *const one[] = {"1", NULL};
	const struct attr attrs[] = {{"servicePrincipalName", spns}, {"x-other", one}};
	struct berval *raw = entry_bytes("CN=a,DC=x", attrs, 2);
	struct berval dn, desc, v;
	BerElement *ber = open_entry(raw->bv_val, raw->bv_len, &dn);
	assert_non_null(ber);
	assert_int_equal(dn.bv_len, 9);
	struct spn_attr_walk w;
	spn_decode_start(&w, ber);
	assert_int_equal(spn_decode_attr(&w, &desc), 1);
	assert_int_equal(desc.bv_len, 20);
	assert_int_equal(spn_decode_value(&w, &v), 1);
	assert_memory_equal(v.bv_val, "HTTP/a", 6);
	/* the second value is skipped, still checked, by the next attribute */
	assert_int_equal(spn_decode_attr(&w, &desc), 1);
	assert_memory_equal(desc.bv_val, "x-other", 7);
	assert_int_equal(spn_decode_attr(&w, &desc), 0);   /* the end: not an error */
	ber_free(ber, 1);
	ber_bvfree(raw);

	/* A value that claims more than its attribute holds: -1, not the end. */
	static const unsigned char bad[] = {
		0x64, 0x2b, 0x04, 0x03, 'C', '=', 'a',
		0x30, 0x24,
		  0x30, 0x10, 0x04, 0x08, 'm', 'e', 'm', 'b', 'e', 'r', 'O', 'f',
		              0x31, 0x04, 0x04, 0x02, 'g', '1',
		  0x30, 0x10, 0x04, 0x03, 'u', 'a', 'c',
		              0x31, 0x09, 0x04, 0x28, '5', '1', '2', 0, 0, 0, 0,
	};
	ber = open_entry((const char *)bad, sizeof(bad), &dn);
	assert_non_null(ber);
	spn_decode_start(&w, ber);
	assert_int_equal(spn_decode_attr(&w, &desc), 1);
	assert_int_equal(spn_decode_attr(&w, &desc), 1);
	assert_int_equal(spn_decode_value(&w, &v), -1);
	ber_free(ber, 1);
}

static void test_bad_attribute(void **state)
{
	(void)state;
	/* servicePrincipalName, then an attribute whose value overruns it:
	 * the entry is left out with a gap (it once passed as complete). */
	static const unsigned char bad[] = {
		0x64, 0x38, 0x04, 0x03, 'C', '=', 'a',
		0x30, 0x31,
		  0x30, 0x1e, 0x04, 0x14, 's', 'e', 'r', 'v', 'i', 'c', 'e', 'P', 'r', 'i', 'n', 'c',
		              'i', 'p', 'a', 'l', 'N', 'a', 'm', 'e',
		              0x31, 0x06, 0x04, 0x04, 'H', '/', 'a', 'b',
		  0x30, 0x0f, 0x04, 0x03, 'u', 'a', 'c',
		              0x31, 0x08, 0x04, 0x28, '5', '1', '2', 0, 0, 0,
	};
	struct gaps g = {.n = 0};
	struct spn_reply r;
	spn_reply_init(&r, 0, on_gap, &g);
	struct berval raw = {sizeof(bad), (char *)bad};
	BerElement *ber = read_entry(&r, &raw);
	assert_true(r.bad);
	assert_int_equal(g.n, 1);
	assert_true(gap_says(&g, "'C=a': the server sent an attribute that cannot be decoded"));
	assert_true(gap_says(&g, "left out"));
	ber_free(ber, 1);
	spn_reply_release(&r);
}

static void test_ranges_per_attribute(void **state)
{
	(void)state;
	static const char *const groups[] = {"CN=g0", "CN=g1", NULL};
	static const char *const a2d[] = {"cifs/x", NULL};
	static const char *const spn0[] = {"HTTP/s0", NULL};
	const struct attr attrs[] = {
		{"memberOf;range=0-1", groups},
		{"msDS-AllowedToDelegateTo;range=0-0", a2d},
		{"servicePrincipalName", spn0},
	};
	struct gaps g = {.n = 0};
	struct spn_reply r;
	spn_reply_init(&r, 0, on_gap, &g);
	struct berval *raw = entry_bytes("CN=a,DC=x", attrs, 3);
	BerElement *ber = read_entry(&r, raw);
	assert_false(r.bad);
	assert_int_equal(nvals(&r, SPN_A_MEMBEROF), 2);
	enum spn_attr a;
	char req[96];
	assert_true(spn_reply_next(&r, &a, req, sizeof(req)));
	assert_int_equal(a, SPN_A_MEMBEROF);
	assert_string_equal(req, "memberOf;range=2-*");

	/* The follow-up for memberOf also carries another ranged attribute:
	 * it must not move memberOf's range (it once did). */
	static const char *const more[] = {"CN=g2", NULL};
	static const char *const other[] = {"x", NULL};
	const struct attr reply[] = {
		{"memberOf;range=2-2", more},
		{"msDS-AllowedToDelegateTo;range=7-9", other},
	};
	struct berval *raw2 = entry_bytes("CN=a,DC=x", reply, 2);
	BerElement *ber2 = read_range(&r, a, raw2);
	assert_int_equal(nvals(&r, SPN_A_MEMBEROF), 3);
	assert_int_equal(nvals(&r, SPN_A_ALLOWEDTODELEGATETO), 1);
	assert_true(spn_reply_next(&r, &a, req, sizeof(req)));
	assert_string_equal(req, "memberOf;range=3-*");

	/* A failure on memberOf: a gap, and the other attribute is still
	 * followed (a search-wide flag once stopped it silently). */
	spn_reply_range_failed(&r, SPN_A_MEMBEROF, "Busy");
	assert_true(gap_says(&g, "values 3 and beyond of memberOf not read: Busy"));
	assert_true(spn_reply_next(&r, &a, req, sizeof(req)));
	assert_int_equal(a, SPN_A_ALLOWEDTODELEGATETO);
	assert_string_equal(req, "msDS-AllowedToDelegateTo;range=1-*");
	/* No such attribute in the reply: no values from there on, no gap. */
	static const char *const sam[] = {"a", NULL};
	const struct attr empty[] = {{"sAMAccountName", sam}};
	struct berval *raw3 = entry_bytes("CN=a,DC=x", empty, 1);
	size_t before = g.n;
	BerElement *ber3 = read_range(&r, a, raw3);
	assert_false(spn_reply_next(&r, &a, req, sizeof(req)));
	assert_int_equal(g.n, before);
	ber_free(ber, 1);
	ber_free(ber2, 1);
	ber_free(ber3, 1);
	ber_bvfree(raw);
	ber_bvfree(raw2);
	ber_bvfree(raw3);
	spn_reply_release(&r);
}

static void test_range_not_at_zero(void **state)
{
	(void)state;
	/* The first part starts at 500: values 0-499 would be lost. They are
	 * fetched again from 0; the 500-999 part is not kept twice. */
	static const char *const part[] = {"HTTP/v500", "HTTP/v501", NULL};
	const struct attr attrs[] = {{"servicePrincipalName;range=500-501", part}};
	struct gaps g = {.n = 0};
	struct spn_reply r;
	spn_reply_init(&r, 0, on_gap, &g);
	struct berval *raw = entry_bytes("CN=a,DC=x", attrs, 1);
	BerElement *ber = read_entry(&r, raw);
	assert_int_equal(nvals(&r, SPN_A_SERVICEPRINCIPALNAME), 0);
	enum spn_attr a;
	char req[96];
	assert_true(spn_reply_next(&r, &a, req, sizeof(req)));
	assert_string_equal(req, "servicePrincipalName;range=0-*");
	/* A server that answers 500-... again: a gap naming it. */
	struct berval *raw2 = entry_bytes("CN=a,DC=x", attrs, 1);
	BerElement *ber2 = read_range(&r, a, raw2);
	assert_true(gap_says(&g, "values 0 and beyond of servicePrincipalName not read: the server "
	                         "answered with 'servicePrincipalName;range=500-501'"));
	assert_false(spn_reply_next(&r, &a, req, sizeof(req)));
	ber_free(ber, 1);
	ber_free(ber2, 1);
	ber_bvfree(raw);
	ber_bvfree(raw2);
	spn_reply_release(&r);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	struct gaps g = {.n = 0};
	struct spn_reply r;
	spn_reply_init(&r, 0, on_gap, &g);
	static const char dn[] = "CN=a\0,DC=x";
	assert_false(spn_reply_begin(&r, dn, sizeof(dn) - 1));
	assert_true(r.bad);
	/* An attribute name with a NUL inside is no name of ours (the lookup
	 * once compared past the end of its own table; fuzz_search found it). */
	static const char name[] = "servicePrincipalName\0and more bytes";
	assert_int_equal(spn_attr_lookup(name, sizeof(name) - 1), -1);
	assert_int_equal(spn_attr_lookup(name, 20), SPN_A_SERVICEPRINCIPALNAME);
	assert_true(gap_says(&g, "the DN holds a NUL byte; the entry was left out"));

	/* A text value with a NUL byte is left out; a binary one (objectSid,
	 * a security descriptor) may hold one. */
	static const char *const spns[] = {"HTTP/ok", NULL};
	static const char *const sid[] = {"SID#sid", NULL};
	static const char *const sd[] = {"SD#sd", NULL};
	const struct attr attrs[] = {
		{"servicePrincipalName", spns}, {"objectSid", sid},
		{"msDS-AllowedToActOnBehalfOfOtherIdentity", sd},
	};
	struct berval *raw = entry_bytes("CN=b,DC=x", attrs, 3);
	/* "HTTP/ok" -> "HTTP\0ok", and a NUL in each binary value */
	char *p = memmem(raw->bv_val, raw->bv_len, "HTTP/ok", 7);
	assert_non_null(p);
	p[4] = '\0';
	for (const char *const *b = (const char *const[]){"SID#sid", "SD#sd", NULL}; *b; b++) {
		p = memmem(raw->bv_val, raw->bv_len, *b, strlen(*b));
		assert_non_null(p);
		*strchr(p, '#') = '\0';
	}
	BerElement *ber = read_entry(&r, raw);
	assert_false(r.bad);
	assert_int_equal(nvals(&r, SPN_A_SERVICEPRINCIPALNAME), 0);
	assert_int_equal(nvals(&r, SPN_A_OBJECTSID), 1);
	assert_int_equal(nvals(&r, SPN_A_ALLOWEDTOACT), 1);
	assert_true(gap_says(&g, "a value of servicePrincipalName holds a NUL byte"));
	ber_free(ber, 1);
	ber_bvfree(raw);
	spn_reply_release(&r);
}

static void test_caps(void **state)
{
	(void)state;
	/* More values than SPN_ENTRY_MAX_VALUES: the rest is a gap. */
	size_t n = SPN_ENTRY_MAX_VALUES + 5;
	const char **many = calloc(n + 1, sizeof(*many));
	assert_non_null(many);
	for (size_t i = 0; i < n; i++)
		many[i] = "v";
	const struct attr attrs[] = {{"memberOf", many}};
	struct gaps g = {.n = 0};
	struct spn_reply r;
	spn_reply_init(&r, 0, on_gap, &g);
	struct berval *raw = entry_bytes("CN=a,DC=x", attrs, 1);
	BerElement *ber = read_entry(&r, raw);
	assert_int_equal(nvals(&r, SPN_A_MEMBEROF), SPN_ENTRY_MAX_VALUES);
	assert_true(r.full);
	assert_int_equal(g.n, 1);
	assert_true(gap_says(&g, "more than 100000 values"));
	ber_free(ber, 1);
	ber_bvfree(raw);
	free(many);

	/* A range that creeps one value per reply: stopped after
	 * SPN_RANGE_MAX_STEPS requests, with a gap. */
	g.n = 0;
	static const char *const first[] = {"HTTP/v0", NULL};
	const struct attr start[] = {{"servicePrincipalName;range=0-0", first}};
	raw = entry_bytes("CN=c,DC=x", start, 1);
	ber = read_entry(&r, raw);
	enum spn_attr a;
	char req[96];
	unsigned steps = 0;
	while (spn_reply_next(&r, &a, req, sizeof(req))) {
		char desc[80];
		static const char *const one[] = {"HTTP/v", NULL};
		snprintf(desc, sizeof(desc), "servicePrincipalName;range=%u-%u", steps + 1, steps + 1);
		const struct attr creep[] = {{desc, one}};
		struct berval *rr = entry_bytes("CN=c,DC=x", creep, 1);
		BerElement *rb = read_range(&r, a, rr);
		ber_free(rb, 1);
		ber_bvfree(rr);
		steps++;
		assert_true(steps <= SPN_RANGE_MAX_STEPS);
	}
	assert_int_equal(steps, SPN_RANGE_MAX_STEPS);
	assert_true(gap_says(&g, "servicePrincipalName: stopped after 10000 range requests"));
	ber_free(ber, 1);
	ber_bvfree(raw);
	spn_reply_release(&r);
}

static void test_paging(void **state)
{
	(void)state;
	struct spn_paging p = {NULL, 0, 0};
	struct berval a = {1, (char *)"A"}, b = {1, (char *)"B"}, none = {0, NULL};
	assert_int_equal(spn_paging_next(&p, &a), SPN_PAGE_MORE);
	assert_int_equal(spn_paging_next(&p, &b), SPN_PAGE_MORE);
	assert_int_equal(spn_paging_next(&p, &b), SPN_PAGE_REPEATED);
	assert_int_equal(spn_paging_next(&p, &none), SPN_PAGE_DONE);
	assert_int_equal(spn_paging_next(&p, NULL), SPN_PAGE_DONE);
	spn_paging_release(&p);
	p.pages = SPN_SEARCH_MAX_PAGES - 1;
	assert_int_equal(spn_paging_next(&p, &a), SPN_PAGE_TOO_MANY);
	spn_paging_release(&p);
}

static void test_rootdse(void **state)
{
	(void)state;
	static const char *const def[] = {"DC=x", NULL};
	static const char *const naming[] = {"DC=x", "CN=Configuration,DC=x", NULL};
	static const char *const caps[] = {"1.2.3", SPN_LDAP_CAP_AD, NULL};
	static const char *const yes[] = {"TRUE", NULL};
	const struct attr attrs[] = {
		{"defaultNamingContext", def}, {"namingContexts", naming},
		{"supportedCapabilities", caps}, {"isGlobalCatalogReady", yes},
	};
	struct berval *raw = entry_bytes("", attrs, 4);
	struct berval dn;
	BerElement *ber = open_entry(raw->bv_val, raw->bv_len, &dn);
	struct spn_rootdse r;
	memset(&r, 0, sizeof(r));
	assert_int_equal(spn_rootdse_parse(&r, ber), SPN_OK);
	assert_string_equal(r.default_nc, "DC=x");
	assert_int_equal(r.nnaming, 2);
	assert_string_equal(r.naming[1], "CN=Configuration,DC=x");
	assert_true(r.is_ad);
	assert_true(r.gc_ready);
	assert_null(r.config_nc);
	spn_rootdse_release(&r);
	ber_free(ber, 1);
	ber_bvfree(raw);

	/* Truncated inside an attribute: an error, not a half-read root DSE. */
	raw = entry_bytes("", attrs, 4);
	ber = open_entry(raw->bv_val, raw->bv_len, &dn);
	assert_non_null(ber);
	ber_len_t left = 12;
	ber_set_option(ber, LBER_OPT_REMAINING_BYTES, &left);
	assert_int_equal(spn_rootdse_parse(&r, ber), SPN_DIRECTORY);
	spn_rootdse_release(&r);
	ber_free(ber, 1);
	ber_bvfree(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_bad_attribute),
		cmocka_unit_test(test_ranges_per_attribute),
		cmocka_unit_test(test_range_not_at_zero),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_rootdse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
