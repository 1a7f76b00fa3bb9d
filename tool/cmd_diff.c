/*
 * cmd_diff.c - `spnctl diff OLD NEW`: SPNs added, removed and moved between
 * accounts from one snapshot to the next (spn/diff.h; printed by report.h).
 * An added or moved SPN that makes a duplicate or a conflict in NEW (the
 * dups checks' findings on it: spn_changes_mark) is marked so.
 * Exit status 0 when nothing changed, 1 when something did, 2 when a
 * snapshot could not be read or is incomplete (the changes are still
 * printed, marked so).
 */
#include "spn/source.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

static int load(const struct spnctl *c, const char *path, struct spn_model **out)
{
	struct spn_err err;
	spn_err_init(&err);
	*out = spn_model_new(0);
	if (!*out)
		return msg_fail("out of memory");
	if (spn_ldif_read_file(*out, path, &err) != SPN_OK ||
	    spn_model_finish(*out, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	return spnctl_check_whole(c, *out);
}

int cmd_diff(struct spnctl *c)
{
	struct spn_model *old = NULL, *new = NULL;
	struct spn_changes ch;
	struct spn_findings f;
	struct spn_err err;
	int rc;
	if (c->nargs != 2)
		return msg_usage("diff", "expected two snapshots (old.ldif new.ldif), got %d argument%s",
		                 c->nargs, c->nargs == 1 ? "" : "s");
	spn_changes_init(&ch);
	spn_findings_init(&f);
	spn_err_init(&err);
	if ((rc = load(c, c->args[0], &old)) >= 0 || (rc = load(c, c->args[1], &new)) >= 0)
		goto out;
	if (spn_model_diff(old, new, &ch, &err) != SPN_OK) {
		rc = msg_fail("%s", err.msg);
		goto out;
	}
	if ((rc = spnctl_run_checks(c, new, SPN_CHECK_DUPS, &f)) >= 0)
		goto out;
	if (spn_changes_mark(&ch, new, &f) != SPN_OK) {
		rc = msg_fail("out of memory");
		goto out;
	}
	if (spn_report_diff(stdout, &c->report, old, new, &ch) != SPN_OK) {
		rc = SPNCTL_EXIT_FAILURE;  /* main() reports the write error */
		goto out;
	}
	rc = ch.n ? SPNCTL_EXIT_FINDINGS : SPNCTL_EXIT_OK;
	if (!spn_model_complete(old) || !spn_model_complete(new))
		rc = msg_fail("incomplete snapshot, so the comparison is not a clean bill: %s",
		              spn_model_gap(spn_model_complete(old) ? new : old, 0));
out:
	spn_changes_release(&ch);
	spn_findings_release(&f);
	spn_model_free(old);
	spn_model_free(new);
	return rc;
}
