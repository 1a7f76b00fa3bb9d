/*
 * cmd_snapshot.c - `spnctl snapshot -o FILE`: save what the audit reads
 * (from a live directory, or re-written from -f snapshots) as LDIF that
 * `spnctl audit -f FILE` reads back to the same findings. The file is
 * written beside its final name and renamed into place, so an interrupted
 * run never leaves half a snapshot under that name; "-o -" writes to
 * standard output. Incomplete data is written (the file says so, and the
 * reader sees its gaps again) and ends with exit status 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/filetime.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"
#include "suggest.h"

static int write_file(struct spnctl *c, const char *path)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return msg_fail("out of memory");
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		int e = errno;
		free(tmp);
		return msg_fail("cannot create '%s': %s", path, strerror(e));
	}
	enum spn_rc rc = spn_report_snapshot(f, c->model, spn_filetime_to_unix(c->report.audit_time));
	int e = errno;
	if (fclose(f) != 0 && rc == SPN_OK) {
		rc = SPN_IO;
		e = errno;
	}
	if (rc == SPN_OK && rename(tmp, path) != 0) {
		rc = SPN_IO;
		e = errno;
	}
	if (rc != SPN_OK) {
		unlink(tmp);
		free(tmp);
		return msg_fail("cannot write '%s': %s", path, strerror(e ? e : EIO));
	}
	free(tmp);
	return -1;
}

int cmd_snapshot(struct spnctl *c)
{
	int rc;
	if (c->nargs)
		return spnctl_unexpected(c);
	if (!c->output)
		return msg_usage("snapshot", "-o FILE is required (the snapshot to write, '-' for "
		                 "standard output)");
	if ((rc = spnctl_load(c)) >= 0 || (rc = spnctl_snapshot_provenance(c)) >= 0)
		return rc;
	if (strcmp(c->output, "-") == 0) {
		if (spn_report_snapshot(stdout, c->model, spn_filetime_to_unix(c->report.audit_time)) != SPN_OK)
			return SPNCTL_EXIT_FAILURE;  /* main() reports the write error */
	} else if ((rc = write_file(c, c->output)) >= 0) {
		return rc;
	}
	if (c->verbose) {
		struct spn_model_stats st;
		spn_model_stats(c->model, &st);
		msg_note("wrote %llu accounts, %llu groups, %llu SPN values to '%s'",
		         (unsigned long long)st.accounts, (unsigned long long)st.groups,
		         (unsigned long long)st.spn_values, c->output);
	}
	return spnctl_finish(c, SPNCTL_EXIT_OK);
}
