/*
 * fuzz_ldap.c - libFuzzer target for the parsers of the live-directory side
 * that read untrusted bytes: DNS SRV answers (from the network), attribute
 * descriptions with ";range=" (from the server), DNs (from the server),
 * AD diagnostic texts (from the server), LDAP URIs (from the user), and the
 * RFC 4515 filter escaper (user input into a filter).
 *
 * The first byte picks the parser; the rest is its input. Invariants
 * checked beyond "no crash": an escaped value contains no raw filter
 * metacharacter, a parsed range has low <= high unless it runs to the end,
 * the name length of a description never exceeds it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ldap/ldap_int.h"

static char *dupz(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned which = data[0] % 6;
	const uint8_t *d = data + 1;
	size_t n = size - 1;
	struct spn_err err;
	spn_err_init(&err);

	switch (which) {
	case 0: {
		struct spn_srv *v = NULL;
		size_t nv = 0;
		if (spn_srv_parse(d, n, &v, &nv, &err) == SPN_OK) {
			spn_srv_sort(v, nv);
			for (size_t i = 0; i < nv; i++)
				if (strnlen(v[i].target, sizeof(v[i].target)) == sizeof(v[i].target))
					abort();
		}
		free(v);
		break;
	}
	case 1: {
		size_t namelen = 0;
		struct spn_range r;
		int got = spn_range_parse((const char *)d, n, &namelen, &r);
		if (namelen > n)
			abort();
		if (got == 1 && !r.to_end && r.low > r.high)
			abort();
		char buf[64];
		(void)spn_range_request(buf, sizeof(buf), "servicePrincipalName", got == 1 ? r.low : 0,
		                        n ? d[0] : 0);
		break;
	}
	case 2: {
		char buf[256];
		(void)spn_dn_domain_name((const char *)d, n, buf, sizeof(buf));
		break;
	}
	case 3: {
		char *s = dupz(d, n);
		(void)spn_ad_diag_explain(s);
		(void)spn_ref_is_accountless(s);
		free(s);
		break;
	}
	case 4: {
		char *s = dupz(d, n);
		struct spn_uri u;
		if (spn_uri_parse(s, &u, &err) == SPN_OK) {
			char out[512];
			spn_uri_format(&u, out, sizeof(out));
			spn_uri_to_gc(&u);
			spn_uri_to_dc(&u);
		}
		free(s);
		break;
	}
	default: {
		struct spn_buf b;
		bool wild = n && (d[0] & 1);
		spn_buf_init(&b, SPN_LDAP_STR_MAX);
		spn_filter_escape(&b, (const char *)d, n, wild);
		const char *out = spn_buf_str(&b);
		if (out) {
			for (const char *p = out; *p; p++)
				if (*p == '(' || *p == ')' || (*p == '*' && !wild))
					abort();
		}
		spn_buf_release(&b);
		break;
	}
	}
	return 0;
}
