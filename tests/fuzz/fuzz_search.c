/*
 * fuzz_search.c - libFuzzer target: a server's search replies, through the
 * code the live reader uses (issue 11). The first byte picks what the rest
 * is:
 *
 *   0  an entry, then range follow-up replies: BER elements one after
 *      another, each a SearchResultEntry as it arrives from the server
 *      (tag 0x64, DN, attributes). The first goes through spn_reply_begin
 *      and spn_reply_attrs, as search.c's on_entry takes it; each later one
 *      answers the next request spn_reply_next makes (spn_reply_range).
 *   1  paging: OCTET STRING elements, the cookies of successive pages, to
 *      spn_paging_next.
 *   2  a root DSE entry to spn_rootdse_parse.
 *   3  the filter builders: NUL-separated strings, accounts and SPN
 *      patterns (the next byte splits them), to spn_filter_targets and
 *      spn_filter_spn_terms.
 *
 * search.c gets its BerElement from ldap_get_dn_ber; here spn_decode_entry
 * takes the same steps on a copy of the input (with the spare byte a
 * received message has), so everything after it is the live path's code.
 *
 * Invariants checked beyond "no crash, no leak, no undefined behaviour":
 *  - an entry's values never pass SPN_ENTRY_MAX_VALUES, a range is never
 *    asked for more than SPN_RANGE_MAX_STEPS times, a used entry's DN and
 *    text values hold no NUL byte, and every byte of every value kept is
 *    read (a slice outside the messages is AddressSanitizer's to report);
 *  - a cookie counts as repeated only when it equals the one before;
 *  - the root DSE keeps at most SPN_ROOTDSE_MAX_NAMING naming contexts;
 *  - every filter built is well formed (balanced, every value byte that
 *    RFC 4515 reserves escaped as \XX).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap/ldap_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_search: invariant failed: %s\n", what);
	abort();
}

/* The BER element at d[*i..n) (tag, length, contents): its length with
 * the header, or 0 when it does not fit. */
static size_t element(const uint8_t *d, size_t n, size_t i)
{
	if (n - i < 2)
		return 0;
	size_t len = d[i + 1], hdr = 2;
	if (len & 0x80) {
		size_t k = len & 0x7f;
		if (k == 0 || k > 4 || n - i < 2 + k)
			return 0;
		len = 0;
		for (size_t j = 0; j < k; j++)
			len = len << 8 | d[i + 2 + j];
		hdr += k;
	}
	if (len > n - i - hdr)
		return 0;
	return hdr + len;
}

/* A message as received: a copy with a spare byte after it. */
struct msg {
	BerElement *ber;
	struct berval dn;
};

static bool open_msg(struct msg *m, const uint8_t *p, size_t n)
{
	char *copy = malloc(n + 1);
	if (!copy)
		abort();
	memcpy(copy, p, n);
	copy[n] = 0;
	struct berval bv = {n + 1, copy};
	m->ber = ber_init(&bv);
	free(copy);
	if (!m->ber)
		abort();
	if (spn_decode_entry(m->ber, &m->dn) != 0) {
		ber_free(m->ber, 1);
		m->ber = NULL;
		return false;
	}
	return true;
}

static size_t ngaps;

static void on_gap(void *ctx, const char *msg)
{
	(void)ctx;
	if (!msg || !*msg)
		die("an empty gap");
	ngaps++;
}

#define MAX_MSGS 64

/* Every byte of a kept slice is read here: a slice outside the messages
 * is AddressSanitizer's to report. */
static void check_entry(const struct spn_reply *r)
{
	if (r->values > SPN_ENTRY_MAX_VALUES)
		die("more values than the cap");
	if (r->bad)
		return;
	if (memchr(r->e.dn.p, '\0', r->e.dn.n))
		die("a DN with a NUL byte was kept");
	size_t total = 0;
	for (int a = 0; a < SPN_A_COUNT; a++) {
		for (size_t i = 0; i < r->e.attr[a].n; i++) {
			const struct spn_slice *v = &r->e.attr[a].v[i];
			if (memchr(v->p, '\0', v->n) && !spn_attr_binary((enum spn_attr)a))
				die("a text value with a NUL byte was kept");
		}
		total += r->e.attr[a].n;
	}
	if (total != r->values)
		die("values counted wrong");
}

static void entry_and_ranges(const uint8_t *d, size_t n, unsigned step)
{
	struct msg m[MAX_MSGS];
	size_t nm = 0, i = 0;
	struct spn_reply r;
	spn_reply_init(&r, step, on_gap, NULL);
	size_t k = element(d, n, 0);
	if (k && open_msg(&m[nm], d, k)) {
		nm++;
		i = k;
		if (spn_reply_begin(&r, m[0].dn.bv_val, m[0].dn.bv_len) &&
		    spn_reply_attrs(&r, m[0].ber) != SPN_OK)
			goto out;
		enum spn_attr a;
		char req[96];
		unsigned asked[SPN_A_COUNT] = {0};
		while (nm < MAX_MSGS && spn_reply_next(&r, &a, req, sizeof(req))) {
			if (++asked[a] > SPN_RANGE_MAX_STEPS)
				die("a range asked for past the cap");
			if (strncmp(req, spn_attr_name(a), strlen(spn_attr_name(a))) != 0)
				die("a request for another attribute");
			k = element(d, n, i);
			if (!k) {
				spn_reply_range_failed(&r, a, "no more input");
				continue;
			}
			if (!open_msg(&m[nm], d + i, k)) {
				spn_reply_range(&r, a, NULL, 0);
			} else {
				if (spn_reply_range(&r, a, m[nm].ber, m[nm].dn.bv_len) != SPN_OK)
					goto out;
				nm++;
			}
			i += k;
		}
		check_entry(&r);
	}
out:
	spn_reply_release(&r);
	for (size_t j = 0; j < nm; j++)
		ber_free(m[j].ber, 1);
}

static void cookies(const uint8_t *d, size_t n)
{
	struct spn_paging p = {NULL, 0, 0};
	struct berval prev = {0, NULL};
	for (size_t i = 0, k; i < n && (k = element(d, n, i)); i += k) {
		size_t hdr = k - (d[i + 1] & 0x80 ? 2 + (d[i + 1] & 0x7f) : 2);
		struct berval c = {hdr, (char *)d + i + (k - hdr)};
		enum spn_page pg = spn_paging_next(&p, &c);
		bool same = prev.bv_val && c.bv_len && prev.bv_len == c.bv_len &&
		            memcmp(prev.bv_val, c.bv_val, c.bv_len) == 0;
		if ((pg == SPN_PAGE_REPEATED) != same)
			die("a repeated cookie misjudged");
		if (pg == SPN_PAGE_DONE && c.bv_len)
			die("done with a cookie");
		if (pg != SPN_PAGE_MORE)
			break;
		prev = c;
	}
	spn_paging_release(&p);
}

static void rootdse(const uint8_t *d, size_t n)
{
	struct msg m;
	if (!open_msg(&m, d, n))
		return;
	struct spn_rootdse r;
	memset(&r, 0, sizeof(r));
	enum spn_rc rc = spn_rootdse_parse(&r, m.ber);
	if (rc != SPN_OK && rc != SPN_DIRECTORY)
		die("the root DSE parser failed otherwise than malformed");
	if (r.nnaming > SPN_ROOTDSE_MAX_NAMING)
		die("too many naming contexts");
	(void)spn_rootdse_base(&r);
	spn_rootdse_release(&r);
	ber_free(m.ber, 1);
}

/* RFC 4515, as spnctl builds filters: '(' then '&', '|' or '!' and
 * filters, or attr op value; value bytes '(' ')' '\\' NUL only escaped. */
static const char *filter(const char *s);

static const char *item(const char *s)
{
	const char *a = s;
	while (*s && *s != '=' && *s != '~' && *s != '<' && *s != '>' && *s != '(' && *s != ')')
		s++;
	if (s == a || !*s || *s == '(' || *s == ')')
		return NULL;
	if (*s != '=')
		s++;
	if (*s++ != '=')
		return NULL;
	while (*s && *s != ')') {
		if (*s == '(')
			return NULL;
		if (*s == '\\') {
			static const char hex[] = "0123456789abcdefABCDEF";
			if (!s[1] || !s[2] || !strchr(hex, s[1]) || !strchr(hex, s[2]))
				return NULL;
			s += 2;
		}
		s++;
	}
	return s;
}

static const char *filter(const char *s)
{
	if (*s++ != '(')
		return NULL;
	if (*s == '&' || *s == '|' || *s == '!') {
		s++;
		while (s && *s == '(')
			s = filter(s);
	} else {
		s = item(s);
	}
	return s && *s == ')' ? s + 1 : NULL;
}

static void filters(const uint8_t *d, size_t n)
{
	if (n < 1)
		return;
	size_t split = d[0];
	char *copy = malloc(n);
	if (!copy)
		abort();
	memcpy(copy, d + 1, n - 1);
	copy[n - 1] = '\0';
	const char *v[64];
	size_t nv = 0;
	for (char *p = copy; p < copy + n - 1 && nv < 64; p += strlen(p) + 1)
		v[nv++] = p;
	size_t nacc = split % (nv + 1);
	struct spn_buf b;
	spn_buf_init(&b, SPN_LDAP_STR_MAX);
	spn_filter_targets(&b, v, nacc, v + nacc, nv - nacc);
	const char *f = spn_buf_str(&b);
	if (f) {
		const char *end = filter(f);
		if (!end || *end)
			die("spn_filter_targets built a malformed filter");
	}
	for (size_t i = 0; i < nv; i++) {
		spn_buf_clear(&b);
		spn_buf_adds(&b, "(|");
		spn_filter_spn_terms(&b, v[i], strlen(v[i]), i & 1);
		spn_buf_adds(&b, ")");
		f = spn_buf_str(&b);
		if (f && strcmp(f, "(|)") != 0) {
			const char *end = filter(f);
			if (!end || *end)
				die("spn_filter_spn_terms built a malformed filter");
		}
	}
	spn_buf_release(&b);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const uint8_t *d = data + 1;
	size_t n = size - 1;
	ngaps = 0;
	switch (data[0] % 4) {
	case 0:
		entry_and_ranges(d, n, data[0] & 0x80 ? 7 : 0);
		break;
	case 1:
		cookies(d, n);
		break;
	case 2:
		rootdse(d, n);
		break;
	default:
		filters(d, n);
		break;
	}
	return 0;
}
