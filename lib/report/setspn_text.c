/*
 * setspn_text.c - the setspn format: setspn.exe's own wording, for scripts
 * written against it (`-o setspn` of list, query and dups, which is what
 * `spnctl -L/-Q/-X` and the binary invoked as `setspn` run).
 *
 * The lines are setspn's, byte for byte where scripts compare them:
 *   -L  "Registered ServicePrincipalNames for <DN>:" + "\t<SPN>" lines
 *   -Q  "Checking domain DC=..." (or "Checking forest DC=..." and
 *       "Operation will be performed forestwide, it might take a while."),
 *       each holder's DN + "\t<SPN>" lines, "", then "Existing SPN found!"
 *       or "No such SPN found."
 *   -X  the same "Checking ..." lines, per group "<SPN> is registered on
 *       these accounts:" + "\t<DN>" lines + "", then "found N group of
 *       duplicate SPNs." - lower-case "found" and singular "group" as the
 *       real tool prints them (scripts compare "found 0 group of duplicate
 *       SPNs." literally).
 *   -S/-A/-D/-R (changes): "Registering ServicePrincipalNames for <DN>"
 *       (or "Unregistering ... for") + "\t<SPN>" + "Updated object"; an add
 *       the pre-check refuses: the "Checking ..." lines, each holder's DN +
 *       "\t<SPN>", "", "Duplicate SPN found, aborting operation!"
 * setspn's "Processing entry N" progress lines are not printed (as with
 * setspn -P): they carry no result.
 */
#include <stdlib.h>
#include <string.h>

#include "base/printable.h"
#include "report_int.h"
#include "spn/apply.h"
#include "spn/precheck.h"

const char *setspn_domain_dn(const char *domain, char *buf, size_t cap)
{
	size_t o = 0;
	const char *p = domain;
	buf[0] = '\0';
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		int w = snprintf(buf + o, cap - o, "%sDC=%.*s", o ? "," : "", (int)n, p);
		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
		p += n;
		if (*p == '.')
			p++;
	}
	return buf;
}

static size_t labels(const char *d)
{
	size_t n = 1;
	for (; *d; d++)
		n += *d == '.';
	return n;
}

/* The domains a setspn answer speaks for: the scope's, else the model's. */
static size_t scope_domains(const struct spn_model *m, const struct spn_report_opts *o,
                            size_t i, const char **out)
{
	const struct spn_scope *s = o->scope;
	if (s && s->n) {
		if (i >= s->n)
			return 0;
		*out = s->domains[i];
		return 1;
	}
	if (i >= spn_model_ndomains(m))
		return 0;
	*out = spn_model_domain(m, i);
	return 1;
}

/* The forest root among the domains in scope: fewest labels, then first. */
static const char *forest_root(const struct spn_model *m, const struct spn_report_opts *o)
{
	const char *best = NULL, *d;
	for (size_t i = 0; scope_domains(m, o, i, &d); i++)
		if (!best || labels(d) < labels(best))
			best = d;
	return best;
}

static void checking(FILE *out, const char *domain, bool forest)
{
	char dn[1024];
	fprintf(out, "Checking %s %s\n", forest ? "forest" : "domain",
	        spn_printable(setspn_domain_dn(domain ? domain : "", dn, sizeof(dn))));
	if (forest)
		fputs("Operation will be performed forestwide, it might take a while.\n", out);
}

static void holder(FILE *out, const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	fprintf(out, "%s\n", spn_printable(a->dn));
	for (uint32_t k = 0; k < a->nspn; k++)
		fprintf(out, "\t%s\n", spn_printable(spn_model_value(m, a->spn_first + k)->str));
}

/* -X: the "Checking domain DC=..." lines, or setspn -F's forest line. */
void setspn_checking_lines(FILE *out, const struct spn_model *m, const struct spn_report_opts *o)
{
	const char *d;
	if (o->forest) {
		checking(out, forest_root(m, o), true);
		return;
	}
	for (size_t j = 0; scope_domains(m, o, j, &d); j++)
		checking(out, d, false);
}

enum spn_rc spn_report_accounts_setspn(FILE *out, const struct spn_model *m,
                                       const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct spn_account *a = spn_model_account(m, ids[i]);
		fprintf(out, "Registered ServicePrincipalNames for %s:\n", spn_printable(a->dn));
		for (uint32_t k = 0; k < a->nspn; k++)
			fprintf(out, "\t%s\n", spn_printable(spn_model_value(m, a->spn_first + k)->str));
	}
	return report_status(out);
}

/* The holders of the matches, each once, in order of first match; *ids is
 * allocated. */
static enum spn_rc query_holders(const struct spn_model *m, const struct spn_query_result *q,
                                 size_t nq, uint32_t **ids, size_t *n)
{
	size_t na = spn_model_naccounts(m), total = 0;
	for (size_t i = 0; i < nq; i++)
		for (size_t g = 0; g < q[i].ngroups; g++)
			total += q[i].groups[g].nvalues;
	size_t cap = total < na ? total : na;  /* holders are accounts, each once */
	unsigned char *seen = calloc(na / 8 + 1, 1);
	*ids = malloc((cap ? cap : 1) * sizeof(**ids));
	*n = 0;
	if (!seen || !*ids) {
		free(seen);
		free(*ids);
		return SPN_NOMEM;
	}
	for (size_t i = 0; i < nq; i++)
		for (size_t g = 0; g < q[i].ngroups; g++)
			for (size_t k = 0; k < q[i].groups[g].nvalues; k++) {
				uint32_t a = spn_model_value(m, q[i].groups[g].values[k])->account;
				if (seen[a / 8] & (1u << (a % 8)))
					continue;
				seen[a / 8] |= (unsigned char)(1u << (a % 8));
				(*ids)[(*n)++] = a;
			}
	free(seen);
	return SPN_OK;
}

enum spn_rc spn_report_no_account_setspn(FILE *out, const char *name)
{
	/* setspn.exe's words for a name DsCrackNames finds nothing for. */
	fprintf(out, "Could not find account %s\n", name);
	return report_status(out);
}

enum spn_rc spn_report_query_setspn(FILE *out, const struct spn_report_opts *o,
                                    const struct spn_model *m, const struct spn_query_result *q,
                                    size_t nq)
{
	uint32_t *ids;
	size_t n;
	const char *d;
	if (query_holders(m, q, nq, &ids, &n) != SPN_OK)
		return SPN_NOMEM;
	if (o->forest) {
		checking(out, forest_root(m, o), true);
		for (size_t i = 0; i < n; i++)
			holder(out, m, ids[i]);
	} else {
		for (size_t j = 0; scope_domains(m, o, j, &d); j++) {
			checking(out, d, false);
			for (size_t i = 0; i < n; i++)
				if (strcmp(spn_model_account(m, ids[i])->domain, d) == 0)
					holder(out, m, ids[i]);
		}
	}
	fprintf(out, "\n%s\n", n ? "Existing SPN found!" : "No such SPN found.");
	free(ids);
	return report_status(out);
}

bool setspn_shows(const struct spn_finding *f)
{
	return strcmp(f->code, "duplicate-spn") == 0 && f->spn;
}

enum spn_rc spn_report_findings_setspn(FILE *out, const struct spn_report_opts *o,
                                       const struct spn_model *m, const struct spn_findings *fs)
{
	size_t groups = 0;
	setspn_checking_lines(out, m, o);
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *f = &fs->v[i];
		if (!setspn_shows(f))
			continue;
		fprintf(out, "%s is registered on these accounts:\n", spn_printable(f->spn));
		for (size_t j = 0; j < f->naccounts; j++)
			fprintf(out, "\t%s\n", spn_printable(spn_model_account(m, f->accounts[j])->dn));
		fputc('\n', out);
		groups++;
	}
	if (groups == 0)
		fputc('\n', out);
	fprintf(out, "found %zu group of duplicate SPNs.\n", groups);
	return report_status(out);
}

/* ---- Changes (-S, -A, -D, -R) ---- */

void setspn_step(FILE *f, const struct spn_step_result *x)
{
	const struct spn_step *s = x->step;
	if (x->state == SPN_STEP_APPLIED || x->state == SPN_STEP_WOULD) {
		fprintf(f, "%s ServicePrincipalNames for %s\n\t%s\n",
		        s->op == SPN_STEP_ADD ? "Registering" : "Unregistering", spn_printable(s->dn),
		        spn_printable(x->stored ? x->stored : s->spn));
		fputs(x->state == SPN_STEP_APPLIED ? "Updated object\n" : "(dry run: not updated)\n", f);
	} else if (x->state == SPN_STEP_UNCHANGED && s->op == SPN_STEP_ADD) {
		fputs("Duplicate SPN found, aborting operation!\n", f);
	} else if (x->message) {
		fprintf(f, "%s\n", spn_printable(x->message));
	}
}

void setspn_conflicts(FILE *out, const struct spn_report_opts *o, const struct spn_model *m,
                      const struct spn_precheck *p)
{
	setspn_checking_lines(out, m, o);
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].account == SPN_NONE)
			continue;
		fprintf(out, "%s\n\t%s\n", spn_printable(spn_model_account(m, p->v[i].account)->dn),
		        spn_printable(p->v[i].value));
	}
	fputs("\nDuplicate SPN found, aborting operation!\n", out);
}
