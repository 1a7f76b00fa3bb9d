/*
 * uri.c - LDAP URIs and the names around them: default and Global Catalog
 * ports, lists of URIs as ldap.conf holds them, DNS domain <-> DC= DN, and
 * which continuation references point at
 * partitions that hold no accounts. Pure string work (libldap's URL parser
 * does the parsing), unit-tested in tests/unit/test_ldap_helpers.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap_int.h"

enum spn_rc spn_uri_parse(const char *s, struct spn_uri *u, struct spn_err *err)
{
	LDAPURLDesc *lud = NULL;
	memset(u, 0, sizeof(*u));
	int rc = ldap_url_parse(s, &lud);
	if (rc != LDAP_URL_SUCCESS || !lud || !lud->lud_scheme)
		goto bad;
	if (strcasecmp(lud->lud_scheme, "ldap") && strcasecmp(lud->lud_scheme, "ldaps") &&
	    strcasecmp(lud->lud_scheme, "ldapi"))
		goto bad;
	snprintf(u->scheme, sizeof(u->scheme), "%s", lud->lud_scheme);
	for (char *p = u->scheme; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	if (lud->lud_host) {
		if (strlen(lud->lud_host) >= sizeof(u->host))
			goto bad;
		snprintf(u->host, sizeof(u->host), "%s", lud->lud_host);
	}
	if (lud->lud_port < 0 || lud->lud_port > 65535)
		goto bad;
	u->port = (unsigned)lud->lud_port;
	if (u->port == 0 && strcmp(u->scheme, "ldapi") != 0)
		u->port = strcmp(u->scheme, "ldaps") == 0 ? SPN_PORT_LDAPS : SPN_PORT_LDAP;
	ldap_free_urldesc(lud);
	return SPN_OK;
bad:
	if (lud)
		ldap_free_urldesc(lud);
	return spn_err_set(err, SPN_USAGE,
	                   "'%s' is not an LDAP URI (ldap://host[:port] or ldaps://host[:port])", s);
}

bool spn_uri_is_tls(const struct spn_uri *u)
{
	return strcmp(u->scheme, "ldaps") == 0;
}

void spn_uri_format(const struct spn_uri *u, char *buf, size_t cap)
{
	bool v6 = strchr(u->host, ':') != NULL;
	bool def = (strcmp(u->scheme, "ldap") == 0 && u->port == SPN_PORT_LDAP) ||
	           (strcmp(u->scheme, "ldaps") == 0 && u->port == SPN_PORT_LDAPS) ||
	           u->port == 0;
	char port[16] = "";
	if (!def)
		snprintf(port, sizeof(port), ":%u", u->port);
	snprintf(buf, cap, "%s://%s%s%s%s", u->scheme, v6 ? "[" : "", u->host, v6 ? "]" : "", port);
}

void spn_uri_to_gc(struct spn_uri *u)
{
	if (u->port == SPN_PORT_LDAP)
		u->port = SPN_PORT_GC;
	else if (u->port == SPN_PORT_LDAPS)
		u->port = SPN_PORT_GCS;
}

void spn_uri_to_dc(struct spn_uri *u)
{
	if (u->port == SPN_PORT_GC)
		u->port = SPN_PORT_LDAP;
	else if (u->port == SPN_PORT_GCS)
		u->port = SPN_PORT_LDAPS;
}

bool spn_uri_split(const char *list, char ***uris, size_t *n)
{
	*uris = NULL;
	*n = 0;
	char **v = NULL;
	size_t k = 0;
	for (const char *t = list; *(t += strspn(t, " ,"));) {
		size_t len = strcspn(t, " ,");
		char **nv = realloc(v, (k + 1) * sizeof(*v));
		if (nv)
			v = nv;
		if (!nv || !(v[k] = strndup(t, len))) {
			while (k)
				free(v[--k]);
			free(v);
			return false;
		}
		k++;
		t += len;
	}
	*uris = v;
	*n = k;
	return true;
}

char *spn_domain_to_dn(const char *domain)
{
	size_t n = strlen(domain);
	while (n && domain[n - 1] == '.')  /* "corp.example." is the same domain */
		n--;
	if (n == 0)
		return NULL;
	struct spn_buf b;
	spn_buf_init(&b, SPN_LDAP_STR_MAX);
	const char *p = domain, *end = domain + n;
	while (p < end) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		const char *q = dot ? dot : end;
		if (q == p) {
			spn_buf_release(&b);
			return NULL;
		}
		spn_buf_adds(&b, b.n ? ",DC=" : "DC=");
		/* DNS labels hold no DN specials but ',', '+', '"', '\\', '<',
		 * '>', ';', '=' and '#' would need escaping: refuse them. */
		for (const char *c = p; c < q; c++) {
			if (strchr(",+\"\\<>;=#", *c)) {
				spn_buf_release(&b);
				return NULL;
			}
		}
		spn_buf_add(&b, p, (size_t)(q - p));
		p = dot ? dot + 1 : end;
	}
	if (!spn_buf_ok(&b)) {
		spn_buf_release(&b);
		return NULL;
	}
	return b.p;
}

/* First RDN of the DN in a reference URL "ldap://host/DN?..." */
static bool ref_first_rdn(const char *url, char *rdn, size_t cap)
{
	LDAPURLDesc *lud = NULL;
	if (ldap_url_parse(url, &lud) != LDAP_URL_SUCCESS || !lud)
		return false;
	bool ok = false;
	if (lud->lud_dn && *lud->lud_dn) {
		const char *d = lud->lud_dn;
		size_t i = 0;
		while (d[i] && d[i] != ',' && i + 1 < cap) {
			rdn[i] = d[i];
			i++;
		}
		rdn[i] = '\0';
		ok = true;
	}
	ldap_free_urldesc(lud);
	return ok;
}

bool spn_ref_is_accountless(const char *url)
{
	static const char *const names[] = {
		"CN=Configuration", "CN=Schema", "DC=DomainDnsZones", "DC=ForestDnsZones",
	};
	char rdn[64];
	if (!ref_first_rdn(url, rdn, sizeof(rdn)))
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(rdn, names[i]) == 0)
			return true;
	return false;
}
