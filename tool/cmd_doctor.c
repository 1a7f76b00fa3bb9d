/*
 * cmd_doctor.c - `spnctl doctor TARGET`: why Kerberos to a service fails,
 * on one screen (spn/doctor.h). TARGET is a URL (http://, https://,
 * mssql://host[:port], mssql://host/INSTANCE, smtp://, cifs://, ldap://) or
 * an SPN. DNS and the KDC are asked first (the KDC with the ticket
 * cache; when it cannot be asked at all, one line, exit 2), then the
 * directory for the SPNs clients ask for and the --via front end.
 * Exit 0 when the service's main SPN gets a ticket the service can use
 * (and --via may delegate to exactly one account), 1 when not, 2 when the
 * KDC or the directory could not be asked.
 */
#include "spn/doctor.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int cmd_doctor(struct spnctl *c)
{
	struct spn_doctor d;
	struct spn_err err;
	const char *spns[SPN_TARGET_MAX_SPNS];
	size_t asked;
	int rc;
	if (c->nargs == 0)
		return msg_usage("doctor", "no TARGET given (a URL such as http://web01 or an SPN)");
	if (c->nargs > 1)
		return msg_usage("doctor", "one TARGET at a time ('%s' and '%s' given)", c->args[0],
		                 c->args[1]);
	spn_doctor_init(&d);
	spn_err_init(&err);
	enum spn_rc r = spn_doctor_prepare(&d, c->args[0], &err);
	if (r == SPN_OK)
		r = spn_doctor_ask(&d, c->keytab, &asked, &err);
	if (r != SPN_OK) {
		rc = r == SPN_USAGE ? msg_usage("doctor", "%s", err.msg) : msg_fail("%s", err.msg);
		goto out;
	}
	if (asked == 0) {
		rc = msg_fail("%s", d.probes[0].summary ? d.probes[0].summary : "could not ask the KDC");
		goto out;
	}
	for (size_t i = 0; i < d.der.n; i++)
		spns[i] = d.der.v[i].spn;
	if ((rc = spnctl_load_spns(c, spns, d.der.n, c->via ? &c->via : NULL, c->via ? 1 : 0)) >= 0)
		goto out;
	spn_err_init(&err);
	r = spn_doctor_finish(&d, c->model, c->via, &err);
	if (r != SPN_OK) {
		rc = r == SPN_USAGE ? msg_usage("doctor", "%s", err.msg) : msg_fail("%s", err.msg);
		goto out;
	}
	if ((r = spn_report_doctor(stdout, &c->report, c->model, &d)) != SPN_OK) {
		rc = spnctl_report_failed(r);
		goto out;
	}
	rc = spn_doctor_status(&d);
	if (rc < SPNCTL_EXIT_FAILURE)
		rc = spnctl_finish(c, rc);
out:
	spn_doctor_release(&d);
	return rc;
}
