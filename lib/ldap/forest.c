/*
 * forest.c - --forest: the whole forest through a Global Catalog, with the
 * per-account details a GC does not hold read from each domain's own DC.
 *
 * A GC (port 3268/3269) holds every object of the forest but only the
 * partial attribute set: servicePrincipalName, sAMAccountName,
 * userPrincipalName, dNSHostName, userAccountControl, objectSid,
 * primaryGroupID are there; adminCount, msDS-AllowedToDelegateTo,
 * msDS-SupportedEncryptionTypes, pwdLastSet and full memberOf are not
 * (MS-ADTS; ad-spn-reference.md 5.2). So:
 *
 *  1. One paged search of the GC, base "" (or each -T domain), keeps every
 *     entry in a stash (values copied into an arena, indexed by DN).
 *  2. Per domain seen, ONE paged search on a DC of that domain (DNS SRV,
 *     else the GC's host on the DC port) asks for everything but the GC's
 *     attributes (SPNs, UPN, dNSHostName), with the same filter; each reply
 *     is merged with its stashed GC entry by DN and handed to the model.
 *     Entries the GC could not select (delegation sources without SPNs:
 *     msDS-AllowedToDelegateTo is not in the GC) arrive here first.
 *  3. Stashed entries the DC did not return (replication lag), or of a
 *     domain whose DC could not be read, go in with GC data only, and the
 *     missing details are a gap.
 *
 * Which domains are contacted: only those the forest's Partitions
 * container lists (crossRef objects with FLAG_CR_NTDS_DOMAIN, read from
 * the GC's configuration partition). Domain names otherwise come from the
 * DNs of the GC's entries and from DNS, and their DCs are bound with the
 * user's credentials: a hostile GC or spoofed DNS must not be able to
 * send spnctl to a server of its choosing. Entries of a domain not listed
 * go in with GC data only, under one gap naming those domains.
 *
 * Memory: the stash holds the GC's answer until its domain is merged -
 * about the size of the model's own copy. The Directory Service object
 * (sPNMappings is not in the GC) is read from the first DC reached.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/arena.h"

#include "ldap_int.h"

struct stash_val {
	const char *p;
	uint32_t n;
	uint8_t attr;
};

struct stash_ent {
	const char *dn;
	uint32_t dnlen;
	uint32_t first, nvals;    /* into vals */
	uint32_t domain;          /* index into domains */
	bool merged;
};

struct stash {
	struct spn_arena arena;
	struct stash_ent *ents;
	size_t nents, capents;
	struct stash_val *vals;
	size_t nvals, capvals;
	struct spn_table bydn;    /* DN (any case) -> entry index */
	char **domains;
	size_t ndomains, capdomains;
	struct spn_table bydomain;  /* domain name -> index into domains */
};

/* The domains the Partitions container lists (lower case, as
 * spn_dn_domain_name gives them). */
struct listed {
	char **v;
	size_t n;
	bool nomem;
};

struct forest {
	struct stash st;
	struct spn_model *m;
	uint16_t src;
	const struct spn_live_opts *o;
	struct spn_entry merged;
	bool targeted;
	uint32_t cur_domain;      /* the domain whose DC is being read */
	uint64_t detail_only;     /* entries only a DC returned */
};

/* The GC attributes: a DC is not asked for them again. */
static bool from_gc(enum spn_attr a)
{
	return a == SPN_A_SERVICEPRINCIPALNAME || a == SPN_A_USERPRINCIPALNAME ||
	       a == SPN_A_DNSHOSTNAME;
}

static bool grow(void **v, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 256;
	void *p = realloc(*v, nc * elem);
	if (!p)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

static uint32_t dn_tag(const char *dn, size_t n)
{
	return spn_hash_tag(spn_hash_lower(dn, n));
}

/* The entry of dn (any case), or SPN_NONE; *at where it would go. */
static uint32_t stash_find(const struct stash *s, const char *dn, size_t n, size_t *at)
{
	uint32_t tag = dn_tag(dn, n);
	for (uint32_t id = spn_table_first(&s->bydn, tag, at); id != SPN_TABLE_NONE;
	     id = spn_table_next(&s->bydn, tag, at)) {
		const struct stash_ent *e = &s->ents[id];
		if (e->dnlen == n && strncasecmp(e->dn, dn, n) == 0)
			return id;
	}
	return SPN_NONE;
}

static int domain_index(struct stash *s, const char *d)
{
	uint32_t tag = spn_hash_tag(spn_hash(d, strlen(d)));
	size_t at;
	if (!spn_table_reserve(&s->bydomain, 1))
		return -1;
	for (uint32_t id = spn_table_first(&s->bydomain, tag, &at); id != SPN_TABLE_NONE;
	     id = spn_table_next(&s->bydomain, tag, &at))
		if (strcmp(s->domains[id], d) == 0)
			return (int)id;
	if (!grow((void **)&s->domains, &s->capdomains, s->ndomains, sizeof(*s->domains)))
		return -1;
	if (!(s->domains[s->ndomains] = strdup(d)))
		return -1;
	spn_table_put(&s->bydomain, at, tag, (uint32_t)s->ndomains);
	return (int)s->ndomains++;
}

static void stash_release(struct stash *s)
{
	spn_arena_release(&s->arena);
	free(s->ents);
	free(s->vals);
	spn_table_release(&s->bydn);
	spn_table_release(&s->bydomain);
	spn_strv_free(s->domains, s->ndomains);
	memset(s, 0, sizeof(*s));
}

/* Step 1: keep a GC entry. */
static enum spn_rc stash_add(void *ctx, const struct spn_entry *e, struct spn_err *err)
{
	struct forest *f = ctx;
	struct stash *s = &f->st;
	char dom[256];
	if (!spn_dn_domain_name(e->dn.p, e->dn.n, dom, sizeof(dom)))
		return spn_err_set(err, SPN_DIRECTORY, "%s: '%.*s': the Global Catalog returned an "
		                   "entry outside any domain", e->where, (int)e->dn.n, e->dn.p);
	size_t at;
	if (!spn_table_reserve(&s->bydn, 1))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	if (stash_find(s, e->dn.p, e->dn.n, &at) != SPN_NONE)
		return SPN_OK;   /* the holder pass found it again */
	int d = domain_index(s, dom);
	if (d < 0 || !grow((void **)&s->ents, &s->capents, s->nents, sizeof(*s->ents)))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct stash_ent *se = &s->ents[s->nents];
	se->dn = spn_arena_strndup(&s->arena, e->dn.p, e->dn.n);
	se->dnlen = (uint32_t)e->dn.n;
	se->first = (uint32_t)s->nvals;
	se->nvals = 0;
	se->domain = (uint32_t)d;
	se->merged = false;
	if (!se->dn)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (int a = 0; a < SPN_A_COUNT; a++) {
		for (size_t i = 0; i < e->attr[a].n; i++) {
			const struct spn_slice *v = &e->attr[a].v[i];
			if (!grow((void **)&s->vals, &s->capvals, s->nvals, sizeof(*s->vals)))
				return spn_err_set(err, SPN_NOMEM, "out of memory");
			char *p = spn_arena_strndup(&s->arena, v->p, v->n);
			if (!p)
				return spn_err_set(err, SPN_NOMEM, "out of memory");
			s->vals[s->nvals++] = (struct stash_val){p, (uint32_t)v->n, (uint8_t)a};
			se->nvals++;
		}
	}
	spn_table_put(&s->bydn, at, dn_tag(se->dn, se->dnlen), (uint32_t)s->nents++);
	return SPN_OK;
}

/* GC values of a stashed entry (the GC attributes only, or all of them). */
static enum spn_rc add_stashed(struct forest *f, const struct stash_ent *se, bool gc_only,
                               struct spn_err *err)
{
	for (uint32_t i = se->first; i < se->first + se->nvals; i++) {
		const struct stash_val *v = &f->st.vals[i];
		if (gc_only && !from_gc((enum spn_attr)v->attr))
			continue;
		if (spn_entry_add(&f->merged, (enum spn_attr)v->attr, v->p, v->n))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	return SPN_OK;
}

/* Step 2: a DC's entry, merged with the GC's. */
static enum spn_rc merge_detail(void *ctx, const struct spn_entry *d, struct spn_err *err)
{
	struct forest *f = ctx;
	/* Only this domain's entries: a server that also holds other domains
	 * below this one (one OpenLDAP database, a DC that is also a GC) is
	 * not their DC; theirs are read from their own. */
	char dom[256];
	if (!spn_dn_domain_name(d->dn.p, d->dn.n, dom, sizeof(dom)) ||
	    strcmp(dom, f->st.domains[f->cur_domain]) != 0)
		return SPN_OK;
	size_t at;
	uint32_t id = stash_find(&f->st, d->dn.p, d->dn.n, &at);
	if (id == SPN_NONE || f->st.ents[id].merged) {
		/* Not in the GC's answer: a delegation source without SPNs, or
		 * (targeted) something the user did not ask for. */
		if (f->targeted || id != SPN_NONE)
			return SPN_OK;
		f->detail_only++;
		return spn_model_add_entry(f->m, f->src, d, err);
	}
	struct stash_ent *se = &f->st.ents[id];
	spn_entry_reset(&f->merged);
	f->merged.dn = (struct spn_slice){se->dn, se->dnlen};
	f->merged.where = d->where;
	for (int a = 0; a < SPN_A_COUNT; a++)
		if (!from_gc((enum spn_attr)a))
			for (size_t i = 0; i < d->attr[a].n; i++)
				if (spn_entry_add(&f->merged, (enum spn_attr)a, d->attr[a].v[i].p,
				                  d->attr[a].v[i].n))
					return spn_err_set(err, SPN_NOMEM, "out of memory");
	if (add_stashed(f, se, true, err))
		return err->rc;
	se->merged = true;
	return spn_model_add_entry(f->m, f->src, &f->merged, err);
}

/* Step 3: what the DC did not return goes in with GC data. */
static enum spn_rc flush_domain(struct forest *f, uint32_t d, const char *gc_uri,
                                uint64_t *left, struct spn_err *err)
{
	*left = 0;
	for (size_t i = 0; i < f->st.nents; i++) {
		struct stash_ent *se = &f->st.ents[i];
		if (se->domain != d || se->merged)
			continue;
		spn_entry_reset(&f->merged);
		f->merged.dn = (struct spn_slice){se->dn, se->dnlen};
		f->merged.where = gc_uri;
		if (add_stashed(f, se, false, err))
			return err->rc;
		se->merged = true;
		(*left)++;
		if (spn_model_add_entry(f->m, f->src, &f->merged, err))
			return err->rc;
	}
	return SPN_OK;
}

/* DC candidates for domain d: its SRV records (*nsrv of them), then the
 * GC's host on the DC port (a GC is a DC of its own domain) - only when
 * the GC was reached on a standard GC port: on any other port there is no
 * telling where its DC side listens, and asking the GC itself would return
 * the GC's partial attributes as if they were a DC's. */
static char **dc_uris(const char *domain, const struct spn_uri *gc, size_t *n, size_t *nsrv_out)
{
	char **srv = NULL;
	size_t nsrv = 0;
	struct spn_err ignore;
	spn_err_init(&ignore);
	spn_discover(domain, false, &srv, &nsrv, &ignore);
	char **v = calloc(nsrv + 1, sizeof(*v));
	if (!v) {
		spn_strv_free(srv, nsrv);
		return NULL;
	}
	for (size_t i = 0; i < nsrv; i++)
		v[i] = srv[i];
	free(srv);
	*n = *nsrv_out = nsrv;
	struct spn_uri u = *gc;
	spn_uri_to_dc(&u);
	if (u.port == gc->port)
		return v;
	char buf[300];
	spn_uri_format(&u, buf, sizeof(buf));
	v[nsrv] = strdup(buf);
	if (!v[nsrv]) {
		spn_strv_free(v, nsrv);
		return NULL;
	}
	*n = nsrv + 1;
	return v;
}

/* Connect to a DC of the domain: the SRV ones (found through DNS), then
 * the GC's own host (as trusted as the GC was). */
static enum spn_rc open_dc(struct spn_conn *c, char **uris, size_t n, size_t nsrv, bool gc_found,
                           const struct spn_live_opts *o, struct spn_err *err)
{
	struct spn_err e;
	spn_err_init(&e);
	enum spn_rc rc = SPN_DIRECTORY;
	if (nsrv)
		rc = spn_conn_open_any(c, (const char *const *)uris, nsrv, true, o, &e);
	/* Past an unreachable DC or a refused password, not past a failed
	 * bind: wrong credentials would count against the account on each DC. */
	if ((rc == SPN_DIRECTORY || rc == SPN_USAGE) && n > nsrv) {
		struct spn_err e2;
		spn_err_init(&e2);
		rc = spn_conn_open(c, uris[nsrv], gc_found, o, &e2);
		if (rc && !nsrv)
			e = e2;
	}
	return rc ? spn_err_set(err, e.rc ? e.rc : rc, "%s", e.msg) : SPN_OK;
}

static const enum spn_attr *detail_attrs(size_t *n)
{
	static enum spn_attr v[SPN_A_COUNT];
	size_t k = 0;
	for (size_t i = 0; i < spn_nc_naccount_attrs; i++)
		if (!from_gc(spn_nc_account_attrs[i]))
			v[k++] = spn_nc_account_attrs[i];
	*n = k;
	return v;
}

static enum spn_rc read_domain(struct forest *f, uint32_t d, const struct spn_conn *gcc,
                               const struct spn_uri *gc, bool *ds_done, struct spn_progress *pr,
                               struct spn_err *err)
{
	const char *domain = f->st.domains[d];
	const char *gc_uri = gcc->uri;
	const struct spn_live_opts *o = f->o;
	f->cur_domain = d;
	char why[700] = "";
	enum spn_rc result = SPN_OK;
	size_t nuris = 0, nsrv = 0;
	/* A name the GC's DNs spelled with DN specials (an escaped ',') has
	 * no search base and no DNS name: a gap, not a failure. */
	char *base = spn_domain_to_dn(domain);
	char **uris = base ? dc_uris(domain, gc, &nuris, &nsrv) : calloc(1, sizeof(char *));
	if (!uris) {
		free(base);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	struct spn_conn c;
	struct spn_err e;
	spn_err_init(&e);
	if (!base) {
		snprintf(why, sizeof(why), "the domain's name holds characters no DNS name has");
	} else if (nuris == 0) {
		snprintf(why, sizeof(why), "no DC found (no _ldap._tcp.dc._msdcs.%s SRV record, and "
		         "the Global Catalog is on a non-standard port)", domain);
	} else if (open_dc(&c, uris, nuris, nsrv, gcc->found, o, &e) == SPN_OK) {
		/* The rootDSE says whether ranged requests may be sent; the first
		 * DC reached also gives the Directory Service object. */
		struct spn_rootdse r;
		if (spn_rootdse_read(&c, &r, &e) == SPN_OK) {
			if (!*ds_done) {
				enum spn_rc rc = spn_nc_read_ds(&c, r.config_nc, f->m, f->src, &e);
				if (rc == SPN_INCOMPLETE) {
					result = rc;
				} else if (rc) {
					spn_rootdse_release(&r);
					spn_conn_close(&c);
					goto fail;
				}
				*ds_done = true;
			}
			spn_rootdse_release(&r);
		}
		spn_err_init(&e);
		size_t nattrs;
		const enum spn_attr *attrs = detail_attrs(&nattrs);
		struct spn_search s = {
			.what = "account details missing from the Global Catalog",
			.base = base,
			.scope = LDAP_SCOPE_SUBTREE,
			.filter = spn_filter_audit(),
			.attrs = attrs,
			.nattrs = nattrs,
			.page_size = spn_page_size(o),
			.range_step = o->range_step,
			.entry = merge_detail,
			.ctx = f,
			.progress = pr,
			.refs_covered = true,   /* child domains: read from their own DCs */
		};
		struct spn_search_stats st;
		enum spn_rc rc = spn_search_run(&c, &s, f->m, &st, &e);
		spn_conn_close(&c);
		if (rc == SPN_INCOMPLETE) {
			result = rc;
			snprintf(why, sizeof(why), "the search there was cut short");
		} else if (rc == SPN_NOMEM || rc == SPN_BUG || rc == SPN_INPUT) {
			goto fail;
		} else if (rc) {
			snprintf(why, sizeof(why), "%s", e.msg);
		}
	} else {
		snprintf(why, sizeof(why), "%s", e.msg);
	}
	spn_strv_free(uris, nuris);
	free(base);
	uint64_t left;
	if (flush_domain(f, d, gc_uri, &left, err))
		return err->rc;
	if (*why && left) {
		result = SPN_INCOMPLETE;
		if (spn_model_add_gap(f->m, "%s: adminCount, msDS-AllowedToDelegateTo, "
		                      "msDS-SupportedEncryptionTypes, pwdLastSet and memberOf of %llu "
		                      "accounts in %s were not read from a DC of that domain: %s",
		                      gc_uri, (unsigned long long)left, domain, why))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	return result;
fail:
	spn_strv_free(uris, nuris);
	free(base);
	return spn_err_set(err, e.rc, "%s", e.msg);
}

/* ---- The domains the forest lists ---- */

static bool name_is(const struct berval *b, const char *s)
{
	return b->bv_len == strlen(s) && strncasecmp(b->bv_val, s, b->bv_len) == 0;
}

/* systemFlags as decimal text (AD writes it signed). */
static long flags_of(const struct berval *v)
{
	char buf[24];
	if (v->bv_len == 0 || v->bv_len >= sizeof(buf))
		return 0;
	memcpy(buf, v->bv_val, v->bv_len);
	buf[v->bv_len] = '\0';
	return strtol(buf, NULL, 10);
}

/* One crossRef: a domain's (systemFlags has FLAG_CR_NTDS_DOMAIN, 0x2,
 * MS-ADTS 6.1.1.2.1.1.5) DNS name from its nCName into l. */
static bool take_crossref(void *ctx, LDAP *ld, LDAPMessage *m)
{
	struct listed *l = ctx;
	BerElement *ber = NULL;
	struct berval dn, name, v;
	char dom[256] = "";
	long flags = 0;
	if (ldap_get_dn_ber(ld, m, &ber, &dn) != LDAP_SUCCESS)
		return false;
	struct spn_attr_walk w;
	spn_decode_start(&w, ber);
	while (spn_decode_attr(&w, &name) == 1) {
		bool nc = name_is(&name, "nCName"), fl = name_is(&name, "systemFlags");
		while (spn_decode_value(&w, &v) == 1) {
			if (nc && !memchr(v.bv_val, '\0', v.bv_len) &&
			    !spn_dn_domain_name(v.bv_val, v.bv_len, dom, sizeof(dom)))
				dom[0] = '\0';
			else if (fl)
				flags = flags_of(&v);
		}
	}
	ber_free(ber, 0);
	if (!(flags & 0x2) || !dom[0] || l->n >= SPN_FOREST_MAX_DOMAINS)
		return false;
	char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (nv)
		l->v = nv;
	if (nv && (nv[l->n] = strdup(dom)))
		l->n++;
	else
		l->nomem = true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The Partitions container of the GC's configuration partition into l
 * (sorted); why says, when nothing could be read, what went wrong. */
static enum spn_rc read_partitions(struct spn_conn *gc, const char *config_nc, struct listed *l,
                                   char *why, size_t cap, struct spn_err *err)
{
	static char *attrs[] = {"nCName", "systemFlags", NULL};
	if (!config_nc) {
		snprintf(why, cap, "the Global Catalog names no configuration partition");
		return SPN_OK;
	}
	struct spn_buf base;
	spn_buf_init(&base, SPN_LDAP_STR_MAX);
	spn_buf_addf(&base, "CN=Partitions,%s", config_nc);
	if (!spn_buf_str(&base))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	char *diag = NULL;
	int lrc = spn_conn_read_few(gc, spn_buf_str(&base), LDAP_SCOPE_ONELEVEL,
	                            "(objectClass=crossRef)", attrs, SPN_FOREST_MAX_DOMAINS * 4,
	                            take_crossref, l, &diag);
	if (lrc != LDAP_SUCCESS)
		snprintf(why, cap, "%s could not be read (%s%s%s)", spn_buf_str(&base),
		         ldap_err2string(lrc), diag && *diag ? ": " : "", diag ? diag : "");
	ldap_memfree(diag);
	spn_buf_release(&base);
	if (l->nomem)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), by_name);
	return SPN_OK;
}

static bool is_listed(const struct listed *l, const char *domain)
{
	return l->n && bsearch(&domain, l->v, l->n, sizeof(*l->v), by_name);
}

/* Domains the Partitions container does not list: their entries go in
 * with GC data only, and one gap names them. */
struct unlisted {
	uint64_t accounts;
	size_t domains;
	char names[200];
};

static enum spn_rc skip_domain(struct forest *f, uint32_t d, const char *gc_uri,
                               struct unlisted *u, struct spn_err *err)
{
	uint64_t left;
	if (flush_domain(f, d, gc_uri, &left, err))
		return err->rc;
	u->accounts += left;
	size_t k = strlen(u->names);
	if (u->domains < 3)
		snprintf(u->names + k, sizeof(u->names) - k, "%s%s", u->domains ? ", " : "",
		         f->st.domains[d]);
	else if (u->domains == 3)
		snprintf(u->names + k, sizeof(u->names) - k, ", ...");
	u->domains++;
	return SPN_OK;
}

static enum spn_rc unlisted_gap(struct forest *f, const char *gc_uri, const struct unlisted *u,
                                const char *why, struct spn_err *err)
{
	if (!u->domains)
		return SPN_OK;
	if (spn_model_add_gap(f->m, "%s: %llu accounts in %zu domain%s that the forest's Partitions "
	                      "container does not list (%s) went in with Global Catalog data only: "
	                      "no DC of %s was contacted, so their adminCount, "
	                      "msDS-AllowedToDelegateTo, msDS-SupportedEncryptionTypes, pwdLastSet "
	                      "and memberOf were not read%s%s", gc_uri,
	                      (unsigned long long)u->accounts, u->domains, u->domains == 1 ? "" : "s",
	                      u->names, u->domains == 1 ? "it" : "them", *why ? "; " : "", why))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return SPN_INCOMPLETE;
}

/* GC URIs: -d DOMAIN by SRV (_gc._tcp), else -H's or ldap.conf's URIs -
 * every one of them, tried in turn - with the GC port. */
static enum spn_rc gc_uris(const struct spn_live_opts *o, char ***out, size_t *n,
                           struct spn_err *err)
{
	*out = NULL;
	*n = 0;
	if (o->domain) {
		if (spn_discover(o->domain, true, out, n, err))
			spn_err_prefix(err, "finding a Global Catalog of %s (--forest)", o->domain);
		return err->rc;
	}
	char **def = NULL;
	size_t ndef = 0;
	const char *const *src = o->uris;
	size_t nsrc = o->nuris;
	if (nsrc == 0) {
		if (spn_conn_default_uris(&def, &ndef, err))
			return err->rc;
		if (ndef == 0)
			return spn_err_set(err, SPN_USAGE, "no directory server given: use -H URI or -d DOMAIN");
		src = (const char *const *)def;
		nsrc = ndef;
	}
	enum spn_rc rc = SPN_OK;
	char **v = calloc(nsrc, sizeof(*v));
	if (!v)
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; v && i < nsrc; i++) {
		struct spn_uri u;
		char buf[300];
		if ((rc = spn_uri_parse(src[i], &u, err)))
			break;
		spn_uri_to_gc(&u);
		spn_uri_format(&u, buf, sizeof(buf));
		if (!(v[i] = strdup(buf))) {
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
	}
	spn_strv_free(def, ndef);
	if (rc) {
		spn_strv_free(v, nsrc);
		return rc;
	}
	*out = v;
	*n = nsrc;
	return SPN_OK;
}

enum spn_rc spn_forest_load(struct spn_model *m, const struct spn_live_opts *o,
                            struct spn_progress *pr, struct spn_err *err)
{
	struct forest f;
	memset(&f, 0, sizeof(f));
	f.m = m;
	f.o = o;
	f.targeted = o->naccounts || o->npatterns;
	spn_arena_init(&f.st.arena);
	spn_table_init(&f.st.bydn);
	spn_entry_init(&f.merged);
	char **uris = NULL;
	size_t nuris = 0;
	struct spn_conn gc;
	struct spn_rootdse gr;
	memset(&gc, 0, sizeof(gc));
	memset(&gr, 0, sizeof(gr));
	enum spn_rc rc, result = SPN_OK;
	bool ds_done = false;
	struct listed listed = {NULL, 0, false};
	struct unlisted unl;
	char why_unlisted[600] = "";
	memset(&unl, 0, sizeof(unl));

	if ((rc = gc_uris(o, &uris, &nuris, err)) ||
	    (rc = spn_conn_open_any(&gc, (const char *const *)uris, nuris, o->domain != NULL, o,
	                             err)))
		goto out;
	struct spn_uri gcu;
	if ((rc = spn_uri_parse(gc.uri, &gcu, err)) ||
	    (rc = spn_model_add_source(m, gc.uri, "ldap", &f.src, err)) ||
	    (rc = spn_rootdse_read_or_gap(&gc, &gr, m, err)) ||
	    (rc = read_partitions(&gc, gr.config_nc, &listed, why_unlisted, sizeof(why_unlisted),
	                          err)))
		goto out;
	/* Step 1: the GC, base "" (the whole forest) or each -T domain. A
	 * server that is not AD has no forest-wide base "": its naming
	 * contexts stand in for the forest. */
	size_t nbases = o->ntargets ? o->ntargets : gr.is_ad || gr.nnaming == 0 ? 1 : gr.nnaming;
	for (size_t i = 0; i < nbases; i++) {
		char *base = o->ntargets ? spn_domain_to_dn(o->targets[i])
		             : strdup(gr.is_ad || gr.nnaming == 0 ? "" : gr.naming[i]);
		if (!base) {
			rc = o->ntargets ? spn_err_set(err, SPN_USAGE, "-T '%s' is not a DNS domain name",
			                               o->targets[i])
			                 : spn_err_set(err, SPN_NOMEM, "out of memory");
			goto out;
		}
		rc = spn_nc_search(&gc, base, NULL, f.src, stash_add, &f, o, m, pr, err);
		free(base);
		if (rc == SPN_INCOMPLETE) {
			result = rc;
			if (gc.down)
				break;
		} else if (rc) {
			goto out;
		}
	}
	/* Step 2 and 3, domain by domain: those the forest lists. */
	for (uint32_t d = 0; d < f.st.ndomains; d++) {
		if (!is_listed(&listed, f.st.domains[d]))
			rc = skip_domain(&f, d, gc.uri, &unl, err);
		else
			rc = read_domain(&f, d, &gc, &gcu, &ds_done, pr, err);
		if (rc == SPN_INCOMPLETE)
			result = rc;
		else if (rc)
			goto out;
	}
	if ((rc = unlisted_gap(&f, gc.uri, &unl, why_unlisted, err)) == SPN_INCOMPLETE)
		result = rc;
	else if (rc)
		goto out;
	/* No DC could be read: sPNMappings from the GC is better than nothing. */
	if (!ds_done && !gc.down) {
		rc = spn_nc_read_ds(&gc, gr.config_nc, m, f.src, err);
		if (rc == SPN_INCOMPLETE)
			result = rc;
		else if (rc)
			goto out;
	}
	rc = result;
out:
	spn_rootdse_release(&gr);
	spn_conn_close(&gc);
	spn_strv_free(uris, nuris);
	spn_strv_free(listed.v, listed.n);
	spn_entry_release(&f.merged);
	stash_release(&f.st);
	return rc;
}
