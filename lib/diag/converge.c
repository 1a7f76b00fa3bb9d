/*
 * converge.c - a change followed until every DC agrees (spn/converge.h):
 * rounds over the DCs still behind, each re-reading the changed objects
 * on its own connection (spn/directory.h) and, once its directory agrees,
 * asking its own KDC (spn/probe.h with a one-KDC context) for each SPN a
 * ticket should now be issued for. Rounds start 0.5 s apart and slow to
 * 5 s; the last one ends at the bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "spn/converge.h"
#include "spn/directory.h"
#include "spn/probe.h"
#include "diag_int.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	if (s <= 0)
		return;
	struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	nanosleep(&t, NULL);
}

/* Does the account (a one-account model) hold spn, as AD compares? */
static bool holds(const struct spn_model *m, const char *spn)
{
	return spn_model_find_spn(m, spn, strlen(spn)) != SPN_NONE;
}

/* One DC's directory: does it show every expected value? */
static bool dir_agrees(struct spn_dir **d, const struct spn_dc *dc, const struct spn_live_opts *o,
                       const struct spn_expect *ex, size_t nex, struct spn_follow_dc *f)
{
	struct spn_err err;
	spn_err_init(&err);
	f->error[0] = f->behind[0] = '\0';
	if (!*d) {
		struct spn_live_opts one = *o;
		const char *uri = dc->uri;
		one.uris = &uri;
		one.nuris = 1;
		one.uris_found = true;
		one.domain = NULL;
		one.base = dc->base;
		if (spn_dir_open(d, &one, &err) != SPN_OK) {
			snprintf(f->error, sizeof(f->error), "%s", err.msg);
			*d = NULL;
			return false;
		}
	}
	for (size_t i = 0; i < nex; i++) {
		struct spn_model *acc = NULL;
		enum spn_rc rc = spn_dir_read(*d, ex[i].dn, &acc, &err);
		if (rc == SPN_INPUT && !ex[i].present) {   /* the object is gone: so is its value */
			spn_err_init(&err);
			continue;
		}
		if (rc != SPN_OK) {
			snprintf(f->error, sizeof(f->error), "%s", err.msg);
			spn_dir_close(*d);   /* reconnect next round */
			*d = NULL;
			return false;
		}
		bool has = holds(acc, ex[i].spn);
		spn_model_free(acc);
		if (has != ex[i].present) {
			snprintf(f->behind, sizeof(f->behind), "%s %s %s", ex[i].spn,
			         has ? "still on" : "not yet on", ex[i].dn);
			return false;
		}
	}
	return true;
}

/* One DC's KDC: does it issue a ticket for every SPN to probe? *asked:
 * false when no ticket cache could be used. */
static bool kdc_agrees(const struct spn_dc *dc, const struct spn_expect *ex, size_t nex,
                       const struct spn_follow_opts *fo, struct spn_follow_dc *f, bool *no_cache)
{
	for (size_t i = 0; i < nex; i++) {
		if (!ex[i].probe)   /* an added value, or the one holder a fix left */
			continue;
		f->kdc_asked = true;
		struct spn_probe_opts po = {NULL, fo->ccache, dc->host};
		struct spn_probe_result r;
		struct spn_err err;
		spn_probe_result_init(&r);
		spn_err_init(&err);
		enum spn_rc rc = spn_probe(ex[i].spn, &po, &r, &err);
		bool issued = rc == SPN_OK && r.status == SPN_PROBE_ISSUED;
		if (rc == SPN_OK && r.status == SPN_PROBE_NO_TGT)
			*no_cache = true;
		if (!issued)
			snprintf(f->behind, sizeof(f->behind), "its KDC (%s) does not issue %s yet: %s",
			         dc->host, ex[i].spn, rc ? err.msg : r.summary ? r.summary : "refused");
		spn_probe_result_release(&r);
		if (!issued)
			return false;
	}
	return true;
}

/* Is there any SPN a KDC should now issue a ticket for? */
static bool wants_kdc(const struct spn_expect *ex, size_t nex)
{
	for (size_t i = 0; i < nex; i++)
		if (ex[i].probe)
			return true;
	return false;
}

enum spn_rc spn_follow_change(const struct spn_dc_list *l, const struct spn_live_opts *o,
                              const struct spn_expect *ex, size_t nex,
                              const struct spn_follow_opts *fo, struct spn_follow *out,
                              struct spn_err *err)
{
	memset(out, 0, sizeof(*out));
	out->dcs = calloc(l->n ? l->n : 1, sizeof(*out->dcs));
	struct spn_dir **dirs = calloc(l->n ? l->n : 1, sizeof(*dirs));
	if (!out->dcs || !dirs) {
		free(dirs);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	out->n = l->n;
	for (size_t i = 0; i < l->n; i++)
		out->dcs[i] = (struct spn_follow_dc){.dc = &l->v[i], .dir_seconds = -1,
		                                     .kdc_seconds = -1};
	bool kdc = fo->kdc && wants_kdc(ex, nex);
	double t0 = now_s(), pause = 0.5;
	for (;;) {
		bool all = true;
		for (size_t i = 0; i < l->n; i++) {
			struct spn_follow_dc *f = &out->dcs[i];
			if (f->dir_seconds < 0) {
				if (!dir_agrees(&dirs[i], &l->v[i], o, ex, nex, f)) {
					all = false;
					continue;
				}
				f->dir_seconds = now_s() - t0;
			}
			if (!kdc || out->no_ticket_cache || f->kdc_seconds >= 0)
				continue;
			if (kdc_agrees(&l->v[i], ex, nex, fo, f, &out->no_ticket_cache))
				f->kdc_seconds = now_s() - t0;
			else if (!out->no_ticket_cache)
				all = false;
		}
		double elapsed = now_s() - t0;
		if (fo->round)
			fo->round(fo->ctx, out, elapsed);
		if (all) {
			out->converged = true;
			break;
		}
		if (elapsed >= fo->max_seconds)
			break;
		sleep_s(pause < fo->max_seconds - elapsed ? pause : fo->max_seconds - elapsed);
		pause = pause * 2 < 5 ? pause * 2 : 5;
	}
	out->seconds = now_s() - t0;
	if (out->no_ticket_cache) {   /* KDCs not asked: the directory decides */
		for (size_t i = 0; i < l->n; i++)
			out->dcs[i].kdc_asked = false;
		out->converged = true;
		for (size_t i = 0; i < l->n; i++)
			out->converged &= out->dcs[i].dir_seconds >= 0;
	}
	for (size_t i = 0; i < l->n; i++)
		spn_dir_close(dirs[i]);
	free(dirs);
	return SPN_OK;
}

void spn_follow_release(struct spn_follow *f)
{
	free(f->dcs);
	memset(f, 0, sizeof(*f));
}
