/*
 * load.c - building the model a command reads: from LDIF snapshots (-f,
 * one file per domain) or from a live directory (spn_live_load with the
 * connection options; with none, ldap.conf and the Kerberos ticket decide,
 * as for ldapsearch). Also the -T scope for snapshots (spn_scope), and
 * how a command ends: incomplete data with exit status 2, a report that
 * could not be written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spn/source.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

unsigned spnctl_threads(void)
{
	/* SPNCTL_THREADS=N: threads reading a snapshot, building the SPN index
	 * and running the checks (1: single-threaded, for tests and
	 * comparisons); unset or 0: one per online CPU. */
	const char *env = getenv("SPNCTL_THREADS");
	return env && *env >= '0' && *env <= '9' ? (unsigned)strtoul(env, NULL, 10) : 0;
}

static int load_snapshots(struct spnctl *c, struct spn_err *err)
{
	unsigned threads = spnctl_threads();
	for (size_t i = 0; i < c->nfiles; i++) {
		if (c->verbose)
			msg_note("reading '%s'", c->files[i]);
		if (spn_ldif_read_file_threads(c->model, c->files[i], threads, err) != SPN_OK)
			return msg_fail("%s", err->msg);
	}
	return -1;
}

int spnctl_announce(struct spnctl *c, bool reading)
{
	struct spn_err err;
	const char *given = reading ? "no -f, -H or -d given" : "no -H or -d given";
	if (spn_live_names_directory(&c->live))
		return -1;
	spn_err_init(&err);
	if (spn_live_where(&c->where, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	if (c->where.uri[0]) {
		msg_note("%s: %s the directory at %s (%s)", given, reading ? "reading" : "using",
		         c->where.uri, c->where.why);
		return -1;
	}
	msg_note("%s and no URI in ldap.conf: %s the directory of %s, %s, through its DCs' SRV "
	         "records", given, reading ? "reading" : "using", c->where.domain, c->where.why);
	c->live.domain = c->where.domain;
	return -1;
}

static int load_live(struct spnctl *c, struct spn_err *err)
{
	int rc = spnctl_announce(c, true);
	if (rc >= 0 || (rc = spnctl_password(c)) >= 0)
		return rc;
	if (c->cmd->flags & CMD_ACCOUNTS) {
		c->live.accounts = (const char *const *)c->args;
		c->live.naccounts = (size_t)c->nargs;
	}
	if (c->cmd->flags & CMD_PATTERNS) {
		c->live.spn_patterns = (const char *const *)c->args;
		c->live.npatterns = (size_t)c->nargs;
	}
	c->live.verbose = c->verbose;
	/* Progress only for a person watching: never into pipes, files or JSON. */
	if (!c->no_progress && c->report.format != SPN_FORMAT_JSON && isatty(STDERR_FILENO))
		c->live.progress = stderr;
	if (c->all_dcs) {   /* the password stays: provenance reads each DC again */
		spn_model_free(c->model);
		c->model = NULL;
		rc = spnctl_load_dcs(c, &c->model);
		for (size_t i = 0; c->model && i < spn_model_nsources(c->model); i++)
			spn_model_source_time(c->model, i, SPN_TIME_READ, c->report.audit_time);
		return rc;
	}
	size_t first = spn_model_nsources(c->model);
	enum spn_rc r = spn_live_load(c->model, &c->live, err);
	/* Read now: as of this run's time (SOURCE_DATE_EPOCH pins it). */
	for (size_t i = first; i < spn_model_nsources(c->model); i++)
		spn_model_source_time(c->model, i, SPN_TIME_READ, c->report.audit_time);
	if (c->password && !c->provenance) {
		explicit_bzero(c->password, strlen(c->password));
		c->live.password = NULL;
	}
	if (r == SPN_INCOMPLETE) {
		snprintf(c->incomplete, sizeof(c->incomplete), "%s", err->msg);
		return -1;
	}
	if (r != SPN_OK)
		return msg_fail("%s", err->msg);
	return -1;
}

int spnctl_check_whole(const struct spnctl *c, const struct spn_model *m)
{
	struct spn_err err;
	spn_err_init(&err);
	if (c->allow_empty || !spn_model_complete(m) || spn_model_check_whole(m, &err) == SPN_OK)
		return -1;
	return msg_fail("%s: not a whole domain (a broken or partial export?); --allow-empty reads "
	                "it anyway", err.msg);
}

int spnctl_load(struct spnctl *c)
{
	struct spn_err err;
	int rc;

	if (c->nfiles && c->live_option[0])
		return msg_usage(NULL, "%s reads a live directory and -f a snapshot; give one or the other",
		                 c->live_option);
	c->model = spn_model_new((c->cmd->flags & CMD_KEEP_ALL) ? SPN_MODEL_KEEP_ALL : 0);
	if (!c->model)
		return msg_fail("out of memory");
	spn_model_set_threads(c->model, spnctl_threads());
	spn_err_init(&err);
	rc = c->nfiles ? load_snapshots(c, &err) : load_live(c, &err);
	if (rc >= 0)
		return rc;
	spn_err_init(&err);
	if (spn_model_finish(c->model, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	/* Snapshots must be whole domains; a live read says itself what it
	 * could not read (and may be narrowed on purpose: accounts, patterns,
	 * -b, ldap.conf's BASE). */
	if (c->nfiles && (rc = spnctl_check_whole(c, c->model)) >= 0)
		return rc;
	if (!spn_model_complete(c->model) && !c->incomplete[0]) {
		size_t n = spn_model_ngaps(c->model);
		if (n > 1)
			snprintf(c->incomplete, sizeof(c->incomplete), "%s (and %zu more)",
			         spn_model_gap(c->model, 0), n - 1);
		else
			snprintf(c->incomplete, sizeof(c->incomplete), "%s",
			         n ? spn_model_gap(c->model, 0) : "the source reported missing data");
	}
	/* -T with snapshots: the accounts of those domains (live, -T chose
	 * what was read). */
	if (c->nfiles && spn_scope_init(&c->scope, c->model, c->targets, c->ntargets, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	c->report.scope = &c->scope;
	if (c->verbose) {
		struct spn_model_stats st;
		spn_model_stats(c->model, &st);
		msg_note("read %llu %s: %llu %s (%llu kept), %llu SPN %s, %llu %s",
		         (unsigned long long)st.entries, st.entries == 1 ? "entry" : "entries",
		         (unsigned long long)st.accounts_seen, st.accounts_seen == 1 ? "account" : "accounts",
		         (unsigned long long)st.accounts, (unsigned long long)st.spn_values,
		         st.spn_values == 1 ? "value" : "values", (unsigned long long)st.domains,
		         st.domains == 1 ? "domain" : "domains");
	}
	return -1;
}

/* "class/host*" for spn (other ports, instances and service parts of the
 * same service), or NULL for a name without '/'. */
static char *service_pattern(const char *spn)
{
	const char *slash = strchr(spn, '/');
	if (!slash)
		return NULL;
	size_t host = strcspn(slash + 1, ":/");
	char *p = malloc((size_t)(slash - spn) + host + 3);
	if (p)
		sprintf(p, "%.*s/%.*s*", (int)(slash - spn), spn, (int)host, slash + 1);
	return p;
}

/* The first label of spn's host ("web01" of HTTP/web01.corp.example:80):
 * the computer named like it may own the name. NULL when there is none. */
static char *host_label(const char *spn)
{
	const char *slash = strchr(spn, '/');
	if (!slash)
		return NULL;
	size_t n = strcspn(slash + 1, ".:/");
	for (size_t i = 0; i < n; i++) {
		char ch = slash[1 + i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_'))
			return NULL;
	}
	return n ? strndup(slash + 1, n) : NULL;
}

int spnctl_load_spns(struct spnctl *c, const char *const *spns, size_t n,
                     const char *const *accounts, size_t naccounts)
{
	if (c->nfiles)
		return spnctl_load(c);
	size_t np = 0, na = 0;
	char **pats = calloc(2 * n + 1, sizeof(*pats));
	char **accs = calloc(n + naccounts + 1, sizeof(*accs));
	int rc = -1;
	if (!pats || !accs) {
		rc = msg_fail("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(pats[np++] = strdup(spns[i]))) {
			rc = msg_fail("out of memory");
			goto out;
		}
		char *p = service_pattern(spns[i]);
		if (p)
			pats[np++] = p;
		char *l = host_label(spns[i]);
		if (l)
			accs[na++] = l;
	}
	for (size_t i = 0; i < naccounts; i++)
		if (!(accs[na++] = strdup(accounts[i]))) {
			rc = msg_fail("out of memory");
			goto out;
		}
	c->live.spn_patterns = (const char *const *)pats;
	c->live.npatterns = np;
	c->live.accounts = (const char *const *)accs;
	c->live.naccounts = na;
	rc = spnctl_load(c);
	c->live.spn_patterns = c->live.accounts = NULL;
	c->live.npatterns = c->live.naccounts = 0;
out:
	for (size_t i = 0; pats && i < np; i++)
		free(pats[i]);
	for (size_t i = 0; accs && i < na; i++)
		free(accs[i]);
	free(pats);
	free(accs);
	return rc;
}

int spnctl_finish(struct spnctl *c, int status)
{
	if (c->incomplete[0])
		return msg_fail("incomplete data, so this is not a clean bill: %s", c->incomplete);
	return status;
}

int spnctl_output_error(void)
{
	return msg_fail("cannot write to standard output: %s", strerror(errno ? errno : EIO));
}

int spnctl_report_failed(enum spn_rc rc)
{
	if (rc == SPN_NOMEM)
		return msg_fail("out of memory");
	return SPNCTL_EXIT_FAILURE;  /* SPN_IO: main() reports the write error */
}
