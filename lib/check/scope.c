/*
 * scope.c - keeping the findings inside -T's scope: those that concern an
 * account of the scope's domains, or no account at all (forest-wide
 * settings such as dSHeuristics).
 */
#include "spn/check.h"

void spn_findings_keep_scope(struct spn_findings *f, const struct spn_model *m,
                             const struct spn_scope *s)
{
	size_t keep = 0;
	if (!s || s->n == 0)
		return;
	for (size_t i = 0; i < f->n; i++) {
		bool in = f->v[i].naccounts == 0;
		for (size_t j = 0; j < f->v[i].naccounts && !in; j++)
			in = spn_scope_has(s, m, f->v[i].accounts[j]);
		if (in)
			f->v[keep++] = f->v[i];
	}
	f->n = keep;
}
