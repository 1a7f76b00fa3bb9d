/*
 * dc_spread.c - --all-dcs: which DCs show each finding (check.h,
 * spn_findings_mark_dcs). The checks ran on the union of the DCs' views
 * (spn/views.h) and once more on each DC's own view; a DC shows a finding
 * when its own run found the same problem: the same code, the same SPN as
 * AD compares it, the same accounts by DN. A duplicate written on two DCs
 * before replication is found on the union and shown by no single DC yet;
 * per account, the DCs that hold the value say where each copy lives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/check.h"
#include "spn/views.h"

/* The identity of a finding as text: code, folded SPN, sorted DNs in
 * lower case, separated by \1. */
static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *lower_dup(const char *s)
{
	size_t n = strlen(s);
	char *d = malloc(n + 1);
	for (size_t i = 0; d && i <= n; i++)
		d[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	return d;
}

static char *finding_key(const struct spn_finding *f, const struct spn_model *m)
{
	size_t spnlen = f->spn ? strlen(f->spn) : 0;
	size_t cap = strlen(f->code) + SPN_KEY_CAP(spnlen) + 2;
	char **dns = calloc(f->naccounts ? f->naccounts : 1, sizeof(*dns));
	char *k = NULL;
	size_t n = 0;
	bool ok = dns != NULL;
	for (size_t i = 0; ok && i < f->naccounts; i++) {
		ok = (dns[i] = lower_dup(spn_model_account(m, f->accounts[i])->dn)) != NULL;
		cap += ok ? strlen(dns[i]) + 1 : 0;
	}
	if (ok && (k = malloc(cap))) {
		n = (size_t)snprintf(k, cap, "%s\1", f->code);
		size_t fl = f->spn ? spn_key(f->spn, spnlen, k + n, cap - n) : 0;
		n += fl == (size_t)-1 ? 0 : fl;
		qsort(dns, f->naccounts, sizeof(*dns), cmp_cstr);
		for (size_t i = 0; i < f->naccounts; i++) {
			size_t dl = strlen(dns[i]);
			k[n++] = '\1';
			memcpy(k + n, dns[i], dl);
			n += dl;
		}
		k[n] = '\0';
	}
	for (size_t i = 0; dns && i < f->naccounts; i++)
		free(dns[i]);
	free(dns);
	return k;
}

struct keyset {
	char **v;
	size_t n;
};

static void keyset_release(struct keyset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static bool keyset_build(struct keyset *s, const struct spn_findings *fs, const struct spn_model *m)
{
	s->n = 0;
	s->v = calloc(fs->n ? fs->n : 1, sizeof(*s->v));
	if (!s->v)
		return false;
	for (size_t i = 0; i < fs->n; i++) {
		if (!(s->v[i] = finding_key(&fs->v[i], m)))
			return false;
		s->n++;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_cstr);
	return true;
}

static bool keyset_has(const struct keyset *s, const char *k)
{
	return s->n && bsearch(&k, s->v, s->n, sizeof(*s->v), cmp_cstr) != NULL;
}

/* ---- Holders ---- */

/* class and host of an SPN as a KDC looks it up: the alias target when
 * the class is an alias (cifs/x -> host/x), else its own. */
static bool service_of(const struct spn_alias_table *t, const char *s, struct spn_slice *cls,
                       struct spn_slice *host)
{
	struct spn_alias_key k;
	if (spn_alias_key(t, s, strlen(s), &k)) {
		*cls = (struct spn_slice){k.target, strlen(k.target)};
		*host = k.host;
		return true;
	}
	const char *slash = strchr(s, '/');
	if (!slash)
		return false;
	*cls = (struct spn_slice){s, (size_t)(slash - s)};
	const char *h = slash + 1;
	*host = (struct spn_slice){h, strcspn(h, "/")};
	return true;
}

static bool slice_eq(struct spn_slice a, struct spn_slice b)
{
	return a.n == b.n && strncasecmp(a.p, b.p, a.n) == 0;
}

/* Does value s stand for the finding's SPN f (itself, or the same service
 * through the HOST alias)? */
static bool same_service(const struct spn_alias_table *t, const char *f, const char *s)
{
	struct spn_slice fc, fh, sc, sh;
	return service_of(t, f, &fc, &fh) && service_of(t, s, &sc, &sh) && slice_eq(fc, sc) &&
	       slice_eq(fh, sh);
}

/* Per DC: does union account a hold the finding's SPN (or its service)? */
static void holder_row(const struct spn_views *v, const struct spn_finding *f, uint32_t a,
                       uint8_t *row)
{
	const struct spn_model *u = spn_views_union_c(v);
	const struct spn_account *acc = spn_model_account(u, a);
	size_t n = spn_views_count(v);
	for (size_t i = 0; i < n; i++)
		row[i] = SPN_VIEW_SILENT;
	if (!f->spn)
		return;
	for (size_t i = 0; i < n; i++) {
		enum spn_view_holds best = spn_views_holds(v, i, a, f->spn, strlen(f->spn));
		for (uint32_t k = 0; k < acc->nspn && best != SPN_VIEW_YES; k++) {
			const struct spn_value *val = spn_model_value(u, acc->spn_first + k);
			if (!same_service(spn_model_aliases(u), f->spn, val->str))
				continue;
			enum spn_view_holds h = spn_views_holds(v, i, a, val->str, val->len);
			if (h == SPN_VIEW_YES || (h == SPN_VIEW_NO && best == SPN_VIEW_SILENT))
				best = h;
		}
		row[i] = (uint8_t)best;
	}
}

enum spn_rc spn_findings_mark_dcs(struct spn_findings *all, const struct spn_views *v,
                                  const struct spn_findings *per_dc, struct spn_err *err)
{
	size_t n = spn_views_count(v);
	const struct spn_model *u = spn_views_union_c(v);
	struct keyset *sets = calloc(n ? n : 1, sizeof(*sets));
	const char **names = spn_arena_alloc(&all->arena, (n ? n : 1) * sizeof(*names));
	enum spn_rc rc = SPN_OK;
	if (!sets || !names)
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; rc == SPN_OK && i < n; i++) {
		names[i] = spn_views_name(v, i);
		if (spn_views_model(v, i) && !keyset_build(&sets[i], &per_dc[i], spn_views_model(v, i)))
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t f = 0; rc == SPN_OK && f < all->n; f++) {
		struct spn_finding *x = &all->v[f];
		struct spn_finding_dcs *d = spn_arena_alloc(&all->arena, sizeof(*d));
		uint8_t *shown = spn_arena_alloc(&all->arena, n ? n : 1);
		uint8_t *holders = spn_arena_alloc(&all->arena, (x->naccounts ? x->naccounts : 1) *
		                                                (n ? n : 1));
		char *key = finding_key(x, u);
		if (!d || !shown || !holders || !key) {
			free(key);
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
			break;
		}
		for (size_t i = 0; i < n; i++)
			shown[i] = !spn_views_model(v, i) ? SPN_VIEW_SILENT
			           : keyset_has(&sets[i], key) ? SPN_VIEW_YES : SPN_VIEW_NO;
		free(key);
		for (size_t j = 0; j < x->naccounts; j++)
			holder_row(v, x, x->accounts[j], holders + j * n);
		*d = (struct spn_finding_dcs){names, n, shown, holders};
		x->dcs = d;
	}
	for (size_t i = 0; sets && i < n; i++)
		keyset_release(&sets[i]);
	free(sets);
	return rc;
}
