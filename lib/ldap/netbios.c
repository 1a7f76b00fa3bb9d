/*
 * netbios.c - -T with a NetBIOS domain name ("CONTOSO"), as setspn takes
 * it: the forest's crossRef objects (CN=Partitions in the configuration
 * naming context) say which domain has that nETBIOSName, and its dnsRoot
 * is the DNS name the rest of the load works with. Asked of the server the
 * command line names (-H, -d), else of the default one (ldap.conf).
 */
#include <stdlib.h>
#include <string.h>

#include "ldap_int.h"
#include "netbios.h"

bool spn_netbios_like(const char *name)
{
	return *name && !strchr(name, '.') && !strchr(name, '=') && strlen(name) <= 15;
}

/* The dnsRoot of the crossRef whose nETBIOSName is name, into out. One
 * bounded search (spn_conn_read_first: c's --timeout, extra entries
 * dropped and counted), as every read of a server that may misbehave. */
static enum spn_rc lookup(struct spn_conn *c, const char *config_nc, const char *name, char *out,
                          size_t cap, struct spn_err *err)
{
	struct spn_buf base, filter;
	spn_buf_init(&base, SPN_LDAP_STR_MAX);
	spn_buf_init(&filter, SPN_LDAP_STR_MAX);
	spn_buf_adds(&base, "CN=Partitions,");
	spn_buf_adds(&base, config_nc);
	spn_buf_adds(&filter, "(&(objectClass=crossRef)(nETBIOSName=");
	spn_filter_escape(&filter, name, strlen(name), false);
	spn_buf_adds(&filter, "))");
	char *attrs[] = {"dnsRoot", NULL};
	LDAPMessage *e = NULL;
	char *diag = NULL;
	enum spn_rc rc = SPN_OK;
	if (!spn_buf_str(&base) || !spn_buf_str(&filter)) {
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		goto out;
	}
	int lrc = spn_conn_read_first(c, spn_buf_str(&base), LDAP_SCOPE_ONELEVEL,
	                              spn_buf_str(&filter), attrs, &e, &diag);
	if (lrc == LDAP_TIMEOUT) {
		rc = spn_err_set(err, SPN_DIRECTORY, "looking up the NetBIOS domain name '%s' under %s "
		                 "on %s: %s", name, spn_buf_str(&base), c->uri,
		                 spn_conn_expired(c) ? "no answer within the --timeout"
		                                     : "the server stopped answering");
		goto out;
	}
	if (lrc != LDAP_SUCCESS && lrc != LDAP_SIZELIMIT_EXCEEDED) {
		rc = spn_ldap_fail_diag(err, spn_ldap_rc(lrc, false), diag, lrc, c->uri,
		                        "looking up the NetBIOS domain name '%s' under %s", name,
		                        spn_buf_str(&base));
		goto out;
	}
	struct berval **v = e ? ldap_get_values_len(c->ld, e, "dnsRoot") : NULL;
	if (v && v[0] && v[0]->bv_len && v[0]->bv_len < cap) {
		memcpy(out, v[0]->bv_val, v[0]->bv_len);
		out[v[0]->bv_len] = '\0';
	} else {
		rc = spn_err_set(err, SPN_USAGE, "-T '%s': no domain of the forest has that NetBIOS name "
		                 "(no crossRef with nETBIOSName=%s under %s on %s); give its DNS name",
		                 name, name, spn_buf_str(&base), c->uri);
	}
	ldap_value_free_len(v);
out:
	if (e)
		ldap_msgfree(e);
	ldap_memfree(diag);
	spn_buf_release(&base);
	spn_buf_release(&filter);
	return rc;
}

enum spn_rc spn_netbios_resolve(const struct spn_live_opts *o, const char *name, char *out,
                                size_t cap, struct spn_err *err)
{
	struct spn_conn c;
	struct spn_rootdse r;
	enum spn_rc rc = spn_conn_open_opts(&c, o, err);
	if (rc) {
		spn_err_prefix(err, "looking up the NetBIOS domain name of -T %s", name);
		return rc;
	}
	if ((rc = spn_rootdse_read(&c, &r, err)) == SPN_OK) {
		if (!r.config_nc)
			rc = spn_err_set(err, SPN_USAGE, "-T '%s': %s names no configuration naming context, "
			                 "so NetBIOS names cannot be looked up: give the DNS name", name, c.uri);
		else
			rc = lookup(&c, r.config_nc, name, out, cap, err);
		spn_rootdse_release(&r);
	}
	spn_conn_close(&c);
	return rc;
}
