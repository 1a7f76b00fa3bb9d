/*
 * cmd_dups.c - `spnctl dups` (and setspn -X): the checks marked
 * SPN_CHECK_DUPS only - duplicates, look-alikes, HOST alias conflicts -
 * reported like audit. setspn -X prints every duplicate-spn group in
 * setspn's words (the known benign pairs too, as setspn does) and exits 1
 * when one of them is more than info.
 */
#include <string.h>

#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int spnctl_dups_run(struct spnctl *c, bool setspn)
{
	struct spn_findings f;
	int rc;
	if ((rc = spnctl_load(c)) >= 0)
		return rc;
	spn_findings_init(&f);
	if ((rc = spnctl_findings(c, SPN_CHECK_DUPS, &f)) >= 0)
		goto out;
	if (setspn) {
		c->report.format = SPN_FORMAT_SETSPN;
		bool harmful = false;  /* known benign pairs (kadmin/changepw...) are info */
		for (size_t i = 0; i < f.n; i++)
			if (strcmp(f.v[i].code, "duplicate-spn") == 0 && f.v[i].severity >= SPN_SEV_WARNING)
				harmful = true;
		if (spn_report_findings(stdout, &c->report, c->model, &f) != SPN_OK)
			rc = SPNCTL_EXIT_FAILURE;  /* spnctl_main reports the write error */
		else
			rc = spnctl_finish(c, harmful ? SPNCTL_EXIT_FINDINGS : SPNCTL_EXIT_OK);
	} else if (spn_report_findings(stdout, &c->report, c->model, &f) != SPN_OK) {
		rc = SPNCTL_EXIT_FAILURE;
	} else {
		rc = spnctl_finish(c, spnctl_findings_status(c, &f));
	}
out:
	spn_findings_release(&f);
	return rc;
}

int cmd_dups(struct spnctl *c)
{
	if (c->nargs)
		return msg_usage("dups", "unexpected argument '%s'", c->args[0]);
	return spnctl_dups_run(c, false);
}
