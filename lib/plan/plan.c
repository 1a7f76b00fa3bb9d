/*
 * plan.c - a plan of SPN changes, and the one `spnctl fix` makes from the
 * audit's findings (spn/plan.h).
 *
 * Which copy of a duplicate goes is decided by the evidence rule
 * (spn/owner.h), the same rule the duplicate-spn check's "Fix:" text uses.
 * What fix acts on:
 *  - duplicate-spn: every holder but the one the evidence picks loses its
 *    copy (each copy as that account stores it, case and all);
 *  - lookalike-spn: the same, over the spellings that read alike; a winner
 *    that holds only a spelling with hidden characters settles nothing;
 *  - alias-conflict: the explicit alias SPN (cifs/x on B while HOST/x is on
 *    computer A) goes when the evidence says A runs the service; when it
 *    says B does (an IIS application pool, say) nothing is removed and the
 *    conflict is listed as undecided with what breaks.
 * Benign findings (info) are left alone. A wrong removal is worse than none:
 * when the evidence is even, the finding is undecided and nothing of it is
 * removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/owner.h"
#include "spn/plan.h"
#include "spn/spn.h"

/* The name setspn takes for an account: sAMAccountName, else the DN. */
static const char *acc_name(const struct spn_account *a)
{
	return a->sam ? a->sam : a->dn;
}

const char *const spn_fix_codes[] = {"alias-conflict", "duplicate-spn", "lookalike-spn", NULL};

const char *spn_step_op_name(enum spn_step_op op)
{
	return op == SPN_STEP_ADD ? "add" : "delete";
}

void spn_plan_init(struct spn_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->complete = true;
	spn_arena_init(&p->arena);
}

void spn_plan_release(struct spn_plan *p)
{
	free(p->steps);
	free(p->undecided);
	spn_arena_release(&p->arena);
	memset(p, 0, sizeof(*p));
}

static const char *copy(struct spn_plan *p, const char *s)
{
	return s ? spn_arena_strndup(&p->arena, s, strlen(s)) : NULL;
}

enum spn_rc spn_plan_add_step(struct spn_plan *p, enum spn_step_op op, const char *spn,
                              const char *dn, const char *sam, const char *finding,
                              const char *reason, struct spn_err *err)
{
	for (size_t i = 0; i < p->nsteps; i++)
		if (p->steps[i].op == op && strcmp(p->steps[i].spn, spn) == 0 &&
		    strcasecmp(p->steps[i].dn, dn) == 0)
			return SPN_OK;
	if (p->nsteps == p->capsteps) {
		size_t cap = p->capsteps ? p->capsteps * 2 : 16;
		struct spn_step *v = realloc(p->steps, cap * sizeof(*v));
		if (!v)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		p->steps = v;
		p->capsteps = cap;
	}
	struct spn_step s = {op, copy(p, spn), copy(p, dn), copy(p, sam), copy(p, finding),
	                     copy(p, reason)};
	if (!s.spn || !s.dn || (sam && !s.sam) || (finding && !s.finding) || (reason && !s.reason))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	p->steps[p->nsteps++] = s;
	return SPN_OK;
}

static enum spn_rc add_undecided(struct spn_plan *p, const struct spn_model *m, const char *spn,
                                 const char *finding, const struct spn_owner *o,
                                 const char *reason, struct spn_err *err)
{
	if (p->nundecided == p->capundecided) {
		size_t cap = p->capundecided ? p->capundecided * 2 : 8;
		struct spn_undecided *v = realloc(p->undecided, cap * sizeof(*v));
		if (!v)
			return spn_err_set(err, SPN_NOMEM, "out of memory");
		p->undecided = v;
		p->capundecided = cap;
	}
	struct spn_undecided u = {copy(p, spn), copy(p, finding), NULL, NULL, o->n, copy(p, reason)};
	u.dns = spn_arena_alloc(&p->arena, (o->n ? o->n : 1) * sizeof(*u.dns));
	u.sams = spn_arena_alloc(&p->arena, (o->n ? o->n : 1) * sizeof(*u.sams));
	if (!u.spn || !u.finding || !u.reason || !u.dns || !u.sams)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < o->n; i++) {
		const struct spn_account *a = spn_model_account(m, o->c[i].account);
		u.dns[i] = copy(p, a->dn);
		u.sams[i] = copy(p, a->sam);
		if (!u.dns[i] || (a->sam && !u.sams[i]))
			return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	p->undecided[p->nundecided++] = u;
	return SPN_OK;
}

/* ---- Which values of a loser go ---- */

/* Does value v of the model read as spn: the same key (duplicate-spn), or
 * the same skeleton (lookalike-spn)? */
static bool same_name(const struct spn_value *v, const char *key, size_t keyn, bool skeleton)
{
	char buf[1024];
	size_t n = skeleton ? spn_skeleton(v->str, v->len, buf, sizeof(buf))
	                    : spn_key(v->str, v->len, buf, sizeof(buf));
	return n != (size_t)-1 && n == keyn && memcmp(buf, key, n) == 0;
}

/* Does account a hold a spelling of the name without hidden characters? */
static bool holds_clean(const struct spn_model *m, const struct spn_account *a, const char *key,
                        size_t keyn)
{
	char buf[1024];
	for (uint32_t i = 0; i < a->nspn; i++) {
		const struct spn_value *v = spn_model_value(m, a->spn_first + i);
		size_t n = spn_key(v->str, v->len, buf, sizeof(buf));
		if (n == keyn && memcmp(buf, key, n) == 0)
			return true;
	}
	return false;
}

static size_t kept_by(const struct spn_fix_opts *o, const struct spn_model *m, const uint32_t *acc,
                      size_t n, uint32_t *keep)
{
	size_t found = 0;
	*keep = SPN_NONE;
	for (size_t i = 0; i < o->nkeep; i++)
		for (size_t j = 0; j < n; j++)
			if (o->keep[i] == acc[j] ||
			    strcasecmp(spn_model_account(m, o->keep[i])->dn,
			               spn_model_account(m, acc[j])->dn) == 0) {
				if (*keep != acc[j])
					found++;
				*keep = acc[j];
			}
	return found;
}

/* Reason of a removal step: "keep on X: <its evidence>; Y: <its evidence>". */
static void removal_reason(char *buf, size_t cap, const struct spn_model *m,
                           const struct spn_owner *o, const struct spn_candidate *loser)
{
	const struct spn_account *w = spn_model_account(m, o->c[0].account);
	size_t used = (size_t)snprintf(buf, cap, "%s keeps it (", acc_name(w));
	for (size_t i = 0; i < o->c[0].nev && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "; " : "", o->c[0].ev[i].text);
	if (used < cap)
		used += (size_t)snprintf(buf + used, cap - used, "%s)", o->c[0].nev ? "" : "no evidence");
	if (used < cap && loser->nev) {
		used += (size_t)snprintf(buf + used, cap - used, "; %s is ",
		                         acc_name(spn_model_account(m, loser->account)));
		for (size_t i = 0; i < loser->nev && used < cap; i++)
			used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "; " : "",
			                         loser->ev[i].text);
	}
	if (used < cap)
		snprintf(buf + used, cap - used, ": %s", o->why);
}

/* Delete from every loser its copies of the name (key, or skeleton). */
static enum spn_rc remove_from_losers(struct spn_plan *p, const struct spn_model *m,
                                      const struct spn_finding *f, const struct spn_owner *o,
                                      const char *key, size_t keyn, bool skeleton,
                                      struct spn_err *err)
{
	char reason[2048];
	const struct spn_account *w = spn_model_account(m, o->c[0].account);
	for (size_t i = 1; i < o->n; i++) {
		const struct spn_account *a = spn_model_account(m, o->c[i].account);
		if (strcasecmp(a->dn, w->dn) == 0)
			continue;   /* the same object read twice */
		removal_reason(reason, sizeof(reason), m, o, &o->c[i]);
		for (uint32_t j = 0; j < a->nspn; j++) {
			const struct spn_value *v = spn_model_value(m, a->spn_first + j);
			if (!same_name(v, key, keyn, skeleton))
				continue;
			enum spn_rc rc = spn_plan_add_step(p, SPN_STEP_DELETE, v->str, a->dn, a->sam, f->code,
			                                   reason, err);
			if (rc)
				return rc;
		}
	}
	return SPN_OK;
}

/* ---- Per kind of finding ---- */

static enum spn_rc fix_duplicate(struct spn_plan *p, const struct spn_model *m,
                                 const struct spn_finding *f, const struct spn_fix_opts *fo,
                                 bool skeleton, struct spn_owner *o, struct spn_err *err)
{
	char key[1024];
	size_t keyn = skeleton ? spn_skeleton(f->spn, strlen(f->spn), key, sizeof(key))
	                       : spn_key(f->spn, strlen(f->spn), key, sizeof(key));
	uint32_t keep;
	if (keyn == (size_t)-1)
		return spn_err_set(err, SPN_INPUT, "'%s' is too long to fix", f->spn);
	bool several = kept_by(fo, m, f->accounts, f->naccounts, &keep) > 1;
	enum spn_rc rc = spn_owner_decide(m, f->spn, strlen(f->spn), f->accounts, f->naccounts,
	                                  several ? SPN_NONE : keep, o, err);
	if (rc)
		return rc;
	if (several)
		return add_undecided(p, m, f->spn, f->code, o,
		                     "--keep names more than one of its holders: name one", err);
	if (!o->decided) {
		char why[1024];
		snprintf(why, sizeof(why), "%s; nothing is removed: run the fix again with --keep ACCOUNT "
		         "naming the account the service runs as", o->why);
		return add_undecided(p, m, f->spn, f->code, o, why, err);
	}
	if (skeleton) {
		char clean[1024];
		size_t cn = spn_key(f->spn, strlen(f->spn), clean, sizeof(clean));
		if (keep == SPN_NONE &&
		    !holds_clean(m, spn_model_account(m, o->c[0].account), key, keyn) &&
		    (cn == (size_t)-1 || !holds_clean(m, spn_model_account(m, o->c[0].account), clean, cn)))
			return add_undecided(p, m, f->spn, f->code, o,
			                     "the account the evidence favours holds only a spelling with "
			                     "hidden characters; nothing is removed: write the plain spelling "
			                     "there first, or name the account with --keep", err);
	}
	return remove_from_losers(p, m, f, o, key, keyn, skeleton, err);
}

/* cifs/x on B shadows HOST/x on A: accounts[0] is A, [1] is B. */
static enum spn_rc fix_alias(struct spn_plan *p, const struct spn_model *m,
                             const struct spn_finding *f, const struct spn_fix_opts *fo,
                             struct spn_owner *o, struct spn_err *err)
{
	uint32_t keep;
	if (f->naccounts != 2)
		return SPN_OK;
	kept_by(fo, m, f->accounts, 2, &keep);
	enum spn_rc rc = spn_owner_decide(m, f->spn, strlen(f->spn), f->accounts, 2, keep, o, err);
	if (rc)
		return rc;
	const struct spn_account *host = spn_model_account(m, f->accounts[0]);
	const struct spn_account *explicit = spn_model_account(m, f->accounts[1]);
	if (o->decided && o->c[0].account == f->accounts[0]) {
		char reason[2048];
		removal_reason(reason, sizeof(reason), m, o, &o->c[1]);
		return spn_plan_add_step(p, SPN_STEP_DELETE, f->spn, explicit->dn, explicit->sam, f->code,
		                         reason, err);
	}
	char why[1024];
	if (o->decided)
		snprintf(why, sizeof(why), "the evidence says %s runs this service, so its explicit SPN "
		         "stays and every %s ticket is issued under its key; anything of that class on "
		         "the host that runs as %s cannot decrypt them. Nothing is removed (--keep %s "
		         "removes it)", acc_name(explicit), f->spn,
		         acc_name(host), acc_name(host));
	else
		snprintf(why, sizeof(why), "%s; nothing is removed: --keep %s removes the explicit SPN, "
		         "--keep %s keeps it", o->why, acc_name(host),
		         acc_name(explicit));
	return add_undecided(p, m, f->spn, f->code, o, why, err);
}

static bool wanted(const struct spn_fix_opts *o, const char *code)
{
	if (o->nonly == 0)
		return true;
	for (size_t i = 0; i < o->nonly; i++)
		if (strcmp(o->only[i], code) == 0)
			return true;
	return false;
}

enum spn_rc spn_plan_fix(const struct spn_model *m, const struct spn_findings *fs,
                         const struct spn_fix_opts *fo, struct spn_plan *p, struct spn_err *err)
{
	struct spn_owner o;
	enum spn_rc rc = SPN_OK;
	spn_owner_init(&o);
	p->complete = spn_model_complete(m);
	for (size_t i = 0; i < fs->n && rc == SPN_OK; i++) {
		const struct spn_finding *f = &fs->v[i];
		if (!wanted(fo, f->code))
			continue;
		if (f->severity == SPN_SEV_INFO)
			continue;   /* benign by the check's own judgement */
		if (!f->spn)
			p->unfixable++;
		else if (strcmp(f->code, "duplicate-spn") == 0)
			rc = fix_duplicate(p, m, f, fo, false, &o, err);
		else if (strcmp(f->code, "lookalike-spn") == 0)
			rc = fix_duplicate(p, m, f, fo, true, &o, err);
		else if (strcmp(f->code, "alias-conflict") == 0)
			rc = fix_alias(p, m, f, fo, &o, err);
		else
			p->unfixable++;
	}
	spn_owner_release(&o);
	return rc;
}
