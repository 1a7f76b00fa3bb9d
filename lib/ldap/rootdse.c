/*
 * rootdse.c - what the server says about itself (base "", scope base): the
 * naming contexts to search and, for AD, whether it is a Global Catalog.
 * A server without defaultNamingContext (OpenLDAP) is searched at its
 * first namingContexts value. Whether the server is AD (a Samba DC says it
 * is) decides whether ranged requests may be sent. Read through
 * decode.c, like every other entry: a malformed answer is an error, not a
 * half-read rootDSE, and at most SPN_ROOTDSE_MAX_NAMING naming contexts
 * are kept.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap_int.h"

char *spn_bv_strdup(const struct berval *bv)
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

/* Where one rootDSE attribute goes. */
static enum spn_rc take_attr(struct spn_rootdse *r, struct spn_attr_walk *w,
                             const struct berval *name)
{
	static const char *const single[] = {
		"defaultNamingContext", "configurationNamingContext", "rootDomainNamingContext",
		"dnsHostName",
	};
	char **slot[] = {&r->default_nc, &r->config_nc, &r->root_nc, &r->dns_host};
	struct berval v;
	int k;
	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++) {
		if (name->bv_len != strlen(single[i]) ||
		    strncasecmp(name->bv_val, single[i], name->bv_len) != 0)
			continue;
		while ((k = spn_decode_value(w, &v)) == 1) {
			if (*slot[i] || memchr(v.bv_val, '\0', v.bv_len))
				continue;   /* single-valued: the first counts; no DN holds a NUL */
			if (!(*slot[i] = spn_bv_strdup(&v)))
				return SPN_NOMEM;
		}
		return k < 0 ? SPN_DIRECTORY : SPN_OK;
	}
	bool naming = name->bv_len == 14 && strncasecmp(name->bv_val, "namingContexts", 14) == 0;
	bool gc = name->bv_len == 20 && strncasecmp(name->bv_val, "isGlobalCatalogReady", 20) == 0;
	bool caps = name->bv_len == 21 && strncasecmp(name->bv_val, "supportedCapabilities", 21) == 0;
	while ((k = spn_decode_value(w, &v)) == 1) {
		if (naming && r->nnaming < SPN_ROOTDSE_MAX_NAMING &&
		    !memchr(v.bv_val, '\0', v.bv_len)) {
			char **nv = realloc(r->naming, (r->nnaming + 1) * sizeof(*nv));
			if (!nv)
				return SPN_NOMEM;
			r->naming = nv;
			if (!(nv[r->nnaming] = spn_bv_strdup(&v)))
				return SPN_NOMEM;
			r->nnaming++;
		} else if (gc) {
			r->gc_ready = v.bv_len == 4 && strncasecmp(v.bv_val, "TRUE", 4) == 0;
		} else if (caps && v.bv_len == sizeof(SPN_LDAP_CAP_AD) - 1 &&
		           memcmp(v.bv_val, SPN_LDAP_CAP_AD, v.bv_len) == 0) {
			r->is_ad = true;
		}
	}
	return k < 0 ? SPN_DIRECTORY : SPN_OK;
}

enum spn_rc spn_rootdse_parse(struct spn_rootdse *r, BerElement *ber)
{
	struct spn_attr_walk w;
	struct berval name;
	int k;
	enum spn_rc rc = SPN_OK;
	spn_decode_start(&w, ber);
	while (rc == SPN_OK && (k = spn_decode_attr(&w, &name)) == 1)
		rc = take_attr(r, &w, &name);
	if (rc == SPN_OK && k < 0)
		rc = SPN_DIRECTORY;
	return rc;
}

enum spn_rc spn_rootdse_read(struct spn_conn *c, struct spn_rootdse *r, struct spn_err *err)
{
	static char *attrs[] = {
		"defaultNamingContext", "configurationNamingContext", "rootDomainNamingContext",
		"namingContexts", "dnsHostName", "isGlobalCatalogReady", "supportedCapabilities", NULL,
	};
	memset(r, 0, sizeof(*r));
	LDAPMessage *e = NULL;
	char *diag = NULL;
	int lrc = spn_conn_read_base(c, "", attrs, &e, &diag);
	if (lrc != LDAP_SUCCESS) {
		if (e)
			ldap_msgfree(e);
		enum spn_rc rc;
		if (lrc == LDAP_TIMEOUT)
			rc = spn_err_set(err, SPN_DIRECTORY, "reading the root DSE on %s: %s", c->uri,
			                 spn_conn_expired(c) ? "no answer within the --timeout"
			                                     : "the server stopped answering");
		else
			rc = spn_ldap_fail_diag(err, spn_ldap_rc(lrc, false), diag, lrc, c->uri,
			                        "reading the root DSE");
		ldap_memfree(diag);
		return rc;
	}
	ldap_memfree(diag);
	enum spn_rc rc = SPN_OK;
	BerElement *ber = NULL;
	struct berval dn;
	if (e && ldap_get_dn_ber(c->ld, e, &ber, &dn) != LDAP_SUCCESS)
		rc = SPN_DIRECTORY;
	else if (e)
		rc = spn_rootdse_parse(r, ber);
	if (ber)
		ber_free(ber, 0);
	if (e)
		ldap_msgfree(e);
	c->ranges = r->is_ad;
	if (rc) {
		spn_rootdse_release(r);
		if (rc == SPN_NOMEM)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		return spn_err_set(err, SPN_DIRECTORY, "reading the root DSE on %s: the server's "
		                   "answer cannot be decoded", c->uri);
	}
	return SPN_OK;
}

enum spn_rc spn_rootdse_read_or_gap(struct spn_conn *c, struct spn_rootdse *r,
                                    struct spn_model *m, struct spn_err *err)
{
	struct spn_err e;
	spn_err_init(&e);
	enum spn_rc rc = spn_rootdse_read(c, r, &e);
	if (rc == SPN_OK)
		return SPN_OK;
	if (!c->timed_out)
		return spn_err_set(err, e.rc, "%s", e.msg);
	if (spn_model_add_gap(m, "%s: the server answered the bind, then nothing within %u s "
	                      "(reading its root DSE); nothing was read from it", c->uri,
	                      spn_conn_expired(c) ? c->timeout : SPN_LDAP_IDLE_MAX))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return SPN_INCOMPLETE;
}
