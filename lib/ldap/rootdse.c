/*
 * rootdse.c - what the server says about itself (base "", scope base): the
 * naming contexts to search and, for AD, whether it is a Global Catalog.
 * A server without defaultNamingContext (OpenLDAP) is searched at its
 * first namingContexts value. Whether the server is AD (a Samba DC says it
 * is) decides whether ranged requests may be sent.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap_int.h"

static char *dup_bv(const struct berval *bv)
{
	char *s = malloc(bv->bv_len + 1);
	if (s) {
		memcpy(s, bv->bv_val, bv->bv_len);
		s[bv->bv_len] = '\0';
	}
	return s;
}

void spn_rootdse_release(struct spn_rootdse *r)
{
	free(r->default_nc);
	free(r->config_nc);
	free(r->root_nc);
	free(r->dns_host);
	spn_strv_free(r->naming, r->nnaming);
	memset(r, 0, sizeof(*r));
}

const char *spn_rootdse_base(const struct spn_rootdse *r)
{
	if (r->default_nc)
		return r->default_nc;
	return r->nnaming ? r->naming[0] : NULL;
}

enum spn_rc spn_rootdse_read(struct spn_conn *c, struct spn_rootdse *r, struct spn_err *err)
{
	static char *attrs[] = {
		"defaultNamingContext", "configurationNamingContext", "rootDomainNamingContext",
		"namingContexts", "dnsHostName", "isGlobalCatalogReady", "supportedCapabilities", NULL,
	};
	memset(r, 0, sizeof(*r));
	LDAPMessage *res = NULL;
	struct timeval tv = {60, 0};
	int lrc = ldap_search_ext_s(c->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL,
	                            NULL, &tv, 0, &res);
	if (lrc != LDAP_SUCCESS) {
		if (res)
			ldap_msgfree(res);
		if (lrc == LDAP_SERVER_DOWN)
			c->down = true;
		return spn_ldap_fail(err, spn_ldap_rc(lrc, false), c->ld, lrc, c->uri,
		                     "reading the root DSE");
	}
	LDAPMessage *e = ldap_first_entry(c->ld, res);
	bool nomem = false;
	for (char **a = attrs; e && *a; a++) {
		struct berval **v = ldap_get_values_len(c->ld, e, *a);
		if (!v)
			continue;
		size_t n = ldap_count_values_len(v);
		if (n == 0) {
			ldap_value_free_len(v);
			continue;
		}
		char **slot = NULL;
		if (strcasecmp(*a, "defaultNamingContext") == 0)
			slot = &r->default_nc;
		else if (strcasecmp(*a, "configurationNamingContext") == 0)
			slot = &r->config_nc;
		else if (strcasecmp(*a, "rootDomainNamingContext") == 0)
			slot = &r->root_nc;
		else if (strcasecmp(*a, "dnsHostName") == 0)
			slot = &r->dns_host;
		if (slot) {
			*slot = dup_bv(v[0]);
			nomem |= !*slot;
		} else if (strcasecmp(*a, "namingContexts") == 0) {
			r->naming = calloc(n, sizeof(*r->naming));
			nomem |= !r->naming;
			for (size_t i = 0; r->naming && i < n; i++) {
				r->naming[i] = dup_bv(v[i]);
				nomem |= !r->naming[i];
				r->nnaming++;
			}
		} else if (strcasecmp(*a, "isGlobalCatalogReady") == 0) {
			r->gc_ready = v[0]->bv_len == 4 && strncasecmp(v[0]->bv_val, "TRUE", 4) == 0;
		} else if (strcasecmp(*a, "supportedCapabilities") == 0) {
			for (size_t i = 0; i < n; i++)
				if (v[i]->bv_len == sizeof(SPN_LDAP_CAP_AD) - 1 &&
				    memcmp(v[i]->bv_val, SPN_LDAP_CAP_AD, v[i]->bv_len) == 0)
					r->is_ad = true;
		}
		ldap_value_free_len(v);
	}
	ldap_msgfree(res);
	c->ranges = r->is_ad;
	if (nomem) {
		spn_rootdse_release(r);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	return SPN_OK;
}
