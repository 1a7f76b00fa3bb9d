/*
 * fuzz_spn.c - libFuzzer target: one SPN's syntax, identity key, skeleton,
 * hash and pattern match, and the sPNMappings parser, on arbitrary bytes.
 *
 * Invariants checked (spn/spn.h):
 *  - spn_parse: OK means 2 or 3 non-empty components inside the input, a
 *    numeric port is all digits; every result has a text;
 *  - spn_fold: never fails on valid UTF-8 (with room 3x), is idempotent;
 *  - spn_skeleton: equals the fold for pure ASCII, is idempotent when it fits;
 *  - spn_is_ascii and spn_hash agree with their definitions;
 *  - spn_match: every string matches itself and "*"; without '*' a match is
 *    byte equality;
 *  - spn_alias_parse on the input's lines: every listed class maps to its
 *    listed target through spn_alias_target, in any case.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "spn/spn.h"
#include "base/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_spn: invariant failed: %s\n", what);
	abort();
}

static bool inside(struct spn_slice sl, const char *s, size_t n)
{
	return sl.n == 0 || (sl.p >= s && sl.p + sl.n <= s + n);
}

static bool no_slash(struct spn_slice sl)
{
	return memchr(sl.p, '/', sl.n) == NULL;
}

static void check_parse(const char *s, size_t n)
{
	struct spn_parts p;
	enum spn_syntax rc = spn_parse(s, n, &p);
	if (!spn_syntax_text(rc))
		die("syntax without text");
	if (rc != SPN_SYNTAX_OK)
		return;
	if (p.ncomp != 2 && p.ncomp != 3)
		die("ncomp");
	if (!p.cls.n || !p.host.n || !inside(p.cls, s, n) || !inside(p.host, s, n) ||
	    !inside(p.port, s, n) || !inside(p.service, s, n))
		die("parts outside the input or empty");
	if ((p.ncomp == 3) != (p.service.n > 0))
		die("service component");
	if (!no_slash(p.cls) || !no_slash(p.host) || (p.port.n && !no_slash(p.port)))
		die("'/' inside class, host or port");
	if (p.port_numeric) {
		if (!p.port.n)
			die("numeric empty port");
		for (size_t i = 0; i < p.port.n; i++)
			if (p.port.p[i] < '0' || p.port.p[i] > '9')
				die("numeric port with a non-digit");
	}
	if (memchr(p.host.p, '@', p.host.n) || (p.service.n && memchr(p.service.p, '@', p.service.n)))
		die("'@' in host or service accepted");
}

static void check_fold(const char *s, size_t n)
{
	size_t cap = 3 * n + 16, kcap = 20 * n + 64;
	char *f1 = malloc(cap), *f2 = malloc(cap), *k1 = malloc(kcap), *k2 = malloc(kcap);
	if (!f1 || !f2 || !k1 || !k2)
		die("malloc");
	bool ascii = true;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)s[i] < 0x80;
	if (spn_is_ascii(s, n) != ascii)
		die("spn_is_ascii");
	bool utf8 = u8_check((const uint8_t *)s, n) == NULL;
	size_t n1 = spn_fold(s, n, f1, cap);
	if (utf8) {
		if (n1 == (size_t)-1)
			die("fold failed on valid UTF-8");
		size_t n2 = spn_fold(f1, n1, f2, cap);
		if (n2 != n1 || memcmp(f1, f2, n1) != 0)
			die("fold(fold(x)) != fold(x)");
		if (spn_hash(f1, n1) != spn_hash(f2, n2))
			die("hash of equal keys differs");
	} else if (n1 != (size_t)-1) {
		die("fold accepted invalid UTF-8");
	}
	size_t k = spn_skeleton(s, n, k1, kcap);
	if (ascii && (k != n1 || memcmp(k1, f1, n1) != 0))
		die("skeleton of ASCII != fold");
	if (utf8 && k != (size_t)-1) {
		size_t kk = spn_skeleton(k1, k, k2, kcap);
		if (kk != (size_t)-1 && (kk != k || memcmp(k1, k2, k) != 0))
			die("skeleton(skeleton(x)) != skeleton(x)");
	}
	free(f1);
	free(f2);
	free(k1);
	free(k2);
}

static void check_match(const char *s, size_t n)
{
	if (!spn_match(s, n, s, n))
		die("a string does not match itself");
	if (!spn_match("*", 1, s, n))
		die("'*' does not match");
	/* Pattern = first line, string = the rest. */
	const char *nl = memchr(s, '\n', n);
	if (!nl)
		return;
	size_t pn = (size_t)(nl - s);
	const char *t = nl + 1;
	size_t tn = n - pn - 1;
	bool m = spn_match(s, pn, t, tn);
	if (!spn_has_wildcard(s, pn) && m != (pn == tn && memcmp(s, t, pn) == 0))
		die("pattern without '*' is not byte equality");
	if (spn_has_wildcard(s, pn) != (memchr(s, '*', pn) != NULL))
		die("spn_has_wildcard");
}

static void check_alias(const char *s, size_t n)
{
	struct spn_slice v[64];
	size_t nv = 0, bad = 0;
	for (size_t i = 0; i <= n && nv < 64;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;
		v[nv].p = s + i;
		v[nv].n = end - i;
		nv++;
		i = end + 1;
	}
	struct spn_alias_table *t = spn_alias_parse(v, nv, &bad);
	if (!t)
		die("spn_alias_parse returned NULL");
	if (bad > nv)
		die("more bad values than values");
	for (size_t i = 0; i < spn_alias_count(t); i++) {
		const char *cls, *target;
		spn_alias_get(t, i, &cls, &target);
		if (!cls || !target || !cls[0])
			die("alias entry without class or target");
		const char *got = spn_alias_target(t, cls, strlen(cls));
		if (!got || strcmp(got, target) != 0)
			die("a listed class does not map to its target");
		char up[256];
		size_t cn = strlen(cls);
		if (cn < sizeof(up)) {
			for (size_t j = 0; j < cn; j++)
				up[j] = (char)(cls[j] >= 'a' && cls[j] <= 'z' ? cls[j] - 32 : cls[j]);
			got = spn_alias_target(t, up, cn);
			if (!got || strcmp(got, target) != 0)
				die("alias look-up is not case-insensitive");
		}
	}
	spn_alias_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	check_parse(s, size);
	check_fold(s, size);
	check_match(s, size);
	check_alias(s, size);
	/* The default table answers any class without crashing. */
	struct spn_alias_table *d = spn_alias_default();
	if (!d)
		die("spn_alias_default");
	(void)spn_alias_target(d, s, size);
	spn_alias_free(d);
	return 0;
}
