/*
 * model.c - building the model from entries, and reading it back.
 *
 * spn_model_add_entry() is where a directory entry becomes an account, a
 * group or forest settings. It decides what to keep: by default only what a
 * check can use (SPN holders, computers, delegation sources, accounts whose
 * UPN looks like an SPN), so a million-account audit keeps a fraction of
 * the snapshot in memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/filetime.h"
#include "model_int.h"

struct spn_model *spn_model_new(unsigned flags)
{
	struct spn_model *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->flags = flags;
	spn_arena_init(&m->arena);
	spn_table_init(&m->groupmap);
	spn_strset_init(&m->groupdns);
	return m;
}

void spn_model_free(struct spn_model *m)
{
	if (!m)
		return;
	spn_big_free(m->acc, m->capacc * sizeof(*m->acc));
	spn_big_free(m->val, m->capval * sizeof(*m->val));
	spn_big_free(m->tag, m->captag * sizeof(*m->tag));
	spn_big_free(m->grp, m->capgrp * sizeof(*m->grp));
	free(m->src);
	free(m->clocks);
	for (size_t i = 0; i < m->ngaps; i++)
		free(m->gaps[i]);
	free(m->gaps);
	free(m->domains);
	spn_index_release(&m->index);
	spn_table_release(&m->groupmap);
	spn_alias_free(m->aliases);
	free(m->pending_mappings);
	free(m->scratch);
	free(m->dc_suffix);
	spn_strset_release(&m->groupdns);
	spn_model_free_provenance(m);
	spn_arena_release(&m->arena);
	free(m);
}

/* Grow a dense array by doubling; returns false on NOMEM. */
static bool reserve(void **v, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 256;
	void *p = spn_big_realloc(*v, *cap * elem, nc * elem);
	if (!p)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

enum spn_rc spn_model_add_source(struct spn_model *m, const char *name, const char *kind,
                                 uint16_t *idx, struct spn_err *err)
{
	if (m->nsrc >= 65535)
		return spn_err_set(err, SPN_USAGE, "too many sources (at most 65535)");
	struct spn_source_info *s = realloc(m->src, (m->nsrc + 1) * sizeof(*s));
	if (!s)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	m->src = s;
	struct spn_source_clock *c = realloc(m->clocks, (m->nsrc + 1) * sizeof(*c));
	if (!c)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	m->clocks = c;
	memset(&c[m->nsrc], 0, sizeof(*c));
	if (strcmp(kind, "ldap") == 0)
		c[m->nsrc].read = spn_filetime_now();
	s[m->nsrc].name = spn_arena_strndup(&m->arena, name, strlen(name));
	s[m->nsrc].kind = spn_arena_strndup(&m->arena, kind, strlen(kind));
	s[m->nsrc].entries = 0;
	s[m->nsrc].attrs = 0;
	s[m->nsrc].time = 0;
	s[m->nsrc].time_from = SPN_TIME_NONE;
	if (!s[m->nsrc].name || !s[m->nsrc].kind)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	*idx = (uint16_t)m->nsrc++;
	return SPN_OK;
}

enum spn_rc spn_model_add_gap(struct spn_model *m, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char **g = realloc(m->gaps, (m->ngaps + 1) * sizeof(*g));
	if (!g)
		return SPN_NOMEM;
	m->gaps = g;
	g[m->ngaps] = strdup(buf);
	if (!g[m->ngaps])
		return SPN_NOMEM;
	m->ngaps++;
	return SPN_OK;
}

static const char *keep_str(struct spn_model *m, const struct spn_values *v)
{
	if (v->n == 0)
		return NULL;
	return spn_arena_strndup(&m->arena, v->v[0].p, v->v[0].n);
}

/* Copies of a multi-valued attribute. With intern (memberOf), identical
 * strings share one copy: thousands of accounts name the same groups. */
static const char **keep_strv(struct spn_model *m, const struct spn_values *v, bool intern,
                              bool *nomem)
{
	if (v->n == 0)
		return NULL;
	const char **out = spn_arena_alloc(&m->arena, v->n * sizeof(*out));
	if (!out) {
		*nomem = true;
		return NULL;
	}
	for (size_t i = 0; i < v->n; i++) {
		out[i] = intern ? spn_model_intern(m, &m->groupdns, v->v[i].p, v->v[i].n)
		                : spn_arena_strndup(&m->arena, v->v[i].p, v->v[i].n);
		if (!out[i])
			*nomem = true;
	}
	return out;
}

static enum spn_rc single(const struct spn_entry *e, enum spn_attr a, struct spn_err *err)
{
	if (e->attr[a].n > 1)
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': %s has %zu values; AD allows one",
		                   e->where ? e->where : "?", (int)e->dn.n, e->dn.p,
		                   spn_attr_name(a), e->attr[a].n);
	return SPN_OK;
}

static bool is_directory_service(const struct spn_entry *e)
{
	static const char head[] = "CN=Directory Service,CN=Windows NT,CN=Services,CN=Configuration,";
	return e->dn.n > sizeof(head) - 1 && strncasecmp(e->dn.p, head, sizeof(head) - 1) == 0;
}

static enum spn_rc add_directory_service(struct spn_model *m, const struct spn_entry *e,
                                         struct spn_err *err)
{
	const struct spn_values *mv = &e->attr[SPN_A_SPNMAPPINGS];
	m->has_ds = true;
	if (single(e, SPN_A_DSHEURISTICS, err))
		return err->rc;
	if (e->attr[SPN_A_DSHEURISTICS].n)
		m->ds_heuristics = keep_str(m, &e->attr[SPN_A_DSHEURISTICS]);
	if (mv->n == 0)
		return SPN_OK;
	/* Keep the values; the table is built in finish (several sources may
	 * carry it; the first wins). */
	if (m->pending_mappings)
		return SPN_OK;
	m->pending_mappings = calloc(mv->n, sizeof(*m->pending_mappings));
	if (!m->pending_mappings)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < mv->n; i++) {
		char *s = spn_arena_strndup(&m->arena, mv->v[i].p, mv->v[i].n);
		if (!s)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		m->pending_mappings[i] = (struct spn_slice){s, mv->v[i].n};
	}
	m->npending_mappings = mv->n;
	return SPN_OK;
}

static enum spn_rc add_group(struct spn_model *m, const struct spn_entry *e, struct spn_err *err)
{
	int64_t ac;
	bool has_ac;
	if (spn_parse_int(e, SPN_A_ADMINCOUNT, &ac, &has_ac, err))
		return err->rc;
	if (!reserve((void **)&m->grp, &m->capgrp, m->ngrp, sizeof(*m->grp)))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct spn_group *g = &m->grp[m->ngrp];
	bool nomem = false;
	memset(g, 0, sizeof(*g));
	g->dn = spn_arena_strndup(&m->arena, e->dn.p, e->dn.n);
	g->domain = spn_dn_domain(m, e->dn.p, e->dn.n, e->domain_hint);
	g->member_of = keep_strv(m, &e->attr[SPN_A_MEMBEROF], true, &nomem);
	g->n_member_of = (uint32_t)e->attr[SPN_A_MEMBEROF].n;
	g->admin_count = has_ac && ac == 1;
	if (e->attr[SPN_A_OBJECTSID].n)
		spn_sid_rid(e->attr[SPN_A_OBJECTSID].v[0].p, e->attr[SPN_A_OBJECTSID].v[0].n, &g->rid);
	if (nomem || !g->dn || !g->domain)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	m->ngrp++;
	return SPN_OK;
}

/* The object classes that matter, as bits: one pass over objectClass. */
enum class_bits {
	C_USER = 1 << 0, C_COMPUTER = 1 << 1, C_INETORGPERSON = 1 << 2, C_GROUP = 1 << 3,
	C_GMSA = 1 << 4, C_SMSA = 1 << 5, C_DMSA = 1 << 6, C_NTDSDSA = 1 << 7,
};

/* Is s[0..n) the lower-case ASCII name ours (of exactly n bytes), ignoring case? */
static bool same_ci(const char *s, const char *ours, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((unsigned)(c - 'A') < 26u)
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)ours[i])
			return false;
	}
	return true;
}

static unsigned class_mask(const struct spn_entry *e)
{
	/* By length first: every entry has several objectClass values
	 * (top, person, organizationalPerson, user, ...) and most match none. */
	const struct spn_values *v = &e->attr[SPN_A_OBJECTCLASS];
	unsigned mask = 0;
	for (size_t i = 0; i < v->n; i++) {
		const char *p = v->v[i].p;
		switch (v->v[i].n) {
		case 4: mask |= same_ci(p, "user", 4) ? C_USER : 0; break;
		case 5: mask |= same_ci(p, "group", 5) ? C_GROUP : 0; break;
		case 7: mask |= same_ci(p, "ntdsdsa", 7) ? C_NTDSDSA : 0; break;
		case 8: mask |= same_ci(p, "computer", 8) ? C_COMPUTER : 0; break;
		case 13: mask |= same_ci(p, "inetorgperson", 13) ? C_INETORGPERSON : 0; break;
		case 26: mask |= same_ci(p, "msds-managedserviceaccount", 26) ? C_SMSA : 0; break;
		case 31: mask |= same_ci(p, "msds-groupmanagedserviceaccount", 31) ? C_GMSA : 0; break;
		case 35: mask |= same_ci(p, "msds-delegatedmanagedserviceaccount", 35) ? C_DMSA : 0; break;
		default: break;
		}
	}
	return mask;
}

static bool sam_is_krbtgt(const struct spn_values *sv)
{
	if (sv->n == 0)
		return false;
	const char *p = sv->v[0].p;
	size_t n = sv->v[0].n;
	return n >= 6 && (p[0] | 0x20) == 'k' && strncasecmp(p, "krbtgt", 6) == 0 && (n == 6 || p[6] == '_');
}

static enum spn_kind account_kind(unsigned cls, uint32_t uac, bool has_uac, uint32_t rid,
                                  bool krbtgt_name)
{
	if (rid == 502 || krbtgt_name)
		return SPN_KIND_KRBTGT;
	if (cls & C_GMSA)
		return SPN_KIND_GMSA;
	if (cls & C_DMSA)
		return SPN_KIND_DMSA;
	if (cls & C_SMSA)
		return SPN_KIND_SMSA;
	if (has_uac && (uac & SPN_UAC_PARTIAL_SECRETS))
		return SPN_KIND_RODC;
	if (has_uac && (uac & SPN_UAC_SERVER_TRUST))
		return SPN_KIND_DC;
	if (has_uac && (uac & SPN_UAC_INTERDOMAIN_TRUST))
		return SPN_KIND_TRUST;
	if ((cls & C_COMPUTER) || (has_uac && (uac & SPN_UAC_WORKSTATION_TRUST)))
		return SPN_KIND_COMPUTER;
	if ((cls & (C_USER | C_INETORGPERSON)) || (has_uac && (uac & SPN_UAC_NORMAL_ACCOUNT)))
		return SPN_KIND_USER;
	return SPN_KIND_UNKNOWN;
}

/* spn_is_ascii() 8 bytes a step: every SPN value of a load passes here. */
static bool ascii_only(const char *s, size_t n)
{
	uint64_t acc = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)s[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

static bool upn_looks_like_spn(const struct spn_values *v)
{
	return v->n && memchr(v->v[0].p, '/', v->v[0].n) != NULL;
}

static enum spn_rc add_account(struct spn_model *m, uint16_t source, const struct spn_entry *e,
                               unsigned cls, struct spn_err *err)
{
	static const enum spn_attr singles[] = {
		SPN_A_SAMACCOUNTNAME, SPN_A_USERPRINCIPALNAME, SPN_A_DNSHOSTNAME, SPN_A_OBJECTSID,
		SPN_A_ALLOWEDTOACT,
	};
	for (size_t i = 0; i < sizeof(singles) / sizeof(singles[0]); i++)
		if (single(e, singles[i], err))
			return err->rc;
	int64_t uac, ac, pg, et, pls, kvno;
	bool has_uac, has_ac, has_pg, has_et, has_pls, has_kvno;
	if (spn_parse_int(e, SPN_A_USERACCOUNTCONTROL, &uac, &has_uac, err) ||
	    spn_parse_int(e, SPN_A_ADMINCOUNT, &ac, &has_ac, err) ||
	    spn_parse_int(e, SPN_A_PRIMARYGROUPID, &pg, &has_pg, err) ||
	    spn_parse_int(e, SPN_A_SUPPORTEDENCTYPES, &et, &has_et, err) ||
	    spn_parse_int(e, SPN_A_PWDLASTSET, &pls, &has_pls, err) ||
	    spn_parse_int(e, SPN_A_KEYVERSION, &kvno, &has_kvno, err))
		return err->rc;
	if (has_kvno && (kvno < 0 || kvno > UINT32_MAX))
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': msDS-KeyVersionNumber %lld is not a key "
		                   "version (0 to 4294967295)", e->where ? e->where : "?", (int)e->dn.n,
		                   e->dn.p, (long long)kvno);
	const struct spn_values *act = &e->attr[SPN_A_ALLOWEDTOACT];
	if (act->n && act->v[0].n > UINT32_MAX / 2)
		return spn_err_set(err, SPN_INPUT, "%s: '%.*s': msDS-AllowedToActOnBehalfOfOtherIdentity "
		                   "is %zu bytes long", e->where ? e->where : "?", (int)e->dn.n, e->dn.p,
		                   act->v[0].n);
	uint32_t rid = 0;
	bool has_sid = false;
	if (e->attr[SPN_A_OBJECTSID].n) {
		has_sid = spn_sid_rid(e->attr[SPN_A_OBJECTSID].v[0].p, e->attr[SPN_A_OBJECTSID].v[0].n, &rid);
		if (!has_sid)
			return spn_err_set(err, SPN_INPUT, "%s: '%.*s': objectSid is not a SID",
			                   e->where ? e->where : "?", (int)e->dn.n, e->dn.p);
	}
	const struct spn_values *sv = &e->attr[SPN_A_SAMACCOUNTNAME];
	enum spn_kind kind = account_kind(cls, (uint32_t)uac, has_uac, rid, sam_is_krbtgt(sv));
	m->accounts_seen++;

	const struct spn_values *spns = &e->attr[SPN_A_SERVICEPRINCIPALNAME];
	const struct spn_values *a2d = &e->attr[SPN_A_ALLOWEDTODELEGATETO];
	bool keep = (m->flags & SPN_MODEL_KEEP_ALL) || spns->n || a2d->n ||
	            upn_looks_like_spn(&e->attr[SPN_A_USERPRINCIPALNAME]) ||
	            spn_kind_is_computer(kind);
	if (!keep)
		return SPN_OK;
	if (m->nacc >= SPN_NONE - 1 || m->nval + spns->n >= SPN_NONE - 1)
		return spn_err_set(err, SPN_NOMEM, "more than 4 billion accounts or SPN values");

	if (!reserve((void **)&m->acc, &m->capacc, m->nacc, sizeof(*m->acc)))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	struct spn_account *a = &m->acc[m->nacc];
	bool nomem = false;
	memset(a, 0, sizeof(*a));
	a->dn = spn_arena_strndup(&m->arena, e->dn.p, e->dn.n);
	a->sam = keep_str(m, sv);
	a->upn = keep_str(m, &e->attr[SPN_A_USERPRINCIPALNAME]);
	a->dns_host = keep_str(m, &e->attr[SPN_A_DNSHOSTNAME]);
	a->domain = spn_dn_domain(m, e->dn.p, e->dn.n, e->domain_hint);
	a->member_of = keep_strv(m, &e->attr[SPN_A_MEMBEROF], true, &nomem);
	a->n_member_of = (uint32_t)e->attr[SPN_A_MEMBEROF].n;
	a->delegate_to = keep_strv(m, a2d, false, &nomem);
	a->n_delegate_to = (uint32_t)a2d->n;
	a->uac = (uint32_t)uac;
	a->rid = rid;
	a->primary_group = (uint32_t)pg;
	a->enctypes = (uint32_t)et;
	a->pwd_last_set = pls;
	if (has_pls && source < m->nsrc && pls > m->clocks[source].pwd)
		m->clocks[source].pwd = pls;
	a->kvno = (uint32_t)kvno;
	if (act->n) {
		unsigned char *sd = spn_arena_alloc(&m->arena, act->v[0].n ? act->v[0].n : 1);
		if (!sd)
			nomem = true;
		else
			memcpy(sd, act->v[0].p, act->v[0].n);
		a->allowed_to_act = sd;
		a->allowed_to_act_len = (uint32_t)act->v[0].n;
	}
	a->admin_count = has_ac && ac == 1;
	a->kind = (uint8_t)kind;
	a->source = source;
	a->has = (uint16_t)((has_uac ? SPN_HAS_UAC : 0) | (has_ac ? SPN_HAS_ADMINCOUNT : 0) |
	                    (has_pg ? SPN_HAS_PRIMARYGROUP : 0) | (has_et ? SPN_HAS_ENCTYPES : 0) |
	                    (has_pls ? SPN_HAS_PWDLASTSET : 0) | (has_sid ? SPN_HAS_SID : 0) |
	                    (has_kvno ? SPN_HAS_KVNO : 0));
	if (nomem || !a->dn || !a->domain || (sv->n && !a->sam))
		return spn_err_set(err, SPN_NOMEM, "out of memory");

	uint32_t id = (uint32_t)m->nacc;
	a->spn_first = (uint32_t)m->nval;
	a->nspn = (uint32_t)spns->n;
	for (size_t i = 0; i < spns->n; i++) {
		if (!reserve((void **)&m->val, &m->capval, m->nval, sizeof(*m->val)) ||
		    !reserve((void **)&m->tag, &m->captag, m->nval, sizeof(*m->tag)))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		struct spn_value *v = &m->val[m->nval];
		const struct spn_slice *s = &spns->v[i];
		struct spn_parts parts;
		if (s->n > 0xffffffu)
			return spn_err_set(err, SPN_INPUT, "%s: '%.*s': a servicePrincipalName value is %zu bytes long",
			                   e->where ? e->where : "?", (int)e->dn.n, e->dn.p, s->n);
		v->str = spn_arena_strndup(&m->arena, s->p, s->n);
		if (!v->str)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		v->len = (uint32_t)s->n;
		v->account = id;
		v->next_same = SPN_NONE;
		v->flags = ascii_only(s->p, s->n) ? 0 : SPN_VALUE_NONASCII;
		v->syntax = (uint8_t)spn_parse(s->p, s->n, &parts);
		if (v->syntax != SPN_SYNTAX_OK)
			v->flags |= SPN_VALUE_MALFORMED;
		/* The index tag (index.c: the hash of the folded key) - for
		 * ASCII, the usual case, hashed straight from the value. */
		if (!(v->flags & SPN_VALUE_NONASCII))
			m->tag[m->nval] = (uint32_t)(spn_hash_ascii_lower(s->p, s->n) >> 32);
		else if (!spn_index_tag(m, v, &m->tag[m->nval]))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		m->nval++;
	}
	m->nacc++;
	return spn_model_add_entry_stamp(m, id, e, err);
}

/* Which attributes the source carries: only those not seen yet are
 * looked at, so a full export soon costs one test an entry. */
static void note_attrs(struct spn_source_info *s, const struct spn_entry *e)
{
	for (uint32_t todo = ~s->attrs & ((1u << SPN_A_COUNT) - 1); todo; todo &= todo - 1) {
		unsigned a = (unsigned)__builtin_ctz(todo);
		if (e->attr[a].n)
			s->attrs |= 1u << a;
	}
}

enum spn_rc spn_model_add_entry(struct spn_model *m, uint16_t source,
                                const struct spn_entry *e, struct spn_err *err)
{
	m->entries++;
	if (source < m->nsrc) {
		m->src[source].entries++;
		note_attrs(&m->src[source], e);
		if (e->attr[SPN_A_WHENCHANGED].n)
			spn_time_note_changed(&m->clocks[source], &e->attr[SPN_A_WHENCHANGED]);
	}
	if (is_directory_service(e) || e->attr[SPN_A_SPNMAPPINGS].n)
		return add_directory_service(m, e, err);
	bool has_oc = e->attr[SPN_A_OBJECTCLASS].n > 0;
	unsigned cls = class_mask(e);
	if (cls & C_GROUP)
		return add_group(m, e, err);
	if (cls & C_NTDSDSA)
		return spn_model_add_dsa(m, e, err);
	bool account = (cls & (C_USER | C_COMPUTER | C_INETORGPERSON)) ||
	               e->attr[SPN_A_SERVICEPRINCIPALNAME].n > 0 ||
	               (!has_oc && (e->attr[SPN_A_SAMACCOUNTNAME].n || e->attr[SPN_A_USERACCOUNTCONTROL].n));
	if (!account)
		return SPN_OK;
	return add_account(m, source, e, cls, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Group DN -> id map (case-insensitive DNs). */
static enum spn_rc build_groupmap(struct spn_model *m)
{
	if (!spn_table_reserve(&m->groupmap, m->ngrp))
		return SPN_NOMEM;
	for (size_t i = 0; i < m->ngrp; i++) {
		const char *key;
		size_t n = spn_model_fold_scratch(m, m->grp[i].dn, strlen(m->grp[i].dn), &key);
		if (n == (size_t)-1)
			return SPN_NOMEM;
		spn_table_add(&m->groupmap, spn_hash_tag(spn_hash(key, n)), (uint32_t)i);
	}
	return SPN_OK;
}

enum spn_rc spn_model_finish(struct spn_model *m, struct spn_err *err)
{
	spn_time_finish(m);
	spn_alias_free(m->aliases);
	m->aliases = NULL;
	if (m->npending_mappings) {
		size_t bad = 0;
		m->aliases = spn_alias_parse(m->pending_mappings, m->npending_mappings, &bad);
		m->aliases_from_dir = true;
	} else {
		m->aliases = spn_alias_default();
	}
	if (!m->aliases)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	if (spn_index_build(m))
		return spn_err_set(err, SPN_NOMEM, "out of memory building the SPN index");
	if (m->ndomains > 1)  /* qsort(NULL, 0) is undefined (UBSan) */
		qsort(m->domains, m->ndomains, sizeof(*m->domains), cmp_str);
	spn_table_release(&m->groupmap);
	if (build_groupmap(m) || spn_model_finish_stamps(m))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return SPN_OK;
}

void spn_model_set_threads(struct spn_model *m, unsigned threads)
{
	m->threads = threads;
}

/* The key of s[0..n) (spn_key: what the SPN index and the group map hash)
 * into buf (cap bytes) when it fits, else into malloc'd memory; *out says
 * where (free it unless it is buf). (size_t)-1 and *out NULL on NOMEM. */
static size_t key_of(const char *s, size_t n, char *buf, size_t cap, char **out)
{
	size_t need = SPN_KEY_CAP(n);
	*out = need <= cap ? buf : malloc(need);
	if (!*out)
		return (size_t)-1;
	return spn_key(s, n, *out, need);
}

/* Is the group DN g the DN whose key is key[0..n)? Compared as hashed
 * (Unicode case fold): byte-equal DNs need no folding. */
static bool group_dn_is(const char *g, const char *dn, const char *key, size_t n)
{
	if (strcmp(g, dn) == 0)
		return true;
	char stackbuf[1024], *gkey;
	size_t k = key_of(g, strlen(g), stackbuf, sizeof(stackbuf), &gkey);
	bool same = k == n && memcmp(gkey, key, n) == 0;
	if (gkey != stackbuf)
		free(gkey);
	return same;
}

uint32_t spn_model_find_group(const struct spn_model *m, const char *dn)
{
	if (!m->groupmap.n)
		return SPN_NONE;
	char stackbuf[1024], *key;
	size_t k = key_of(dn, strlen(dn), stackbuf, sizeof(stackbuf), &key);
	if (!key)
		return SPN_NONE;
	uint32_t tag = spn_hash_tag(spn_hash(key, k)), found = SPN_NONE;
	size_t at;
	for (uint32_t id = spn_table_first(&m->groupmap, tag, &at); id != SPN_TABLE_NONE;
	     id = spn_table_next(&m->groupmap, tag, &at))
		if (group_dn_is(m->grp[id].dn, dn, key, k)) {
			found = id;
			break;
		}
	if (key != stackbuf)
		free(key);
	return found;
}

bool spn_model_complete(const struct spn_model *m) { return m->ngaps == 0; }
size_t spn_model_ngaps(const struct spn_model *m) { return m->ngaps; }
const char *spn_model_gap(const struct spn_model *m, size_t i) { return m->gaps[i]; }
size_t spn_model_nsources(const struct spn_model *m) { return m->nsrc; }
const struct spn_source_info *spn_model_source(const struct spn_model *m, size_t i) { return &m->src[i]; }
size_t spn_model_naccounts(const struct spn_model *m) { return m->nacc; }
const struct spn_account *spn_model_account(const struct spn_model *m, uint32_t id) { return &m->acc[id]; }
size_t spn_model_nvalues(const struct spn_model *m) { return m->nval; }
const struct spn_value *spn_model_value(const struct spn_model *m, uint32_t id) { return &m->val[id]; }
size_t spn_model_ngroups(const struct spn_model *m) { return m->ngrp; }
const struct spn_group *spn_model_group(const struct spn_model *m, uint32_t id) { return &m->grp[id]; }
size_t spn_model_ndomains(const struct spn_model *m) { return m->ndomains; }
const char *spn_model_domain(const struct spn_model *m, size_t i) { return m->domains[i]; }
const struct spn_alias_table *spn_model_aliases(const struct spn_model *m) { return m->aliases; }
bool spn_model_aliases_from_directory(const struct spn_model *m) { return m->aliases_from_dir; }
const char *spn_model_ds_heuristics(const struct spn_model *m) { return m->ds_heuristics; }
bool spn_model_has_directory_service(const struct spn_model *m) { return m->has_ds; }

void spn_model_stats(const struct spn_model *m, struct spn_model_stats *st)
{
	st->entries = m->entries;
	st->accounts_seen = m->accounts_seen;
	st->accounts = m->nacc;
	st->spn_values = m->nval;
	st->distinct_spns = m->index.used;
	st->groups = m->ngrp;
	st->domains = m->ndomains;
	st->arena_bytes = m->arena.reserved;
}

uint32_t spn_model_find_key(const struct spn_model *m, const char *key, size_t n)
{
	return spn_index_find_folded(m, key, n);
}

uint32_t spn_model_find_spn(const struct spn_model *m, const char *s, size_t n)
{
	char stackbuf[1024], *key;
	size_t k = key_of(s, n, stackbuf, sizeof(stackbuf), &key);
	if (!key)
		return SPN_NONE;
	uint32_t r = spn_index_find_folded(m, key, k);
	if (key != stackbuf)
		free(key);
	return r;
}

/* sAMAccountName equal to name, ignoring a trailing '$' on either side. */
static bool sam_matches(const char *sam, const char *name)
{
	size_t a = strlen(sam), b = strlen(name);
	if (a && sam[a - 1] == '$')
		a--;
	if (b && name[b - 1] == '$')
		b--;
	return a == b && strncasecmp(sam, name, a) == 0;
}

size_t spn_model_find_account(const struct spn_model *m, const char *name,
                              uint32_t *out, size_t cap)
{
	/* DOMAIN\sam: match the sam part, and the domain's first label. */
	const char *bs = strchr(name, '\\');
	const char *sam = bs ? bs + 1 : name;
	size_t dlen = bs ? (size_t)(bs - name) : 0;
	size_t found = 0;
	for (size_t i = 0; i < m->nacc; i++) {
		const struct spn_account *a = &m->acc[i];
		bool hit = strcasecmp(a->dn, name) == 0 ||
		           (a->upn && strcasecmp(a->upn, name) == 0) ||
		           (a->sam && sam_matches(a->sam, sam) &&
		            (!bs || (strncasecmp(a->domain, name, dlen) == 0 &&
		                     (a->domain[dlen] == '.' || a->domain[dlen] == '\0'))));
		if (!hit)
			continue;
		if (found < cap)
			out[found] = (uint32_t)i;
		found++;
	}
	return found;
}

bool spn_account_disabled(const struct spn_account *a)
{
	return (a->has & SPN_HAS_UAC) && (a->uac & SPN_UAC_ACCOUNTDISABLE);
}

bool spn_kind_is_computer(enum spn_kind k)
{
	return k == SPN_KIND_COMPUTER || k == SPN_KIND_DC || k == SPN_KIND_RODC;
}

const char *spn_kind_name(enum spn_kind k)
{
	switch (k) {
	case SPN_KIND_UNKNOWN: return "unknown";
	case SPN_KIND_USER: return "user";
	case SPN_KIND_COMPUTER: return "computer";
	case SPN_KIND_DC: return "dc";
	case SPN_KIND_RODC: return "rodc";
	case SPN_KIND_SMSA: return "smsa";
	case SPN_KIND_GMSA: return "gmsa";
	case SPN_KIND_DMSA: return "dmsa";
	case SPN_KIND_KRBTGT: return "krbtgt";
	case SPN_KIND_TRUST: return "trust";
	}
	return "unknown";
}
