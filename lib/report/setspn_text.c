/*
 * setspn_text.c - setspn.exe's own wording, for scripts written against it
 * (`spnctl -L/-Q/-X`, and the binary invoked as `setspn`).
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
 * setspn's "Processing entry N" progress lines are not printed (as with
 * setspn -P): they carry no result.
 */
#include <string.h>

#include "report_int.h"

const char *spn_setspn_domain_dn(const char *domain, char *buf, size_t cap)
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

/* The domains a setspn answer speaks for. */
static size_t scope_domains(const struct spn_model *m, const struct spn_setspn_scope *s,
                            size_t i, const char **out)
{
	if (s && s->domains) {
		if (i >= s->ndomains)
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
static const char *forest_root(const struct spn_model *m, const struct spn_setspn_scope *s)
{
	const char *best = NULL, *d;
	for (size_t i = 0; scope_domains(m, s, i, &d); i++)
		if (!best || labels(d) < labels(best))
			best = d;
	return best;
}

static void checking(FILE *out, const char *domain, bool forest)
{
	char dn[1024];
	fprintf(out, "Checking %s %s\n", forest ? "forest" : "domain",
	        spn_setspn_domain_dn(domain ? domain : "", dn, sizeof(dn)));
	if (forest)
		fputs("Operation will be performed forestwide, it might take a while.\n", out);
}

static void holder(FILE *out, const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	fprintf(out, "%s\n", a->dn);
	for (uint32_t k = 0; k < a->nspn; k++)
		fprintf(out, "\t%s\n", spn_model_value(m, a->spn_first + k)->str);
}

enum spn_rc spn_setspn_list(FILE *out, const struct spn_model *m, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct spn_account *a = spn_model_account(m, ids[i]);
		fprintf(out, "Registered ServicePrincipalNames for %s:\n", a->dn);
		for (uint32_t k = 0; k < a->nspn; k++)
			fprintf(out, "\t%s\n", spn_model_value(m, a->spn_first + k)->str);
	}
	return report_status(out);
}

enum spn_rc spn_setspn_query(FILE *out, const struct spn_model *m, const struct spn_setspn_scope *s,
                             const uint32_t *ids, size_t n)
{
	const char *d;
	if (s && s->forest) {
		checking(out, forest_root(m, s), true);
		for (size_t i = 0; i < n; i++)
			holder(out, m, ids[i]);
	} else {
		for (size_t j = 0; scope_domains(m, s, j, &d); j++) {
			checking(out, d, false);
			for (size_t i = 0; i < n; i++)
				if (strcmp(spn_model_account(m, ids[i])->domain, d) == 0)
					holder(out, m, ids[i]);
		}
	}
	fprintf(out, "\n%s\n", n ? "Existing SPN found!" : "No such SPN found.");
	return report_status(out);
}

enum spn_rc spn_setspn_dups(FILE *out, const struct spn_model *m, const struct spn_setspn_scope *s,
                            const struct spn_findings *fs, size_t *ngroups)
{
	const char *d;
	size_t groups = 0;
	if (s && s->forest) {
		checking(out, forest_root(m, s), true);
	} else {
		for (size_t j = 0; scope_domains(m, s, j, &d); j++)
			checking(out, d, false);
	}
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *f = &fs->v[i];
		if (strcmp(f->code, "duplicate-spn") != 0 || !f->spn)
			continue;
		fprintf(out, "%s is registered on these accounts:\n", f->spn);
		for (size_t j = 0; j < f->naccounts; j++)
			fprintf(out, "\t%s\n", spn_model_account(m, f->accounts[j])->dn);
		fputc('\n', out);
		groups++;
	}
	if (groups == 0)
		fputc('\n', out);
	fprintf(out, "found %zu group of duplicate SPNs.\n", groups);
	if (ngroups)
		*ngroups = groups;
	return report_status(out);
}
