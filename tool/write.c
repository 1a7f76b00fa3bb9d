/*
 * write.c - what the commands that change the directory share (add, rm,
 * reset, fix --apply, undo): binding to a DC, finding the account a user
 * named, and carrying a plan out - the undo file first, a question before
 * each change when a person is asked, each result printed as it ends.
 * The discipline of each write (re-read, one value, confirm) is libspn's
 * (spn/apply.h); this file only wires it to the command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/cmdline_word.h"
#include "base/printable.h"
#include "spn/apply.h"
#include "spn/directory.h"
#include "spn/plan.h"
#include "spn/spn.h"
#include "spn/undo.h"
#include "exit.h"
#include "msg.h"
#include "spnctl.h"

int spnctl_dir_open(struct spnctl *c, struct spn_dir **d)
{
	struct spn_err err;
	int rc = spnctl_announce(c, false);
	if (rc >= 0 || (rc = spnctl_password(c)) >= 0)
		return rc;
	spn_err_init(&err);
	if (spn_dir_open(d, &c->live, &err) != SPN_OK)
		return msg_fail("%s", err.msg);
	if (c->verbose)
		msg_note("writing to %s (%s)", spn_dir_server(*d), spn_dir_base(*d));
	return -1;
}

int spnctl_dir_find(struct spnctl *c, struct spn_dir *d, const char *name, struct spn_model **acc)
{
	struct spn_err err;
	unsigned kinds = 0;
	if (c->kinds & SPN_KINDS_COMPUTERS)
		kinds |= SPN_DIR_COMPUTER;
	if (c->kinds & SPN_KINDS_USERS)
		kinds |= SPN_DIR_USER;
	spn_err_init(&err);
	enum spn_rc rc = spn_dir_find(d, name, kinds, acc, &err);
	if (rc == SPN_INPUT)   /* no such account: setspn says so in its words */
		spn_report_no_account(stdout, &c->report, name);
	if (rc != SPN_OK)
		return msg_fail("%s", err.msg);
	return -1;
}

/* ---- Asking ---- */

/* "remove SMTPSVC/EXCH01 from Administrator (CN=...)? [y/N/q] " on
 * standard error, the answer from standard input. */
static int ask(void *ctx, const struct spn_step *s)
{
	(void)ctx;
	char line[64], spn[8 * 1024 + 1], who[8 * 1024 + 1], dn[8 * 1024 + 1];
	bool add = s->op == SPN_STEP_ADD;
	/* hidden characters shown: the person decides on what is removed */
	fprintf(stderr, "%s %s %s %s (%s)? [y/N/q] ", add ? "add" : "remove",
	        spn_visible(s->spn, spn, sizeof(spn)), add ? "to" : "from",
	        spn_visible(s->sam ? s->sam : s->dn, who, sizeof(who)),
	        spn_visible(s->dn, dn, sizeof(dn)));
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return -1;
	if (strcasecmp(line, "y\n") == 0 || strcasecmp(line, "yes\n") == 0)
		return 1;
	if (strcasecmp(line, "q\n") == 0 || strcasecmp(line, "quit\n") == 0)
		return -1;
	return 0;
}

struct run {
	struct spn_change_report *report;
	struct spnctl_wait wait;   /* --wait: the applied steps, then the wait */
};

static void done(void *ctx, const struct spn_step_result *r)
{
	struct run *x = ctx;
	spn_change_report_step(x->report, r);
	spnctl_wait_note(&x->wait, r);
}

/* ---- The undo file ---- */

/* "spnctl rm SPN ACCOUNT": the command, for the undo file's header. */
static void command_text(const struct spnctl *c, char *buf, size_t cap)
{
	size_t used = (size_t)snprintf(buf, cap, "spnctl %s", c->cmd->name);
	for (int i = 0; i < c->nargs && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, " %s", c->args[i]);
	if (c->apply && used < cap)
		snprintf(buf + used, cap - used, " --apply");
}

static int open_undo(struct spnctl *c, struct spn_dir *d, struct spn_undo **u, char *path,
                     size_t cap)
{
	struct spn_err err;
	char cmd[512];
	time_t now = time(NULL);
	if (c->undo_file) {
		snprintf(path, cap, "%s", c->undo_file);
	} else {
		struct tm tm;
		gmtime_r(&now, &tm);
		size_t n = strftime(path, cap, "spnctl-undo-%Y%m%d-%H%M%S", &tm);
		snprintf(path + n, cap - n, "-%ld.ldif", (long)getpid());
	}
	command_text(c, cmd, sizeof(cmd));
	spn_err_init(&err);
	if (spn_undo_create(u, path, spn_dir_server(d), cmd, (int64_t)now, &err) != SPN_OK)
		return msg_fail("%s: nothing was changed (--undo-file FILE writes it elsewhere)",
		                err.msg);
	return -1;
}

/* ---- Carrying a plan out ---- */

int spnctl_run_plan(struct spnctl *c, struct spn_dir *d, const struct spn_plan *p, bool asking)
{
	struct spn_undo *undo = NULL;
	struct spn_apply_summary sum;
	struct spn_err err;
	char path[1024];
	int rc, kept = 0;
	bool questions = asking && !c->yes && !c->dry_run;
	if (questions && !isatty(STDIN_FILENO))
		return msg_usage(c->cmd->name, "asks before each change, but standard input is not a "
		                 "terminal: add --yes to change without asking");
	if (!c->dry_run && (rc = open_undo(c, d, &undo, path, sizeof(path))) >= 0)
		return rc;
	struct run x;
	spnctl_wait_init(&x.wait);
	x.report = spn_change_report_begin(stdout, &c->report, spn_dir_server(d), c->dry_run);
	if (!x.report) {
		if (undo)
			spn_undo_close(undo, &kept, &err);
		return msg_fail("out of memory");
	}
	struct spn_apply_opts o = {
		.dry_run = c->dry_run,
		.keep_going = true,
		.ask = questions ? ask : NULL,
		.done = done,
		.ctx = &x,
	};
	spn_err_init(&err);
	enum spn_rc r = spn_plan_apply(d, p, undo, &o, &sum, &err);
	struct spn_err uerr;
	spn_err_init(&uerr);
	if (undo && spn_undo_close(undo, &kept, &uerr) != SPN_OK && r == SPN_OK)
		r = spn_err_set(&err, uerr.rc, "%s", uerr.msg);
	/* --wait: what was written, followed to every DC before the report ends */
	int wrc = spnctl_wait_follow(c, &x.wait, x.report);
	enum spn_rc w = spn_change_report_end(x.report, &sum, kept ? path : NULL,
	                                      r == SPN_OK ? NULL : err.msg);
	bool behind = x.wait.followed && !x.wait.follow.converged;
	spnctl_wait_release(&x.wait);
	char word[SPN_CMDLINE_WORD_MAX];
	if (c->report.format == SPN_FORMAT_SETSPN && kept)
		msg_note("undo file: %s (spnctl undo -- %s puts it back)", path,
		         spn_sh_word(path, word, sizeof(word)) ? word : "FILE");
	if (w != SPN_OK)
		return spnctl_report_failed(w);
	/* Any failure fails the run: a refused or failed step, and also one
	 * that is no step's (the undo file could not be closed, ...). */
	if (r != SPN_OK || sum.refused || sum.failed)
		return msg_fail("%s", err.msg[0] ? err.msg : "a change was not made");
	if (wrc >= 0)
		return wrc;
	return behind ? SPNCTL_EXIT_FINDINGS : SPNCTL_EXIT_OK;
}
