/*
 * alldcs.c - --all-dcs and --provenance for the commands that report
 * findings (dups, audit), and --provenance for snapshot: every writable DC
 * found and read (spn/dcs.h), their views joined (spn/views.h) into the
 * model the checks read, a DC that could not be read made a gap, the
 * checks run again on each DC's own view to say which DCs show each
 * finding, and servicePrincipalName's replication stamp read for the
 * accounts of findings - from every DC with --all-dcs, the latest write
 * winning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spn/dcs.h"
#include "spn/views.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

struct spnctl_dcs {
	struct spn_dc_list list;
	struct spn_dc_read *reads;
	struct spn_views *views;
	struct spn_dc_row *rows;
	const char **names;
	const char **domains;
	struct spn_model **models;
	struct spn_dcs_report report;
};

void spnctl_dcs_free(struct spnctl_dcs *d)
{
	if (!d)
		return;
	spn_views_free(d->views);
	spn_dc_reads_release(d->reads, d->list.n);
	spn_dcs_release(&d->list);
	free(d->reads);
	free(d->rows);
	free(d->names);
	free(d->domains);
	free(d->models);
	free(d);
}

/* "spnctl: DC2 (ldap://dc2.contoso.test) read in 0.4 s" on a terminal. */
static void done(void *ctx, const struct spn_dc *dc, const struct spn_dc_read *r)
{
	FILE *f = ctx;
	if (!f)
		return;
	if (r->rc == SPN_OK || r->rc == SPN_INCOMPLETE)
		fprintf(f, "spnctl: %s (%s) read in %.1f s%s\n", dc->name, dc->uri, r->seconds,
		        r->rc ? ", incomplete" : "");
	else
		fprintf(f, "spnctl: %s (%s) not read: %s\n", dc->name, dc->uri, r->error);
	fflush(f);
}

static bool alloc_arrays(struct spnctl_dcs *d)
{
	size_t n = d->list.n ? d->list.n : 1;
	d->reads = calloc(n, sizeof(*d->reads));
	d->rows = calloc(n, sizeof(*d->rows));
	d->names = calloc(n, sizeof(*d->names));
	d->domains = calloc(n, sizeof(*d->domains));
	d->models = calloc(n, sizeof(*d->models));
	return d->reads && d->rows && d->names && d->domains && d->models;
}

/* The union of the views, the DCs named in it, unread DCs as gaps. */
static enum spn_rc join_views(struct spnctl_dcs *d, unsigned flags, struct spn_err *err)
{
	for (size_t i = 0; i < d->list.n; i++) {
		const struct spn_dc *dc = &d->list.v[i];
		const struct spn_dc_read *r = &d->reads[i];
		d->names[i] = dc->name;
		d->domains[i] = dc->domain;
		d->models[i] = r->m;
		d->rows[i] = (struct spn_dc_row){dc->name, dc->host, dc->uri, dc->in_dns, dc->in_config,
		                                 r->m ? NULL : r->error, r->seconds};
	}
	enum spn_rc rc = spn_views_build(&d->views, d->list.n, d->names, d->domains, d->models,
	                                 flags, err);
	if (rc)
		return rc;
	struct spn_model *u = spn_views_union(d->views);
	for (size_t i = 0; i < d->list.n; i++)
		if (!d->reads[i].m &&
		    spn_model_add_gap(u, "%s (%s) could not be read, so what it alone holds is not "
		                      "here: %s", d->list.v[i].name, d->list.v[i].uri, d->reads[i].error))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	if ((rc = spn_dcs_to_model(&d->list, u, err)))
		return rc;
	return spn_views_finish(d->views, err);
}

int spnctl_load_dcs(struct spnctl *c, struct spn_model **out)
{
	struct spn_err err;
	struct spnctl_dcs *d = calloc(1, sizeof(*d));
	unsigned flags = (c->cmd->flags & CMD_KEEP_ALL) ? SPN_MODEL_KEEP_ALL : 0;
	FILE *progress = c->live.progress;
	if (!d)
		return msg_fail("out of memory");
	c->dcs = d;
	spn_err_init(&err);
	if (spn_dcs_find(&d->list, &c->live, &err) != SPN_OK)
		return msg_fail("--all-dcs: %s", err.msg);
	if (c->verbose || progress)
		for (size_t i = 0; i < d->list.nnotes; i++)
			msg_note("%s", d->list.notes[i]);
	if (!alloc_arrays(d))
		return msg_fail("out of memory");
	if (spn_dcs_read(&d->list, &c->live, 0, flags, d->reads, done, progress, &err) != SPN_OK ||
	    join_views(d, flags, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	d->report = (struct spn_dcs_report){d->rows, d->names, d->list.n,
	                                    (const char *const *)d->list.notes, d->list.nnotes,
	                                    d->views};
	c->report.dcs = &d->report;
	*out = spn_views_union(d->views);
	return -1;
}

/* Checks on each DC's own view: which DCs show each finding. */
static int mark_dcs(struct spnctl *c, unsigned need, const struct spn_check_opts *o,
                    struct spn_findings *f)
{
	struct spnctl_dcs *d = c->dcs;
	struct spn_findings *per = calloc(d->list.n ? d->list.n : 1, sizeof(*per));
	struct spn_err err;
	int rc = -1;
	spn_err_init(&err);
	if (!per)
		return msg_fail("out of memory");
	for (size_t i = 0; i < d->list.n; i++)
		spn_findings_init(&per[i]);
	for (size_t i = 0; i < d->list.n && rc < 0; i++)
		if (d->reads[i].m && spn_checks_run(d->reads[i].m, o, need, &per[i], &err) != SPN_OK)
			rc = msg_fail("%s: %s", d->list.v[i].name, err.msg);
	if (rc < 0 && spn_findings_mark_dcs(f, d->views, per, &err) != SPN_OK)
		rc = msg_fail("%s", err.msg);
	for (size_t i = 0; i < d->list.n; i++)
		spn_findings_release(&per[i]);
	free(per);
	return rc;
}

/* The accounts of the findings the report prints, each once. */
static uint32_t *finding_accounts(const struct spnctl *c, const struct spn_findings *f, size_t *n)
{
	size_t na = spn_model_naccounts(c->model);
	uint8_t *seen = calloc(na ? na : 1, 1);
	uint32_t *ids = calloc(na ? na : 1, sizeof(*ids));
	*n = 0;
	if (!seen || !ids) {
		free(seen);
		free(ids);
		return NULL;
	}
	for (size_t i = 0; i < f->n; i++)
		for (size_t j = 0; j < f->v[i].naccounts; j++) {
			uint32_t a = f->v[i].accounts[j];
			if (a < na && !seen[a] && spn_report_shows(&c->report, &f->v[i])) {
				seen[a] = 1;
				ids[(*n)++] = a;
			}
		}
	free(seen);
	return ids;
}

/* servicePrincipalName's stamps of accounts ids: from every DC read
 * (--all-dcs), else from the server the load read. A failure costs the
 * provenance only: said, not fatal. */
static int read_stamps(struct spnctl *c, const uint32_t *ids, size_t n)
{
	struct spn_err err;
	if (n == 0)
		return -1;
	if (!c->dcs) {
		spn_err_init(&err);
		if (spn_dcs_read_stamps(c->model, NULL, &c->live, ids, n, &err) != SPN_OK)
			msg_note("provenance: %s", err.msg);
		return -1;
	}
	for (size_t i = 0; i < c->dcs->list.n; i++) {
		if (!c->dcs->reads[i].m)
			continue;
		spn_err_init(&err);
		if (spn_dcs_read_stamps(c->model, c->dcs->list.v[i].uri, &c->live, ids, n, &err) !=
		    SPN_OK)
			msg_note("provenance from %s: %s", c->dcs->list.v[i].name, err.msg);
	}
	return -1;
}

int spnctl_findings_where(struct spnctl *c, unsigned need, const struct spn_check_opts *o,
                          struct spn_findings *f)
{
	int rc;
	if (c->dcs && (rc = mark_dcs(c, need, o, f)) >= 0)
		return rc;
	if (!c->dcs && !c->provenance)
		return -1;
	size_t n;
	uint32_t *ids = finding_accounts(c, f, &n);
	if (!ids)
		return msg_fail("out of memory");
	rc = read_stamps(c, ids, n);
	free(ids);
	return rc;
}

int spnctl_snapshot_provenance(struct spnctl *c)
{
	if (!c->provenance && !c->dcs)   /* --all-dcs implies --provenance */
		return -1;
	size_t n = spn_model_naccounts(c->model);
	uint32_t *ids = calloc(n ? n : 1, sizeof(*ids));
	size_t k = 0;
	if (!ids)
		return msg_fail("out of memory");
	for (uint32_t i = 0; i < n; i++)
		if (spn_model_account(c->model, i)->nspn)
			ids[k++] = i;
	int rc = read_stamps(c, ids, k);
	free(ids);
	return rc;
}
