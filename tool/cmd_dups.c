/*
 * cmd_dups.c - `spnctl dups` (setspn -X is `dups -o setspn`): the checks
 * marked SPN_CHECK_DUPS only - duplicates, look-alikes, HOST alias
 * conflicts - reported like audit. The exit status counts the findings the
 * report prints: with -o setspn, the duplicate-spn groups (the known benign
 * pairs are info, so by default they do not make it 1).
 */
#include "exit.h"
#include "msg.h"
#include "spnctl.h"
#include "suggest.h"

int cmd_dups(struct spnctl *c)
{
	struct spn_findings f;
	enum spn_rc w;
	int rc;
	if (c->nargs)
		return spnctl_unexpected(c);
	if ((rc = spnctl_load(c)) >= 0)
		return rc;
	spn_findings_init(&f);
	if ((rc = spnctl_findings(c, SPN_CHECK_DUPS, &f)) >= 0)
		goto out;
	if ((w = spn_report_findings(stdout, &c->report, c->model, &f)) != SPN_OK)
		rc = spnctl_report_failed(w);
	else
		rc = spnctl_finish(c, spnctl_findings_status(c, &f));
out:
	spn_findings_release(&f);
	return rc;
}
