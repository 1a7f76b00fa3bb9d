/*
 * live.c - spn_live_load(): a live directory into the model, in as few
 * round trips as the audit allows:
 *
 *   connect + bind  ->  rootDSE  ->  CN=Directory Service (sPNMappings,
 *   dSHeuristics)  ->  paged subtree searches for every account and group
 *   a check reads, asking for exactly the attributes of enum spn_attr.
 *
 * The front door of lib/ldap (spn/live.h): here the servers and the naming
 * contexts are chosen - -H, -d DOMAIN's DCs or ldap.conf; -T DOMAIN
 * searches chosen domains; --forest goes through the Global Catalog
 * (forest.c) - and nc_search.c searches each naming context.
 *
 * Anything cut short is a gap in the model; the load then returns
 * SPN_INCOMPLETE with the first gap as the message.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_int.h"
#include "netbios.h"

void spn_live_opts_init(struct spn_live_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout = SPN_LIVE_TIMEOUT;
}

/* Connect (uris, or SRV of domain, or ldap.conf), read the rootDSE, the
 * Directory Service object, then search base (NULL: the server's naming
 * context). *ds_done says whether the DS object was read already. */
static enum spn_rc load_server(const char *const *uris, size_t nuris, const char *domain,
                               const char *base, const struct spn_live_opts *o,
                               struct spn_model *m, struct spn_progress *pr, bool *ds_done,
                               struct spn_err *err)
{
	char **found = NULL;
	size_t nfound = 0;
	if (nuris == 0 && domain) {
		if (spn_discover(domain, false, &found, &nfound, err)) {
			spn_err_prefix(err, "finding a domain controller of %s (-d/-T)", domain);
			return err->rc;
		}
		uris = (const char *const *)found;
		nuris = nfound;
	}
	struct spn_conn c;
	enum spn_rc rc = spn_conn_open_any(&c, uris, nuris, nfound > 0 || o->uris_found, o, err);
	spn_strv_free(found, nfound);
	if (rc)
		return rc;
	struct spn_rootdse r;
	uint16_t src;
	char *conf_base = NULL;
	if ((rc = spn_model_add_source(m, c.uri, "ldap", &src, err)) ||
	    (rc = spn_rootdse_read_or_gap(&c, &r, m, err)))
		goto out_conn;
	/* Nothing on the command line says where: ldap.conf's BASE (LDAPBASE)
	 * when ldap.conf also chose the server, as ldapsearch does; else the
	 * server's default naming context. */
	if (!base && !o->base && nuris == 0 && !domain) {
		char *def = NULL;
		if (ldap_get_option(c.ld, LDAP_OPT_DEFBASE, &def) == LDAP_OPT_SUCCESS && def && *def)
			conf_base = def;
		else
			ldap_memfree(def);
	}
	if (!base)
		base = o->base ? o->base : conf_base ? conf_base : spn_rootdse_base(&r);
	if (!base) {
		rc = spn_err_set(err, SPN_USAGE, "%s names no naming context in its root DSE: give -b BASE",
		                 c.uri);
		goto out;
	}
	enum spn_rc incomplete = SPN_OK;
	if (!*ds_done) {
		rc = spn_nc_read_ds(&c, r.config_nc, m, src, err);
		if (rc == SPN_INCOMPLETE)
			incomplete = rc;
		else if (rc)
			goto out;
		*ds_done = true;
	}
	if (c.down) {
		rc = SPN_INCOMPLETE;
		goto out;
	}
	rc = spn_nc_search(&c, base, domain, src, NULL, NULL, o, m, pr, err);
	if (rc == SPN_OK)
		rc = incomplete;
out:
	ldap_memfree(conf_base);
	spn_rootdse_release(&r);
out_conn:
	spn_conn_close(&c);
	return rc;
}

static enum spn_rc load_targets(const struct spn_live_opts *o, struct spn_model *m,
                                struct spn_progress *pr, bool *ds_done, struct spn_err *err)
{
	enum spn_rc result = SPN_OK;
	for (size_t i = 0; i < o->ntargets; i++) {
		const char *target = o->targets[i];
		char dns[256];
		if (spn_netbios_like(target)) {   /* -T CONTOSO, as setspn takes it */
			if (spn_netbios_resolve(o, target, dns, sizeof(dns), err))
				return err->rc;
			target = dns;
		}
		char *base = spn_domain_to_dn(target);
		if (!base)
			return spn_err_set(err, SPN_USAGE, "-T '%s' is not a DNS domain name", target);
		/* With -H, that server is asked for every domain (it may refer
		 * the search elsewhere: a gap); otherwise each domain's DCs. */
		enum spn_rc rc = load_server(o->uris, o->nuris, target, base, o, m, pr, ds_done, err);
		free(base);
		if (rc == SPN_INCOMPLETE)
			result = rc;
		else if (rc)
			return rc;
	}
	return result;
}

enum spn_rc spn_live_load(struct spn_model *m, const struct spn_live_opts *o, struct spn_err *err)
{
	/* A server that drops the connection while a request is being sent
	 * would kill the process with SIGPIPE (libldap writes with plain
	 * write()): ignore it while we talk to servers, as curl's library
	 * does, and put the caller's disposition back afterwards. */
	struct sigaction ign, old_pipe;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	bool restore = sigaction(SIGPIPE, &ign, &old_pipe) == 0;
	enum spn_rc rc = spn_live_load_quiet(m, o, err);
	if (restore)
		sigaction(SIGPIPE, &old_pipe, NULL);
	return rc;
}

enum spn_rc spn_live_load_quiet(struct spn_model *m, const struct spn_live_opts *o,
                                struct spn_err *err)
{
	if (o->nuris && o->domain)
		return spn_err_set(err, SPN_USAGE, "-H and -d both name servers: give one of them");
	if (o->base && (o->forest || o->ntargets))
		return spn_err_set(err, SPN_USAGE, "-b does not go with --forest or -T: they choose the "
		                   "naming contexts themselves");
	/* One deadline for the whole read (--timeout), whatever the number of
	 * servers and searches. */
	struct spn_live_opts timed = *o;
	spn_deadline_after(&timed.deadline, o->timeout);
	o = &timed;
	struct spn_progress pr;
	spn_progress_init(&pr, o->progress);
	size_t gaps_before = spn_model_ngaps(m), sources_before = spn_model_nsources(m);
	bool ds_done = false;
	enum spn_rc rc;
	if (o->forest)
		rc = spn_forest_load(m, o, &pr, err);
	else if (o->ntargets)
		rc = load_targets(o, m, &pr, &ds_done, err);
	else
		rc = load_server(o->uris, o->nuris, o->domain, NULL, o, m, &pr, &ds_done, err);
	spn_progress_done(&pr);
	/* Named accounts or patterns: a few entries on purpose, so what they
	 * lack says nothing of what the directory returns (spn/model.h). */
	if (o->naccounts || o->npatterns)
		for (size_t i = sources_before; i < spn_model_nsources(m); i++)
			for (size_t k = 0; k < spn_nc_naccount_attrs; k++)
				spn_model_source_asked(m, i, 1u << spn_nc_account_attrs[k]);
	if (rc == SPN_INCOMPLETE || (rc == SPN_OK && spn_model_ngaps(m) > gaps_before)) {
		size_t n = spn_model_ngaps(m) - gaps_before;
		if (n == 0)
			return spn_err_set(err, SPN_INCOMPLETE, "the directory was not read completely");
		if (n == 1)
			return spn_err_set(err, SPN_INCOMPLETE, "%s", spn_model_gap(m, gaps_before));
		return spn_err_set(err, SPN_INCOMPLETE, "%s (and %zu more gaps)",
		                   spn_model_gap(m, gaps_before), n - 1);
	}
	return rc;
}
