/*
 * report_shared.c - what every format's writer shares, kept out of
 * report.c (which picks the writer) so the writers and their dispatcher
 * do not call each other round: the write-error check every writer ends
 * with, the runs of findings the text and HTML reports group, and the
 * prefetch the findings writers run ahead of themselves.
 */
#include <string.h>

#include "report_int.h"

enum spn_rc report_status(FILE *f)
{
	return ferror(f) ? SPN_IO : SPN_OK;
}

size_t report_run_length(const struct spn_findings *fs, size_t i, bool same_code, size_t *end)
{
	size_t j = i, n = 0;
	for (; j < fs->n && fs->v[j].severity == fs->v[i].severity &&
	       (!same_code || strcmp(fs->v[j].code, fs->v[i].code) == 0); j++)
		n += !fs->v[j].accepted;
	*end = j;
	return n;
}

bool report_spellings_differ(const struct spn_model *m, const struct spn_finding *f)
{
	for (size_t j = 0; f->values && f->spn && j < f->naccounts; j++)
		if (f->values[j] != SPN_NONE && strcmp(spn_model_value(m, f->values[j])->str, f->spn) != 0)
			return true;
	return false;
}

void report_prefetch(const struct spn_model *m, const struct spn_findings *fs, size_t i)
{
	/* Three stages, each far enough ahead for the memory to answer before
	 * the next stage (or the writer) reads what it asked for: the
	 * finding's own strings and account list, then its accounts' records,
	 * then their names. */
	if (i + 8 < fs->n) {
		const struct spn_finding *f = &fs->v[i + 8];
		__builtin_prefetch(f->message);
		if (f->spn)
			__builtin_prefetch(f->spn);
		if (f->naccounts)
			__builtin_prefetch(f->accounts);
	}
	if (i + 4 < fs->n) {
		const struct spn_finding *f = &fs->v[i + 4];
		for (size_t j = 0; j < f->naccounts && j < 4; j++)
			__builtin_prefetch(spn_model_account(m, f->accounts[j]));
	}
	if (i + 2 < fs->n) {
		const struct spn_finding *f = &fs->v[i + 2];
		for (size_t j = 0; j < f->naccounts && j < 4; j++) {
			const struct spn_account *a = spn_model_account(m, f->accounts[j]);
			__builtin_prefetch(a->dn);
			if (a->sam)
				__builtin_prefetch(a->sam);
			if (a->upn)
				__builtin_prefetch(a->upn);
		}
	}
}
