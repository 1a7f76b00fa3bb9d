/*
 * diff_mark.c - `spnctl diff` says which added SPN makes a problem: a
 * change is marked with the worst finding of the dups checks, run on the
 * NEW snapshot, that holds the SPN on an account it went to (spelled as
 * that account stores it: a case variant or a look-alike counts).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/diff.h"
#include "check_int.h"

/* Does key(s) equal k[0..kn)? */
static bool same_key(const char *s, const char *k, size_t kn, bool *nomem)
{
	size_t sn;
	char *sk = spn_check_key(s, &sn);
	*nomem |= !sk;
	bool eq = sk && sn == kn && memcmp(sk, k, kn) == 0;
	free(sk);
	return eq;
}

static bool went_to(const struct spn_change *ch, const char *dn)
{
	for (size_t i = 0; i < ch->nto; i++)
		if (strcasecmp(ch->to[i], dn) == 0)
			return true;
	return false;
}

/* Does finding f hold the change's SPN (key k) on an account it went to? */
static bool concerns(const struct spn_model *m, const struct spn_finding *f,
                     const struct spn_change *ch, const char *k, size_t kn, bool *nomem)
{
	for (size_t j = 0; j < f->naccounts; j++) {
		if (!went_to(ch, spn_model_account(m, f->accounts[j])->dn))
			continue;
		const char *spelled = f->values && f->values[j] != SPN_NONE
		                      ? spn_model_value(m, f->values[j])->str : f->spn;
		if (spelled && same_key(spelled, k, kn, nomem))
			return true;
	}
	return false;
}

enum spn_rc spn_changes_mark(struct spn_changes *c, const struct spn_model *m,
                             const struct spn_findings *f)
{
	bool nomem = false;
	c->creating = 0;
	for (size_t i = 0; i < c->n && !nomem; i++) {
		struct spn_change *ch = &c->v[i];
		if (!ch->nto)
			continue;
		size_t kn;
		char *k = spn_check_key(ch->spn, &kn);
		if (!k)
			return SPN_NOMEM;
		for (size_t x = 0; x < f->n && !ch->creates && !nomem; x++) {
			const struct spn_finding *fd = &f->v[x];
			char id[SPN_FINDING_ID_LEN + 1];
			if (fd->severity < SPN_SEV_WARNING || !concerns(m, fd, ch, k, kn, &nomem))
				continue;
			if (!spn_finding_id(m, fd, id) ||
			    !(ch->creates_id = spn_arena_strndup(&c->arena, id, strlen(id)))) {
				nomem = true;
				break;
			}
			ch->creates = fd->code;
			ch->creates_severity = (int)fd->severity;
			c->creating++;
		}
		free(k);
	}
	return nomem ? SPN_NOMEM : SPN_OK;
}
