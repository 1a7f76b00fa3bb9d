/*
 * dcs.c - every writable DC of a domain (spn/dcs.h): found in DNS and in
 * the configuration partition, each read on its own connection on the
 * worker pool (lib/base/pool.h), and replPropertyMetaData read for chosen
 * accounts (provenance).
 *
 * The configuration partition says which DCs exist: an nTDSDSA object
 * ("CN=NTDS Settings,CN=DC2,CN=Servers,CN=<site>,CN=Sites,<config>") per
 * DC, whose parent server object carries dNSHostName, whose invocationId
 * names the DC in replication stamps, whose msDS-HasDomainNCs (Windows
 * 2003 and later, Samba) or hasMasterNCs names its domain, and whose
 * objectCategory is NTDS-DSA-RO for a read-only DC. DNS says which DCs
 * clients find. A DC only DNS names (removed without its records?) or
 * only the configuration names (records missing) is still read; the note
 * says which.
 */
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "spn/dcs.h"
#include "base/pool.h"
#include "ldap_int.h"
#include "netbios.h"

#define SPN_DCS_IN_FLIGHT 8
#define CONFIG_TIMEOUT 120    /* seconds: the configuration holds a few objects per DC */
#define STAMP_BATCH 64        /* DNs per replPropertyMetaData search */

static bool push_note(struct spn_dc_list *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool push_note(struct spn_dc_list *l, const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char **v = realloc(l->notes, (l->nnotes + 1) * sizeof(*v));
	if (!v)
		return false;
	l->notes = v;
	if (!(v[l->nnotes] = strdup(buf)))
		return false;
	l->nnotes++;
	return true;
}

static void dc_free(struct spn_dc *d)
{
	free(d->name);
	free(d->host);
	free(d->uri);
	free(d->domain);
	free(d->base);
	free(d->ntds_dn);
}

void spn_dcs_release(struct spn_dc_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		dc_free(&l->v[i]);
	free(l->v);
	spn_strv_free(l->notes, l->nnotes);
	memset(l, 0, sizeof(*l));
}

static struct spn_dc *push_dc(struct spn_dc_list *l)
{
	struct spn_dc *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	return &v[l->n++];
}

/* Host names compare without case and without a final dot. */
static bool same_host(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na && a[na - 1] == '.')
		na--;
	if (nb && b[nb - 1] == '.')
		nb--;
	return na == nb && strncasecmp(a, b, na) == 0;
}

/* ---- The configuration partition ---- */

struct dsa {
	char *dn, *server_dn, *category, *domain_nc;
	unsigned char invocation[16];
	bool has_invocation;
};

struct server {
	char *dn, *host;
};

struct config {
	struct dsa *dsas;
	size_t ndsas;
	struct server *servers;
	size_t nservers;
};

static void config_release(struct config *c)
{
	for (size_t i = 0; i < c->ndsas; i++) {
		free(c->dsas[i].dn);
		free(c->dsas[i].server_dn);
		free(c->dsas[i].category);
		free(c->dsas[i].domain_nc);
	}
	for (size_t i = 0; i < c->nservers; i++) {
		free(c->servers[i].dn);
		free(c->servers[i].host);
	}
	free(c->dsas);
	free(c->servers);
	memset(c, 0, sizeof(*c));
}

/* The first value of attr, malloc'd, or NULL (*nomem on failure). */
static char *first_value(LDAP *ld, LDAPMessage *e, const char *attr, bool *nomem)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	char *s = NULL;
	if (v && v[0]) {
		s = spn_bv_strdup(v[0]);
		*nomem |= !s;
	}
	ldap_value_free_len(v);
	return s;
}

/* A DN made of DC= parts only: a domain naming context. */
static bool is_domain_dn(const char *dn)
{
	for (const char *p = dn; *p;) {
		if (strncasecmp(p, "DC=", 3) != 0)
			return false;
		p = strchr(p, ',');
		if (!p)
			return true;
		p++;
	}
	return false;
}

/* The DSA's domain: msDS-HasDomainNCs, else the hasMasterNCs value that
 * is a domain. */
static char *dsa_domain(LDAP *ld, LDAPMessage *e, bool *nomem)
{
	char *d = first_value(ld, e, "msDS-HasDomainNCs", nomem);
	if (d)
		return d;
	struct berval **v = ldap_get_values_len(ld, e, "hasMasterNCs");
	for (size_t i = 0; v && v[i] && !d; i++) {
		char *s = spn_bv_strdup(v[i]);
		*nomem |= !s;
		if (s && is_domain_dn(s))
			d = s;
		else
			free(s);
	}
	ldap_value_free_len(v);
	return d;
}

static enum spn_rc config_search(struct spn_conn *c, const char *base, const char *filter,
                                 char **attrs, LDAPMessage **res, struct spn_err *err)
{
	struct timeval tv = {CONFIG_TIMEOUT, 0};
	int lrc = ldap_search_ext_s(c->ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL,
	                            &tv, 0, res);
	if (lrc == LDAP_SUCCESS)
		return SPN_OK;
	return spn_ldap_fail(err, spn_ldap_rc(lrc, false), c->ld, lrc, c->uri,
	                     "listing the DCs (%s) under '%s'", filter, base);
}

static enum spn_rc read_servers(struct spn_conn *c, const char *sites, struct config *cf,
                                struct spn_err *err)
{
	static char *attrs[] = {"dNSHostName", NULL};
	LDAPMessage *res = NULL;
	enum spn_rc rc = config_search(c, sites, "(objectClass=server)", attrs, &res, err);
	bool nomem = false;
	int n = rc ? 0 : ldap_count_entries(c->ld, res);
	if (n > 0 && !(cf->servers = calloc((size_t)n, sizeof(*cf->servers))))
		nomem = true;
	for (LDAPMessage *e = n > 0 ? ldap_first_entry(c->ld, res) : NULL; e && !nomem;
	     e = ldap_next_entry(c->ld, e)) {
		char *dn = ldap_get_dn(c->ld, e);
		struct server *s = &cf->servers[cf->nservers++];
		s->dn = dn ? strdup(dn) : NULL;
		ldap_memfree(dn);
		s->host = first_value(c->ld, e, "dNSHostName", &nomem);
		nomem |= !s->dn;
	}
	ldap_msgfree(res);
	if (nomem)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return rc;
}

static enum spn_rc read_dsas(struct spn_conn *c, const char *sites, struct config *cf,
                             struct spn_err *err)
{
	static char *attrs[] = {"invocationId", "objectCategory", "msDS-HasDomainNCs",
	                        "hasMasterNCs", NULL};
	LDAPMessage *res = NULL;
	enum spn_rc rc = config_search(c, sites, "(objectClass=nTDSDSA)", attrs, &res, err);
	bool nomem = false;
	int n = rc ? 0 : ldap_count_entries(c->ld, res);
	if (n > 0 && !(cf->dsas = calloc((size_t)n, sizeof(*cf->dsas))))
		nomem = true;
	for (LDAPMessage *e = n > 0 ? ldap_first_entry(c->ld, res) : NULL; e && !nomem;
	     e = ldap_next_entry(c->ld, e)) {
		char *dn = ldap_get_dn(c->ld, e);
		struct dsa *d = &cf->dsas[cf->ndsas++];
		d->dn = dn ? strdup(dn) : NULL;
		ldap_memfree(dn);
		nomem |= !d->dn;
		const char *comma = d->dn ? strchr(d->dn, ',') : NULL;
		if (comma && !(d->server_dn = strdup(comma + 1)))
			nomem = true;
		d->category = first_value(c->ld, e, "objectCategory", &nomem);
		d->domain_nc = dsa_domain(c->ld, e, &nomem);
		struct berval **v = ldap_get_values_len(c->ld, e, "invocationId");
		if (v && v[0] && v[0]->bv_len == 16) {
			memcpy(d->invocation, v[0]->bv_val, 16);
			d->has_invocation = true;
		}
		ldap_value_free_len(v);
	}
	ldap_msgfree(res);
	if (nomem)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return rc;
}

static const char *server_host(const struct config *cf, const char *server_dn)
{
	for (size_t i = 0; server_dn && i < cf->nservers; i++)
		if (cf->servers[i].dn && strcasecmp(cf->servers[i].dn, server_dn) == 0)
			return cf->servers[i].host;
	return NULL;
}

/* "DC2" of "CN=DC2,CN=Servers,...". */
static char *server_name(const char *server_dn)
{
	if (!server_dn || strncasecmp(server_dn, "CN=", 3) != 0)
		return NULL;
	size_t n = strcspn(server_dn + 3, ",");
	return strndup(server_dn + 3, n);
}

/* ---- Which domains, which DCs ---- */

/* "contoso.test" of "DC=contoso,DC=test" (malloc'd). */
static char *dn_to_domain(const char *dn)
{
	char buf[256];
	if (!spn_dn_domain_name(dn, strlen(dn), buf, sizeof(buf)))
		return NULL;
	return strdup(buf);
}

struct find {
	struct spn_dc_list *l;
	const struct spn_live_opts *o;
	struct spn_uri seed;          /* scheme and port for the DCs' URIs */
	char **domains;               /* the domains asked for (lower case) */
	size_t ndomains;
	bool every_domain;            /* --forest */
};

static bool wanted(const struct find *f, const char *domain)
{
	if (f->every_domain)
		return true;
	for (size_t i = 0; i < f->ndomains; i++)
		if (strcasecmp(f->domains[i], domain) == 0)
			return true;
	return false;
}

static char *dc_uri(const struct find *f, const char *host, unsigned srv_port)
{
	struct spn_uri u = f->seed;
	snprintf(u.host, sizeof(u.host), "%s", host);
	size_t n = strlen(u.host);
	if (n && u.host[n - 1] == '.')
		u.host[n - 1] = '\0';
	if (srv_port && strcmp(u.scheme, "ldap") == 0)
		u.port = srv_port;
	char buf[300];
	spn_uri_format(&u, buf, sizeof(buf));
	return strdup(buf);
}

static enum spn_rc add_config_dcs(struct find *f, const struct config *cf, struct spn_err *err)
{
	for (size_t i = 0; i < cf->ndsas; i++) {
		const struct dsa *d = &cf->dsas[i];
		char *domain = d->domain_nc ? dn_to_domain(d->domain_nc) : NULL;
		char *name = server_name(d->server_dn);
		const char *host = server_host(cf, d->server_dn);
		bool ok = true;
		if (!domain || !wanted(f, domain)) {
			if (!domain && !push_note(f->l, "%s names no domain (msDS-HasDomainNCs, "
			                          "hasMasterNCs): left out", d->dn))
				ok = false;
		} else if (d->category && strncasecmp(d->category, "CN=NTDS-DSA-RO,", 15) == 0) {
			ok = push_note(f->l, "%s (%s) is a read-only DC: left out, nothing is written there",
			               name ? name : d->dn, host ? host : "no dNSHostName");
		} else if (!host) {
			ok = push_note(f->l, "%s: its server object has no dNSHostName, so it cannot be "
			               "reached by name: not read", d->dn);
		} else {
			struct spn_dc *dc = push_dc(f->l);
			ok = dc != NULL;
			if (dc) {
				dc->name = name ? name : strdup(host);
				name = NULL;
				dc->host = strdup(host);
				dc->uri = dc_uri(f, host, 0);
				dc->domain = domain;
				dc->base = strdup(d->domain_nc);
				dc->ntds_dn = strdup(d->dn);
				domain = NULL;
				memcpy(dc->invocation, d->invocation, 16);
				dc->has_invocation = d->has_invocation;
				dc->in_config = true;
				ok = dc->name && dc->host && dc->uri && dc->base && dc->ntds_dn;
			}
		}
		free(domain);
		free(name);
		if (!ok)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	return SPN_OK;
}

/* DNS's DCs of domain: matched to the configuration's by host name. */
static enum spn_rc add_dns_dcs(struct find *f, const char *domain, bool have_config,
                               struct spn_err *err)
{
	char **uris = NULL;
	size_t n = 0;
	struct spn_err e;
	spn_err_init(&e);
	if (spn_discover(domain, false, &uris, &n, &e)) {
		if (e.rc == SPN_NOMEM)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		if (!push_note(f->l, "%s%s", e.msg, have_config ? ": the DCs are the configuration "
		               "partition's" : ""))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		return SPN_OK;
	}
	enum spn_rc rc = SPN_OK;
	for (size_t i = 0; i < n && rc == SPN_OK; i++) {
		struct spn_uri u;
		struct spn_err ue;
		spn_err_init(&ue);
		if (spn_uri_parse(uris[i], &u, &ue))
			continue;
		struct spn_dc *match = NULL;
		for (size_t j = 0; j < f->l->n && !match; j++)
			if (same_host(f->l->v[j].host, u.host))
				match = &f->l->v[j];
		if (match) {
			match->in_dns = true;
			continue;
		}
		struct spn_dc *dc = push_dc(f->l);
		if (!dc) {
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
		char *base = spn_domain_to_dn(domain);
		dc->name = strdup(u.host);
		dc->host = strdup(u.host);
		dc->uri = dc_uri(f, u.host, u.port);
		dc->domain = strdup(domain);
		dc->base = base;
		dc->in_dns = true;
		if (!dc->name || !dc->host || !dc->uri || !dc->domain || !dc->base)
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		else if (have_config &&
		         !push_note(f->l, "%s is in DNS (_ldap._tcp.dc._msdcs.%s) but no nTDSDSA object "
		                    "of the configuration names it: a DC removed without its DNS "
		                    "records? (read all the same)", u.host, domain))
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	spn_strv_free(uris, n);
	return rc;
}

static enum spn_rc note_not_in_dns(struct find *f, struct spn_err *err)
{
	for (size_t i = 0; i < f->l->n; i++) {
		const struct spn_dc *dc = &f->l->v[i];
		if (dc->in_config && !dc->in_dns &&
		    !push_note(f->l, "%s (%s) has no _ldap._tcp.dc._msdcs.%s SRV record: clients do "
		               "not find it by DNS (read all the same)", dc->name, dc->host, dc->domain))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	return SPN_OK;
}

/* The domains asked for: -T's, else -d's, else the seed's own. */
static enum spn_rc domains_asked(struct find *f, const struct spn_rootdse *r, struct spn_err *err)
{
	const struct spn_live_opts *o = f->o;
	f->every_domain = o->forest;
	size_t n = o->ntargets ? o->ntargets : 1;
	f->domains = calloc(n, sizeof(*f->domains));
	if (!f->domains)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *d = o->ntargets ? o->targets[i] : o->domain;
		char dns[256];
		if (o->ntargets && spn_netbios_like(d)) {   /* -T CONTOSO, as live.c takes it */
			if (spn_netbios_resolve(o, d, dns, sizeof(dns), err))
				return err->rc;
			d = dns;
		}
		char *s = d ? strdup(d) : r->default_nc ? dn_to_domain(r->default_nc) : NULL;
		if (!s && (d || r->default_nc))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		if (!s)
			return spn_err_set(err, SPN_USAGE, "--all-dcs: the server names no default naming "
			                   "context: give -d DOMAIN");
		for (char *p = s; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		f->domains[f->ndomains++] = s;
	}
	return SPN_OK;
}

/* The DCs the configuration names, read through the seed connection. */
static enum spn_rc from_config(struct find *f, struct spn_conn *c, const struct spn_rootdse *r,
                               bool *have, struct spn_err *err)
{
	*have = false;
	if (!r->config_nc)
		return push_note(f->l, "%s has no configuration partition (not Active Directory): the "
		                 "DCs are DNS's", c->uri) ? SPN_OK
		                 : spn_err_set(err, SPN_NOMEM, "out of memory");
	struct config cf;
	memset(&cf, 0, sizeof(cf));
	struct spn_buf sites;
	spn_buf_init(&sites, SPN_LDAP_STR_MAX);
	spn_buf_addf(&sites, "CN=Sites,%s", r->config_nc);
	enum spn_rc rc = spn_buf_str(&sites) ? SPN_OK : spn_err_set(err, SPN_NOMEM, "out of memory");
	if (rc == SPN_OK && (rc = read_servers(c, spn_buf_str(&sites), &cf, err)) == SPN_OK &&
	    (rc = read_dsas(c, spn_buf_str(&sites), &cf, err)) == SPN_OK) {
		rc = add_config_dcs(f, &cf, err);
		*have = rc == SPN_OK;
	}
	spn_buf_release(&sites);
	config_release(&cf);
	return rc;
}


enum spn_rc spn_dcs_find(struct spn_dc_list *l, const struct spn_live_opts *o, struct spn_err *err)
{
	memset(l, 0, sizeof(*l));
	if (o->nuris && o->domain)
		return spn_err_set(err, SPN_USAGE, "-H and -d both name servers: give one of them");
	struct find f = {.l = l, .o = o};
	struct spn_conn c;
	struct spn_rootdse r;
	memset(&r, 0, sizeof(r));
	enum spn_rc rc = spn_conn_open_opts(&c, o, err);
	if (rc)
		return rc;
	if ((rc = spn_rootdse_read(&c, &r, err)) || (rc = spn_uri_parse(c.uri, &f.seed, err)) ||
	    (rc = domains_asked(&f, &r, err)))
		goto out;
	bool have_config;
	if ((rc = from_config(&f, &c, &r, &have_config, err)))
		goto out;
	if (f.every_domain) {   /* the forest: every domain the configuration names */
		for (size_t i = 0; i < l->n && rc == SPN_OK; i++) {
			bool seen = false;
			for (size_t j = 0; j < i; j++)
				seen |= strcasecmp(l->v[j].domain, l->v[i].domain) == 0;
			if (!seen)
				rc = add_dns_dcs(&f, l->v[i].domain, have_config, err);
		}
	} else {
		for (size_t i = 0; i < f.ndomains && rc == SPN_OK; i++)
			rc = add_dns_dcs(&f, f.domains[i], have_config, err);
	}
	if (rc == SPN_OK && have_config)
		rc = note_not_in_dns(&f, err);
	if (rc == SPN_OK && l->n == 0)
		rc = spn_err_set(err, SPN_DIRECTORY, "%s: neither DNS nor the configuration partition "
		                 "names a writable DC of %s", c.uri,
		                 f.every_domain ? "the forest" : f.domains[0]);
out:
	spn_strv_free(f.domains, f.ndomains);
	spn_rootdse_release(&r);
	spn_conn_close(&c);
	if (rc)
		spn_dcs_release(l);
	return rc;
}

enum spn_rc spn_dcs_to_model(const struct spn_dc_list *l, struct spn_model *m, struct spn_err *err)
{
	static const char oc[] = "nTDSDSA";
	struct spn_entry e;
	spn_entry_init(&e);
	enum spn_rc rc = SPN_OK;
	for (size_t i = 0; i < l->n && rc == SPN_OK; i++) {
		const struct spn_dc *dc = &l->v[i];
		if (!dc->ntds_dn || !dc->has_invocation)
			continue;
		spn_entry_reset(&e);
		e.dn = (struct spn_slice){dc->ntds_dn, strlen(dc->ntds_dn)};
		e.where = dc->uri;
		if (spn_entry_add(&e, SPN_A_OBJECTCLASS, oc, sizeof(oc) - 1) ||
		    spn_entry_add(&e, SPN_A_INVOCATIONID, (const char *)dc->invocation, 16))
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		else
			rc = spn_model_add_entry(m, 0, &e, err);
	}
	spn_entry_release(&e);
	return rc;
}

/* ---- Reading every DC ---- */

struct reading {
	const struct spn_dc_list *l;
	const struct spn_live_opts *o;
	unsigned model_flags;
	struct spn_dc_read *reads;
	spn_dc_done_fn done;
	void *ctx;
	pthread_mutex_t lock;
	bool nomem;
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One DC: its own model, read through the same code as any live load. */
static void read_one(void *ctx, size_t i)
{
	struct reading *x = ctx;
	const struct spn_dc *dc = &x->l->v[i];
	struct spn_dc_read *r = &x->reads[i];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct spn_live_opts o = *x->o;
	const char *uri = dc->uri;
	o.uris = &uri;
	o.nuris = 1;
	o.uris_found = true;
	o.domain = NULL;
	o.base = dc->base;
	o.targets = NULL;
	o.ntargets = 0;
	o.forest = false;
	o.progress = NULL;
	struct spn_err e;
	spn_err_init(&e);
	r->m = spn_model_new(x->model_flags);
	if (!r->m) {
		r->rc = spn_err_set(&e, SPN_NOMEM, "out of memory");
	} else {
		r->rc = spn_live_load_quiet(r->m, &o, &e);
		if (r->rc == SPN_OK || r->rc == SPN_INCOMPLETE) {
			struct spn_err fe;
			spn_err_init(&fe);
			if (spn_model_finish(r->m, &fe))
				r->rc = spn_err_set(&e, fe.rc, "%s", fe.msg);
		}
		if (r->rc != SPN_OK && r->rc != SPN_INCOMPLETE) {
			spn_model_free(r->m);
			r->m = NULL;
		}
	}
	if (r->rc)
		snprintf(r->error, sizeof(r->error), "%s", e.msg);
	r->seconds = seconds_since(&t0);
	pthread_mutex_lock(&x->lock);
	if (r->rc == SPN_NOMEM)
		x->nomem = true;
	if (x->done)
		x->done(x->ctx, dc, r);
	pthread_mutex_unlock(&x->lock);
}

enum spn_rc spn_dcs_read(const struct spn_dc_list *l, const struct spn_live_opts *o,
                         unsigned in_flight, unsigned model_flags, struct spn_dc_read *reads,
                         spn_dc_done_fn done, void *ctx, struct spn_err *err)
{
	memset(reads, 0, l->n * sizeof(*reads));
	struct reading x = {l, o, model_flags, reads, done, ctx, PTHREAD_MUTEX_INITIALIZER, false};
	/* SIGPIPE off for all the threads at once (live.c says why); each
	 * load below leaves the disposition alone. */
	struct sigaction ign, old_pipe;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	bool restore = sigaction(SIGPIPE, &ign, &old_pipe) == 0;
	spn_pool_run(in_flight ? in_flight : SPN_DCS_IN_FLIGHT, l->n, read_one, &x);
	if (restore)
		sigaction(SIGPIPE, &old_pipe, NULL);
	pthread_mutex_destroy(&x.lock);
	if (x.nomem)
		return spn_err_set(err, SPN_NOMEM, "out of memory reading the DCs");
	return SPN_OK;
}

void spn_dc_reads_release(struct spn_dc_read *reads, size_t n)
{
	for (size_t i = 0; reads && i < n; i++) {
		spn_model_free(reads[i].m);
		reads[i].m = NULL;
	}
}

/* ---- Provenance: replPropertyMetaData of chosen accounts ---- */

struct stamps {
	struct spn_model *m;
	struct spn_model *gaps;   /* where the searches record gaps: provenance is an
	                             addition, its failure no gap in the audit's data */
	uint64_t read;
	uint64_t without;         /* accounts returned without replPropertyMetaData */
	const char *example;      /* the first of those (its DN, in m) */
};

static enum spn_rc stamp_entry(void *ctx, const struct spn_entry *e, struct spn_err *err)
{
	struct stamps *s = ctx;
	const struct spn_values *v = &e->attr[SPN_A_REPLMETA];
	uint32_t id = spn_model_find_dn(s->m, e->dn.p, e->dn.n);
	if (id == SPN_NONE)
		return SPN_OK;
	if (v->n == 0) {   /* not readable with these rights (Samba: administrators only) */
		if (!s->without++)
			s->example = spn_model_account(s->m, id)->dn;
		return SPN_OK;
	}
	struct spn_stamp st;
	bool found;
	struct spn_err perr;
	spn_err_init(&perr);
	if (spn_replmeta_find((const unsigned char *)v->v[0].p, v->v[0].n,
	                      SPN_ATTID_SERVICEPRINCIPALNAME, &st, &found, &perr))
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': %s", e->where, (int)e->dn.n, e->dn.p,
		                   perr.msg);
	s->read++;
	return found ? spn_model_set_spn_stamp(s->m, id, &st, err) : SPN_OK;
}

/* replPropertyMetaData of ids[from .. from+STAMP_BATCH) in one search. */
static enum spn_rc stamp_batch(struct spn_conn *c, const char *base, struct stamps *s,
                               const uint32_t *ids, size_t n, struct spn_err *err)
{
	static const enum spn_attr attrs[] = {SPN_A_REPLMETA};
	struct spn_buf f;
	spn_buf_init(&f, SPN_LDAP_STR_MAX);
	spn_buf_adds(&f, "(|");
	for (size_t i = 0; i < n; i++) {
		const char *dn = spn_model_account(s->m, ids[i])->dn;
		spn_buf_adds(&f, "(distinguishedName=");
		spn_filter_escape(&f, dn, strlen(dn), false);
		spn_buf_adds(&f, ")");
	}
	spn_buf_adds(&f, ")");
	if (!spn_buf_str(&f))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct spn_search q = {
		.what = "replication metadata (replPropertyMetaData)",
		.base = base,
		.scope = LDAP_SCOPE_SUBTREE,
		.filter = spn_buf_str(&f),
		.attrs = attrs,
		.nattrs = 1,
		.page_size = 1000,
		.entry = stamp_entry,
		.ctx = s,
		.refs_covered = true,
	};
	struct spn_search_stats st;
	enum spn_rc rc = spn_search_run(c, &q, s->gaps, &st, err);
	spn_buf_release(&f);
	return rc;
}

static enum spn_rc dsa_entry(void *ctx, const struct spn_entry *e, struct spn_err *err)
{
	struct stamps *s = ctx;
	return spn_model_add_entry(s->m, 0, e, err);
}

/* The configuration's nTDSDSA objects into m: the names of the stamps. */
static enum spn_rc dsas_to_model(struct spn_conn *c, const char *config_nc, struct stamps *s,
                                 struct spn_err *err)
{
	static const enum spn_attr attrs[] = {SPN_A_OBJECTCLASS, SPN_A_INVOCATIONID};
	if (!config_nc || spn_model_ndsas(s->m))
		return SPN_OK;
	struct spn_buf base;
	spn_buf_init(&base, SPN_LDAP_STR_MAX);
	spn_buf_addf(&base, "CN=Sites,%s", config_nc);
	if (!spn_buf_str(&base))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct spn_search q = {
		.what = "the DCs (nTDSDSA objects)",
		.base = spn_buf_str(&base),
		.scope = LDAP_SCOPE_SUBTREE,
		.filter = "(objectClass=nTDSDSA)",
		.attrs = attrs,
		.nattrs = 2,
		.entry = dsa_entry,
		.ctx = s,
		.missing_ok = true,
	};
	struct spn_search_stats st;
	enum spn_rc rc = spn_search_run(c, &q, s->gaps, &st, err);
	spn_buf_release(&base);
	return rc;
}

enum spn_rc spn_dcs_read_stamps(struct spn_model *m, const char *uri, const struct spn_live_opts *o,
                                const uint32_t *ids, size_t n, struct spn_err *err)
{
	struct spn_conn c;
	struct spn_rootdse r;
	memset(&r, 0, sizeof(r));
	enum spn_rc rc = uri ? spn_conn_open(&c, uri, true, o, err) : spn_conn_open_opts(&c, o, err);
	if (rc)
		return rc;
	struct stamps s = {m, spn_model_new(0), 0, 0, NULL};
	if (!s.gaps)
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	else if ((rc = spn_rootdse_read(&c, &r, err)) == SPN_OK && !uri)
		rc = dsas_to_model(&c, r.config_nc, &s, err);
	/* Every account of a domain under that domain's naming context: a
	 * search of the seed's base finds those it holds. */
	const char *base = o->base ? o->base : spn_rootdse_base(&r);
	for (size_t i = 0; rc == SPN_OK && base && i < n; i += STAMP_BATCH)
		rc = stamp_batch(&c, base, &s, ids + i, n - i < STAMP_BATCH ? n - i : STAMP_BATCH, err);
	if (rc == SPN_OK && s.gaps && spn_model_ngaps(s.gaps))
		rc = spn_err_set(err, SPN_INCOMPLETE, "%s", spn_model_gap(s.gaps, 0));
	else if (rc == SPN_OK && s.without)
		rc = spn_err_set(err, SPN_INCOMPLETE, "%s returned %" PRIu64 " of the accounts without "
		                 "replPropertyMetaData ('%s'%s): reading it takes more rights than "
		                 "this bind has (Samba: an administrator)", c.uri, s.without, s.example,
		                 s.without > 1 ? " and others" : "");
	spn_model_free(s.gaps);
	spn_rootdse_release(&r);
	spn_conn_close(&c);
	return rc;
}
