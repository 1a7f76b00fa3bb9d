/*
 * accept_file.c - today's findings as an accept file (spn/accept.h), to
 * start a baseline from (`spnctl audit --write-accept FILE`): one finding
 * id a line, with the code, the severity and the SPN or account as a
 * comment, so a person can read what each line accepts and delete the
 * lines of findings that are not accepted.
 */
#include <inttypes.h>
#include <string.h>

#include "base/filetime.h"
#include "base/printable.h"
#include "report_int.h"

enum spn_rc spn_report_accept(FILE *out, const struct spn_report_opts *o,
                              const struct spn_model *m, const struct spn_findings *fs)
{
	char iso[32] = "";
	if (o && o->audit_time)
		spn_time_format_iso(spn_filetime_to_unix(o->audit_time), iso, sizeof(iso));
	fprintf(out, "# spnctl accepted findings: read with 'spnctl audit --accept FILE'.\n"
	        "# One finding id a line (or 'CODE SPN'); '#' starts a comment. Delete the\n"
	        "# lines of findings that are not accepted: those must still fail an audit.\n");
	fprintf(out, "# Written by spnctl %s%s%s from", o && o->version ? o->version : "",
	        iso[0] ? " on " : "", iso);
	for (size_t i = 0; i < spn_model_nsources(m); i++)
		fprintf(out, "%s %s", i ? "," : "", spn_model_source(m, i)->name);
	fprintf(out, ": %zu finding%s.\n", fs->n, fs->n == 1 ? "" : "s");
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *f = &fs->v[i];
		char id[SPN_FINDING_ID_LEN + 1];
		if (!spn_finding_id(m, f, id))
			return SPN_NOMEM;
		fprintf(out, "%s  # %s %s ", id, spn_severity_name(f->severity), f->code);
		const char *dn = f->naccounts ? spn_model_account(m, f->accounts[0])->dn : NULL;
		if (f->spn)
			text_visible(out, f->spn);
		else if (dn)
			spn_printable_write(out, dn, strlen(dn));  /* DNs have spaces: only controls escaped */
		fputc('\n', out);
	}
	return report_status(out);
}
