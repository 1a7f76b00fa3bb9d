/*
 * cmd_audit.c - `spnctl audit`: every check, findings grouped with what
 * breaks and the fix; `--explain CODE` shows one check's explanation.
 */
#include "exit.h"
#include "msg.h"
#include "spnctl.h"
#include "suggest.h"

static int explain(struct spnctl *c)
{
	const struct spn_check *chk = spn_check_find(c->explain);
	if (!chk)
		return msg_fail("--explain: unknown check '%s'; 'spnctl checks' lists them", c->explain);
	if (spn_report_checks(stdout, &c->report, &chk, 1, true) != SPN_OK)
		return SPNCTL_EXIT_FAILURE;
	return SPNCTL_EXIT_OK;
}

int cmd_audit(struct spnctl *c)
{
	struct spn_findings f;
	int rc;
	if (c->nargs)
		return spnctl_unexpected(c);
	if (c->explain)
		return explain(c);
	if ((rc = spnctl_load(c)) >= 0)
		return rc;
	spn_findings_init(&f);
	rc = spnctl_findings(c, 0, &f);
	if (rc < 0) {
		if (spn_report_findings(stdout, &c->report, c->model, &f) != SPN_OK)
			rc = SPNCTL_EXIT_FAILURE;
		else
			rc = spnctl_finish(c, spnctl_findings_status(c, &f));
	}
	spn_findings_release(&f);
	return rc;
}
