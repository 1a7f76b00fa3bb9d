/*
 * html_fix.c - one finding's fix as blocks to copy, for the HTML report
 * (`-o html`): setspn lines for a Windows prompt, spnctl lines for a Linux
 * shell, and the LDIF `spnctl fix -o ldif` writes for that one finding
 * (ldapmodify -f, ldifde -i -f).
 *
 * All three come from the plan spn_plan_fix() makes for the finding alone,
 * the plan `spnctl fix` carries out, so the page never advises what fix
 * would not do. A duplicate the evidence cannot settle gets its reason and
 * one set of blocks per holder ("if X runs the service"): the plan of
 * `spnctl fix --keep X`. Findings no SPN change fixes (kerberoastable,
 * privileged, ...) and the benign ones get the lines that show the SPN or
 * the account, to look before acting on the fix in words.
 *
 * A value a command line cannot carry safely (controls, anything outside
 * printable ASCII: an invisible character does not survive copy and paste)
 * gets no command line; the page says so and points to the LDIF, which
 * carries it base64.
 */
#include <stdlib.h>
#include <string.h>

#include "base/cmdline_word.h"
#include "report_int.h"
#include "spn/plan.h"

static bool fixable(const struct spn_finding *f)
{
	if (!f->spn || f->severity == SPN_SEV_INFO)
		return false;
	for (const char *const *c = spn_fix_codes; *c; c++)
		if (strcmp(*c, f->code) == 0)
			return true;
	return false;
}

/* The plan of `spnctl fix [--keep keep]` for finding f alone; p is
 * initialised here, the caller releases it. */
static enum spn_rc plan_one(const struct spn_model *m, const struct spn_finding *f,
                            const uint32_t *keep, struct spn_plan *p, struct spn_err *err)
{
	struct spn_finding copy = *f;
	struct spn_findings one;
	memset(&one, 0, sizeof(one));
	one.v = &copy;
	one.n = one.cap = 1;
	struct spn_fix_opts o = {NULL, 0, keep, keep ? 1 : 0};
	spn_plan_init(p);
	spn_err_init(err);
	return spn_plan_fix(m, &one, &o, p, err);
}

static void block_begin(FILE *f, const char *kind, const char *caption)
{
	fprintf(f, "<figure class=\"copy %s\"><figcaption>%s</figcaption><pre><code>", kind, caption);
}

static void block_end(FILE *f)
{
	fputs("</code></pre></figure>\n", f);
}

/* "<tool> <verb> SPN ACCOUNT" for each step, or false when a value cannot
 * be put on a command line. spnctl's operands follow "--": a value that
 * starts with '-' (an account named --uri=ldap://elsewhere) stays an
 * operand and never becomes an option. */
static bool step_line(char *line, size_t cap, const struct spn_step *s, bool windows)
{
	char spn[SPN_CMDLINE_WORD_MAX], acc[SPN_CMDLINE_WORD_MAX];
	const char *who = s->sam ? s->sam : s->dn;
	bool (*quote)(const char *, char *, size_t) = windows ? spn_cmd_word : spn_sh_word;
	if (!quote(s->spn, spn, sizeof(spn)) || !quote(who, acc, sizeof(acc)))
		return false;
	if (windows)
		snprintf(line, cap, "setspn %s %s %s", s->op == SPN_STEP_ADD ? "-S" : "-D", spn, acc);
	else
		snprintf(line, cap, "spnctl %s -- %s %s", s->op == SPN_STEP_ADD ? "add" : "rm", spn, acc);
	return true;
}

/* One block of command lines; returns how many steps had no line. */
static size_t commands(FILE *f, const struct spn_plan *p, bool windows)
{
	char line[2 * SPN_CMDLINE_WORD_MAX + 64];
	size_t missing = 0, shown = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		if (!step_line(line, sizeof(line), &p->steps[i], windows)) {
			missing++;
			continue;
		}
		if (shown++ == 0)
			block_begin(f, windows ? "setspn" : "spnctl",
			            windows ? "setspn, at a Windows prompt (as a Domain Admin)"
			                    : "spnctl, on Linux, against the live directory");
		html_code(f, line, strlen(line));
		fputc('\n', f);
	}
	if (shown)
		block_end(f);
	return missing;
}

static enum spn_rc ldif_block(FILE *f, const struct spn_plan *p, const char *source)
{
	/* Not spn_report_opts_init(): report.c calls this file. */
	struct spn_report_opts o = {.format = SPN_FORMAT_LDIF};
	char *text = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&text, &n);
	if (!mem)
		return SPN_NOMEM;
	enum spn_rc rc = spn_report_plan(mem, &o, p, source, false);
	if (fclose(mem) != 0 && rc == SPN_OK)
		rc = SPN_NOMEM;
	if (rc == SPN_OK) {
		block_begin(f, "ldif", "LDIF, for ldapmodify -f FILE or ldifde -i -f FILE");
		html_code(f, text, n);
		block_end(f);
	}
	free(text);
	return rc;
}

static enum spn_rc steps_blocks(FILE *f, const struct spn_plan *p, const char *source)
{
	size_t missing = commands(f, p, true);
	missing += commands(f, p, false);
	if (missing)
		fputs("<p class=\"note\">Some of these changes have no command line: a value holds "
		      "characters a command line cannot carry safely (quotes, markup, invisible or "
		      "control characters), or starts with '-' or '/', which setspn reads as a switch "
		      "however it is quoted. The LDIF carries every value exactly (base64 where "
		      "needed).</p>\n", f);
	return ldif_block(f, p, source);
}

static const char *name_of(const struct spn_account *a)
{
	return a->sam ? a->sam : a->dn;
}

/* "If X runs the service": the plan of fix --keep X, for each holder that
 * gives one. */
static enum spn_rc alternatives(FILE *f, const struct spn_model *m, const struct spn_finding *fn,
                                const char *source)
{
	enum spn_rc rc = SPN_OK;
	for (size_t i = 0; i < fn->naccounts && rc != SPN_NOMEM; i++) {
		struct spn_plan p;
		struct spn_err err;
		rc = plan_one(m, fn, &fn->accounts[i], &p, &err);
		if (rc == SPN_OK && p.nsteps) {
			fputs("<h6>If ", f);
			html_text(f, name_of(spn_model_account(m, fn->accounts[i])));
			fputs(" runs the service (spnctl fix --keep ", f);
			html_text(f, name_of(spn_model_account(m, fn->accounts[i])));
			fputs(")</h6>\n", f);
			rc = steps_blocks(f, &p, source);
		}
		spn_plan_release(&p);
	}
	return rc == SPN_NOMEM ? rc : SPN_OK;
}

/* The plan's blocks; *shown: anything was written. */
static enum spn_rc plan_blocks(FILE *f, const struct spn_model *m, const struct spn_finding *fn,
                               const char *source, bool *shown)
{
	struct spn_plan p;
	struct spn_err err;
	enum spn_rc rc = plan_one(m, fn, NULL, &p, &err);
	*shown = rc != SPN_OK || p.nsteps || p.nundecided;
	if (rc == SPN_OK && p.nsteps) {
		rc = steps_blocks(f, &p, source);
	} else if (rc == SPN_OK && p.nundecided) {
		fputs("<p class=\"undecided\"><strong>spnctl fix changes nothing here:</strong> ", f);
		html_text(f, p.undecided[0].reason);
		fputs("</p>\n", f);
		rc = alternatives(f, m, fn, source);
	} else if (rc != SPN_OK && rc != SPN_NOMEM) {
		fputs("<p class=\"note\">No plan: ", f);
		html_text(f, err.msg);
		fputs("</p>\n", f);
		rc = SPN_OK;
	}
	spn_plan_release(&p);
	return rc;
}

/* The lines that show what the finding is about. setspn -Q and spnctl
 * query read '*' as a wildcard (spnctl has no exact form), so an SPN
 * holding a literal '*' would list more than the finding: its account is
 * shown instead, and a note says why. */
static void look_blocks(FILE *f, const struct spn_model *m, const struct spn_finding *fn)
{
	char w[SPN_CMDLINE_WORD_MAX], s[SPN_CMDLINE_WORD_MAX], line[2 * SPN_CMDLINE_WORD_MAX + 64];
	const struct spn_account *a = fn->naccounts ? spn_model_account(m, fn->accounts[0]) : NULL;
	bool star = fn->spn && strchr(fn->spn, '*');
	bool by_spn = fn->spn && !star && spn_cmd_word(fn->spn, w, sizeof(w)) &&
	              spn_sh_word(fn->spn, s, sizeof(s));
	bool by_acc = !by_spn && a && spn_cmd_word(name_of(a), w, sizeof(w)) &&
	              spn_sh_word(name_of(a), s, sizeof(s));
	if (star)
		fprintf(f, "<p class=\"note\">The SPN holds a '*', which setspn -Q and spnctl query read "
		        "as a wildcard matching other SPNs too: %s.</p>\n",
		        by_acc ? "the lines below look at its account instead" : "no line looks it up");
	if (!by_spn && !by_acc)
		return;
	block_begin(f, "look", "To look at it first (setspn, then spnctl)");
	snprintf(line, sizeof(line), "setspn %s %s\nspnctl %s -- %s\n", by_spn ? "-Q" : "-L", w,
	         by_spn ? "query" : "list", s);
	html_code(f, line, strlen(line));
	block_end(f);
}

enum spn_rc html_fix(FILE *f, const struct spn_model *m, const struct spn_finding *fn,
                     const char *source)
{
	enum spn_rc rc = SPN_OK;
	bool shown = false;
	fputs("<div class=\"blocks\">\n", f);
	if (fixable(fn))
		rc = plan_blocks(f, m, fn, source, &shown);
	if (!shown)
		look_blocks(f, m, fn);
	fputs("</div>\n", f);
	return rc;
}
