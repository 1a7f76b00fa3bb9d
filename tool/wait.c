/*
 * wait.c - --wait SECONDS after a write (add, rm, reset, fix --apply,
 * undo): the values the write changed, followed to every writable DC of
 * the domain and, with a ticket cache, to each DC's KDC (spn/converge.h),
 * with a progress line on a terminal. What counts as agreeing is
 * libspn's; this file only collects the applied steps and wires the wait
 * to the command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spn/apply.h"
#include "spn/converge.h"
#include "spn/dcs.h"
#include "msg.h"
#include "spnctl.h"

void spnctl_wait_init(struct spnctl_wait *w)
{
	memset(w, 0, sizeof(*w));
}

void spnctl_wait_release(struct spnctl_wait *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free((char *)w->v[i].dn);
		free((char *)w->v[i].spn);
	}
	free(w->v);
	spn_follow_release(&w->follow);
	spn_dcs_release(&w->dcs);
	memset(w, 0, sizeof(*w));
}

/* An applied step: the value its account now holds, or no longer holds.
 * A KDC should then issue a ticket for an added SPN (add refuses a value
 * another account holds) and for one a duplicate fix removed from the
 * other holders (fix keeps exactly one); not for a value simply removed. */
void spnctl_wait_note(struct spnctl_wait *w, const struct spn_step_result *r)
{
	if (r->state != SPN_STEP_APPLIED || w->nomem)
		return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		struct spn_expect *v = realloc(w->v, cap * sizeof(*v));
		if (!v) {
			w->nomem = true;
			return;
		}
		w->v = v;
		w->cap = cap;
	}
	const struct spn_step *s = r->step;
	bool add = s->op == SPN_STEP_ADD;
	struct spn_expect *e = &w->v[w->n];
	e->dn = strdup(s->dn);
	e->spn = strdup(r->stored ? r->stored : s->spn);
	e->present = add;
	e->probe = add || (s->finding && strcmp(s->finding, "duplicate-spn") == 0);
	if (!e->dn || !e->spn) {
		free((char *)e->dn);
		free((char *)e->spn);
		w->nomem = true;
		return;
	}
	w->n++;
}

/* "spnctl: waiting for DC2: 1 of 2 DCs agree (3.5 s of 120)" on a terminal. */
static void round_done(void *ctx, const struct spn_follow *f, double elapsed)
{
	const struct spnctl *c = ctx;
	size_t ok = 0;
	const char *first = NULL;
	for (size_t i = 0; i < f->n; i++) {
		const struct spn_follow_dc *d = &f->dcs[i];
		if (d->dir_seconds >= 0 && (!d->kdc_asked || d->kdc_seconds >= 0))
			ok++;
		else if (!first)
			first = d->dc->name;
	}
	fprintf(stderr, "\rspnctl: waiting%s%s: %zu of %zu DCs agree (%.1f s of %u)\033[K",
	        first ? " for " : "", first ? first : "", ok, f->n, elapsed, c->wait);
	fflush(stderr);
}

int spnctl_wait_follow(struct spnctl *c, struct spnctl_wait *w, struct spn_change_report *r)
{
	struct spn_err err;
	if (w->nomem)
		return msg_fail("out of memory");
	if (!c->wait || c->dry_run || w->n == 0)
		return -1;
	spn_err_init(&err);
	if (spn_dcs_find(&w->dcs, &c->live, &err) != SPN_OK)
		return msg_fail("--wait: %s", err.msg);
	if (c->verbose)
		for (size_t i = 0; i < w->dcs.nnotes; i++)
			msg_note("%s", w->dcs.notes[i]);
	bool tty = c->report.format != SPN_FORMAT_JSON && !c->no_progress && isatty(STDERR_FILENO);
	struct spn_follow_opts fo = {
		.max_seconds = c->wait,
		.kdc = true,
		.round = tty ? round_done : NULL,
		.ctx = c,
	};
	enum spn_rc rc = spn_follow_change(&w->dcs, &c->live, w->v, w->n, &fo, &w->follow, &err);
	if (tty)
		fputs("\r\033[K", stderr);
	if (rc != SPN_OK)
		return msg_fail("--wait: %s", err.msg);
	spn_change_report_follow(r, &w->follow, c->wait);
	w->followed = true;
	return -1;
}
