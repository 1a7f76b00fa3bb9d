/*
 * discover.c - finding domain controllers (and Global Catalogs) of a domain
 * through DNS SRV records, as Windows clients do (MS-ADTS 6.3.6):
 * _ldap._tcp.dc._msdcs.DOMAIN for DCs, _gc._tcp.DOMAIN for GCs. libresolv
 * asks; spn_srv_parse() reads the answer; spn_srv_sort() orders it.
 *
 * A DNS answer is untrusted input: its length is checked against the
 * buffer it was written to (glibc reports the length the answer would
 * have had), and a target goes into a URI only when it is a host name
 * (letters, digits, '-' and '_' in dot-separated labels) - never '/', '?',
 * '@' or anything else a URI would read as more than a host.
 */
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_int.h"

void spn_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

bool spn_host_name_ok(const char *s)
{
	size_t n = strlen(s), label = 0;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		          c == '-' || c == '_';
		if (!ok || ++label > 63)
			return false;
	}
	return true;
}

enum spn_rc spn_srv_parse(const unsigned char *ans, size_t len, struct spn_srv **out,
                          size_t *nout, struct spn_err *err)
{
	ns_msg msg;
	*out = NULL;
	*nout = 0;
	if (len > 65535 || ns_initparse(ans, (int)len, &msg) < 0)
		return spn_err_set(err, SPN_INPUT, "malformed DNS answer");
	int count = ns_msg_count(msg, ns_s_an);
	if (count <= 0)
		return SPN_OK;
	struct spn_srv *v = calloc((size_t)count, sizeof(*v));
	if (!v)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	size_t n = 0;
	for (int i = 0; i < count; i++) {
		ns_rr rr;
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) {
			free(v);
			return spn_err_set(err, SPN_INPUT, "malformed DNS answer (record %d)", i + 1);
		}
		if (ns_rr_type(rr) != ns_t_srv)
			continue;  /* CNAMEs and the like on the way */
		const unsigned char *rd = ns_rr_rdata(rr);
		if (ns_rr_rdlen(rr) < 7) {
			free(v);
			return spn_err_set(err, SPN_INPUT, "malformed SRV record %d", i + 1);
		}
		struct spn_srv *s = &v[n];
		s->prio = (unsigned short)(rd[0] << 8 | rd[1]);
		s->weight = (unsigned short)(rd[2] << 8 | rd[3]);
		s->port = (unsigned short)(rd[4] << 8 | rd[5]);
		if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), rd + 6, s->target,
		                       sizeof(s->target)) < 0) {
			free(v);
			return spn_err_set(err, SPN_INPUT, "malformed SRV target in record %d", i + 1);
		}
		/* "." means "no such service here" (RFC 2782); a target that is
		 * no host name never goes into a URI. */
		if (s->target[0] == '\0' || strcmp(s->target, ".") == 0 ||
		    !spn_host_name_ok(s->target))
			continue;
		n++;
	}
	*out = v;
	*nout = n;
	return SPN_OK;
}

static bool before(const struct spn_srv *a, const struct spn_srv *b)
{
	if (a->prio != b->prio)
		return a->prio < b->prio;
	return a->weight > b->weight;
}

void spn_srv_sort(struct spn_srv *v, size_t n)
{
	/* Insertion sort: stable, and a domain has a handful of DCs. */
	for (size_t i = 1; i < n; i++) {
		struct spn_srv x = v[i];
		size_t j = i;
		while (j > 0 && before(&x, &v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

enum spn_rc spn_discover(const char *domain, bool gc, char ***uris, size_t *n,
                         struct spn_err *err)
{
	char name[300];
	*uris = NULL;
	*n = 0;
	int k = snprintf(name, sizeof(name), gc ? "_gc._tcp.%s" : "_ldap._tcp.dc._msdcs.%s", domain);
	if (k < 0 || (size_t)k >= sizeof(name) || !*domain)
		return spn_err_set(err, SPN_USAGE, "'%s' is not a DNS domain name", domain);
	/* 64 KiB: the largest DNS message, so a long answer over TCP fits. */
	enum { ANS_MAX = 65536 };
	unsigned char *ans = malloc(ANS_MAX);
	if (!ans)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct __res_state rs;
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) < 0) {
		free(ans);
		return spn_err_set(err, SPN_DIRECTORY, "looking up %s: cannot read the resolver "
		                   "configuration", name);
	}
	int len = res_nquery(&rs, name, ns_c_in, ns_t_srv, ans, ANS_MAX);
	int herr = rs.res_h_errno;
	res_nclose(&rs);
	/* glibc returns the answer's full length even when it did not fit:
	 * never read past what was written. */
	if (len > ANS_MAX) {
		free(ans);
		return spn_err_set(err, SPN_DIRECTORY, "looking up %s in DNS: the answer is longer "
		                   "than %d bytes", name, ANS_MAX);
	}
	if (len < 0) {
		free(ans);
		return spn_err_set(err, SPN_DIRECTORY, "looking up %s in DNS: %s", name,
		                   herr == HOST_NOT_FOUND ? "no such name" :
		                   herr == NO_DATA ? "no SRV records" :
		                   herr == TRY_AGAIN ? "no answer from the DNS server" : "lookup failed");
	}
	struct spn_srv *v;
	size_t nv;
	struct spn_err perr;
	spn_err_init(&perr);
	enum spn_rc prc = spn_srv_parse(ans, (size_t)len, &v, &nv, &perr);
	free(ans);
	if (prc)
		return spn_err_set(err, perr.rc == SPN_NOMEM ? SPN_NOMEM : SPN_DIRECTORY,
		                   "looking up %s in DNS: %s", name, perr.msg);
	if (nv == 0) {
		free(v);
		return spn_err_set(err, SPN_DIRECTORY, "looking up %s in DNS: no SRV records (none "
		                   "naming a usable host)", name);
	}
	spn_srv_sort(v, nv);
	char **u = calloc(nv, sizeof(*u));
	if (!u) {
		free(v);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < nv; i++) {
		char buf[300];
		snprintf(buf, sizeof(buf), "ldap://%s:%u", v[i].target, v[i].port);
		u[i] = strdup(buf);
		if (!u[i]) {
			spn_strv_free(u, i);
			free(v);
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		}
	}
	free(v);
	*uris = u;
	*n = nv;
	return SPN_OK;
}
