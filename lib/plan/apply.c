/*
 * apply.c - one plan step at a time on a DC: re-read, undo record, one
 * value, confirm (spn/apply.h says why each).
 *
 * Values are compared as AD compares them (spn_key: case-insensitive) to
 * decide whether a step is already satisfied and which stored spelling to
 * delete; as exact strings to see whether anything else changed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spn/apply.h"
#include "spn/spn.h"

#define KEY_MAX 2048

const char *spn_step_state_name(enum spn_step_state s)
{
	static const char *const names[] = {
		[SPN_STEP_APPLIED] = "applied",   [SPN_STEP_UNCHANGED] = "unchanged",
		[SPN_STEP_WOULD] = "would-apply", [SPN_STEP_DECLINED] = "declined",
		[SPN_STEP_REFUSED] = "refused",   [SPN_STEP_FAILED] = "failed",
		[SPN_STEP_NOT_RUN] = "not-run",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

/* ---- Value lists ---- */

/* The SPN values of the one account of a re-read model. */
struct values {
	const char **v;
	size_t n;
};

static bool values_of(const struct spn_model *m, struct values *out)
{
	const struct spn_account *a = spn_model_account(m, 0);
	out->n = a->nspn;
	out->v = calloc(a->nspn ? a->nspn : 1, sizeof(*out->v));
	if (!out->v)
		return false;
	for (uint32_t i = 0; i < a->nspn; i++)
		out->v[i] = spn_model_value(m, a->spn_first + i)->str;
	return true;
}

/* The stored value that AD takes to be spn, or NULL. */
static const char *find_same(const struct values *vs, const char *spn)
{
	char want[KEY_MAX], have[KEY_MAX];
	size_t wn = spn_key(spn, strlen(spn), want, sizeof(want));
	if (wn == (size_t)-1)
		return NULL;
	for (size_t i = 0; i < vs->n; i++) {
		size_t hn = spn_key(vs->v[i], strlen(vs->v[i]), have, sizeof(have));
		if (hn == wn && memcmp(have, want, wn) == 0)
			return vs->v[i];
	}
	return NULL;
}

/* Do a and b name the same SPN as AD compares them? */
static bool same_key(const char *a, const char *b)
{
	char ka[KEY_MAX], kb[KEY_MAX];
	size_t an = spn_key(a, strlen(a), ka, sizeof(ka));
	size_t bn = spn_key(b, strlen(b), kb, sizeof(kb));
	return an != (size_t)-1 && an == bn && memcmp(ka, kb, an) == 0;
}

static bool has_exact(const struct values *vs, const char *s)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i], s) == 0)
			return true;
	return false;
}

/* ---- One step ---- */

struct run {
	struct spn_dir *d;
	struct spn_undo *undo;
	const struct spn_apply_opts *o;
	struct spn_step_result r;
	char msg[2048];
	const char **appeared, **restored;   /* malloc'd, for r */
	struct spn_model *models[3];         /* re-reads, freed after the step */
	size_t nmodels;
};

static void say(struct run *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct run *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
	x->r.message = x->msg;
}

static enum spn_rc reread(struct run *x, const char *dn, struct values *vs, struct spn_err *err)
{
	struct spn_model *m;
	if (x->nmodels == sizeof(x->models) / sizeof(x->models[0]))
		return spn_err_set(err, SPN_BUG, "too many re-reads in one step");
	enum spn_rc rc = spn_dir_read(x->d, dn, &m, err);
	if (rc)
		return rc;
	x->models[x->nmodels++] = m;
	if (!values_of(m, vs))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return SPN_OK;
}

static const char *acc(const struct spn_step *s)
{
	return s->sam ? s->sam : s->dn;
}

/* The other holders of spn, named for a refused add. */
static void name_holders(struct run *x, const struct spn_step *s, char *buf, size_t cap)
{
	struct spn_model *h;
	struct spn_err e;
	size_t used = 0;
	buf[0] = '\0';
	spn_err_init(&e);
	if (spn_dir_holders(x->d, s->spn, &h, &e) != SPN_OK)
		return;
	for (size_t i = 0; i < spn_model_naccounts(h) && used < cap; i++) {
		const struct spn_account *a = spn_model_account(h, (uint32_t)i);
		if (strcasecmp(a->dn, s->dn) == 0)
			continue;
		const char *held = NULL;
		for (uint32_t j = 0; j < a->nspn && !held; j++)
			held = spn_model_value(h, a->spn_first + j)->str;
		used += (size_t)snprintf(buf + used, cap - used, "%s%s (%s, holding %s)", used ? "; " : "",
		                         a->dn, a->sam ? a->sam : "?", held ? held : "it as its UPN");
	}
	spn_model_free(h);
}

/* The DC refused: say why in words. */
static void explain_refusal(struct run *x, const struct spn_step *s, int lrc,
                            const struct spn_err *dc)
{
	char holders[1024];
	if (lrc == SPN_LDAP_CONSTRAINT_VIOLATION && s->op == SPN_STEP_ADD) {
		name_holders(x, s, holders, sizeof(holders));
		if (holders[0])
			say(x, "the DC refused to add %s to %s: it is already held by %s. Remove it there "
			    "first (spnctl rm), or keep it where it is", s->spn, acc(s), holders);
		else
			say(x, "the DC refused to add %s to %s (constraint violation: %s). When an account "
			    "writes its own SPNs (validated write), the host part must be one of its own "
			    "names (sAMAccountName without '$', dNSHostName)", s->spn, acc(s), dc->msg);
		return;
	}
	if (lrc == SPN_LDAP_INSUFFICIENT_ACCESS) {
		char *who = spn_dir_whoami(x->d);
		name_holders(x, s, holders, sizeof(holders));
		say(x, "the DC refused: %s may not %s servicePrincipalName of %s (insufficient access "
		    "rights). That needs the right 'Write servicePrincipalName' on the object (or "
		    "'Validated write to service principal name', which lets an account set SPNs of "
		    "its own host names only)%s%s", who ? who : "this login",
		    s->op == SPN_STEP_ADD ? "add to" : "remove from", s->dn,
		    holders[0] ? "; a DC also refuses an alias of HOST/ while HOST/ is on an account "
		                 "you may not change: " : "",
		    holders);
		free(who);
		return;
	}
	say(x, "the DC refused to %s %s %s %s: %s", s->op == SPN_STEP_ADD ? "add" : "remove", s->spn,
	    s->op == SPN_STEP_ADD ? "to" : "from", acc(s), dc->msg);
}

/* Delete refused (Samba, a duplicated value): replace with the rest. */
static enum spn_rc delete_by_replace(struct run *x, const struct spn_step *s, struct values *fresh,
                                     int *lrc, struct spn_err *err)
{
	enum spn_rc rc = reread(x, s->dn, fresh, err);
	if (rc)
		return rc;
	const char *stored = find_same(fresh, s->spn);
	if (!stored)
		return SPN_OK;   /* gone meanwhile: nothing to do */
	const char **rest = calloc(fresh->n ? fresh->n : 1, sizeof(*rest));
	size_t n = 0;
	if (!rest)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < fresh->n; i++)
		if (fresh->v[i] != stored)
			rest[n++] = fresh->v[i];
	rc = spn_dir_modify(x->d, s->dn, SPN_DIR_REPLACE, rest, n, lrc, err);
	free(rest);
	x->r.via_replace = true;
	return rc;
}

/* Re-read after the write: the step's value as asked, the others as they
 * were in before; put back any that vanished, report any that appeared. */
static enum spn_rc confirm(struct run *x, const struct spn_step *s, const struct values *before,
                           struct spn_err *err)
{
	struct values after;
	enum spn_rc rc = reread(x, s->dn, &after, err);
	if (rc) {
		spn_err_prefix(err, "the change was made but could not be confirmed");
		return rc;
	}
	const char *now = find_same(&after, s->spn);
	if ((s->op == SPN_STEP_ADD) != (now != NULL)) {
		say(x, "the DC answered success, but %s is %s on %s when read back", s->spn,
		    now ? "still there" : "not there", acc(s));
		free(after.v);
		return spn_err_set(err, SPN_DIRECTORY, "%s", x->msg);
	}
	x->appeared = calloc(after.n + 1, sizeof(*x->appeared));
	x->restored = calloc(before->n + 1, sizeof(*x->restored));
	if (!x->appeared || !x->restored) {
		free(after.v);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < after.n; i++)
		if (!has_exact(before, after.v[i]) && after.v[i] != now)
			x->appeared[x->r.nappeared++] = after.v[i];
	for (size_t i = 0; i < before->n && rc == SPN_OK; i++) {
		if (same_key(before->v[i], s->spn) || has_exact(&after, before->v[i]))
			continue;
		int lrc;
		rc = spn_dir_modify(x->d, s->dn, SPN_DIR_ADD, &before->v[i], 1, &lrc, err);
		if (rc)
			spn_err_prefix(err, "%s vanished from %s while %s was changed, and putting it back "
			               "failed", before->v[i], acc(s), s->spn);
		else
			x->restored[x->r.nrestored++] = before->v[i];
	}
	x->r.appeared = x->appeared;
	x->r.restored = x->restored;
	free(after.v);
	return rc;
}

static void release_run(struct run *x)
{
	for (size_t i = 0; i < x->nmodels; i++)
		spn_model_free(x->models[i]);
	x->nmodels = 0;
	free(x->appeared);
	free(x->restored);
	x->appeared = x->restored = NULL;
}

static enum spn_rc write_step(struct run *x, const struct spn_step *s, struct values *before,
                              const char *stored, struct spn_err *err)
{
	struct spn_step undo_step = *s;
	struct spn_err dc;
	int lrc;
	if (stored)
		undo_step.spn = stored;
	enum spn_rc rc = spn_undo_begin(x->undo, &undo_step, err);
	if (rc)
		return rc;
	spn_err_init(&dc);
	const char *value = s->op == SPN_STEP_ADD ? s->spn : stored;
	rc = spn_dir_modify(x->d, s->dn, s->op == SPN_STEP_ADD ? SPN_DIR_ADD : SPN_DIR_DELETE, &value,
	                    1, &lrc, &dc);
	struct values fresh = {NULL, 0};
	if (rc == SPN_REFUSED && s->op == SPN_STEP_DELETE && lrc == SPN_LDAP_CONSTRAINT_VIOLATION) {
		spn_err_init(&dc);
		rc = delete_by_replace(x, s, &fresh, &lrc, &dc);
		if (rc == SPN_OK && fresh.v) {
			free(before->v);
			*before = fresh;   /* compare with what the replace started from */
			fresh.v = NULL;
		}
	}
	free(fresh.v);
	if (rc == SPN_OK || lrc == SPN_LDAP_NO_SUCH_ATTRIBUTE || lrc == SPN_LDAP_TYPE_OR_VALUE_EXISTS) {
		if (rc != SPN_OK) {   /* someone did it meanwhile */
			x->r.state = SPN_STEP_UNCHANGED;
			say(x, "%s %s %s meanwhile", s->spn, s->op == SPN_STEP_ADD ? "was added to" :
			    "was removed from", acc(s));
			return spn_undo_cancel(x->undo, x->msg, err);
		}
		rc = confirm(x, s, before, err);
		x->r.state = rc ? SPN_STEP_FAILED : SPN_STEP_APPLIED;
		return rc;
	}
	if (rc == SPN_REFUSED) {
		explain_refusal(x, s, lrc, &dc);
		x->r.state = SPN_STEP_REFUSED;
		enum spn_rc u = spn_undo_cancel(x->undo, x->msg, err);
		return u ? u : spn_err_set(err, SPN_REFUSED, "%s", x->msg);
	}
	/* Lost connection or the like: the change may or may not have been
	 * made. The undo record stays (undo skips what is already undone). */
	x->r.state = SPN_STEP_FAILED;
	say(x, "%s; the change may or may not have been made: read the account again (spnctl list "
	    "%s)", dc.msg, acc(s));
	return spn_err_set(err, dc.rc ? dc.rc : SPN_DIRECTORY, "%s", x->msg);
}

static enum spn_rc one_step(struct run *x, const struct spn_step *s, int *quit,
                            struct spn_err *err)
{
	struct values before = {NULL, 0};
	memset(&x->r, 0, sizeof(x->r));
	x->r.step = s;
	enum spn_rc rc = reread(x, s->dn, &before, err);
	if (rc) {
		x->r.state = SPN_STEP_FAILED;
		say(x, "%s", err->msg);
		goto out;
	}
	const char *stored = find_same(&before, s->spn);
	x->r.stored = stored;
	if ((s->op == SPN_STEP_ADD) == (stored != NULL)) {
		x->r.state = SPN_STEP_UNCHANGED;
		if (stored)
			say(x, "%s already holds %s%s: nothing to add", acc(s), stored,
			    strcmp(stored, s->spn) ? " (the same name in other letter case)" : "");
		else
			say(x, "%s does not hold %s: nothing to remove", acc(s), s->spn);
		goto out;
	}
	if (x->o->dry_run) {
		x->r.state = SPN_STEP_WOULD;
		goto out;
	}
	if (x->o->ask) {
		int yes = x->o->ask(x->o->ctx, s);
		if (yes <= 0) {
			x->r.state = yes < 0 ? SPN_STEP_NOT_RUN : SPN_STEP_DECLINED;
			*quit = yes < 0;
			goto out;
		}
	}
	rc = write_step(x, s, &before, stored, err);
out:
	if (x->o->done)
		x->o->done(x->o->ctx, &x->r);
	free(before.v);
	release_run(x);
	return rc;
}

static void count(struct spn_apply_summary *sum, enum spn_step_state s)
{
	size_t *slot[] = {
		[SPN_STEP_APPLIED] = &sum->applied,   [SPN_STEP_UNCHANGED] = &sum->unchanged,
		[SPN_STEP_WOULD] = &sum->would,       [SPN_STEP_DECLINED] = &sum->declined,
		[SPN_STEP_REFUSED] = &sum->refused,   [SPN_STEP_FAILED] = &sum->failed,
		[SPN_STEP_NOT_RUN] = &sum->not_run,
	};
	(*slot[s])++;
}

enum spn_rc spn_plan_apply(struct spn_dir *d, const struct spn_plan *p, struct spn_undo *undo,
                           const struct spn_apply_opts *o, struct spn_apply_summary *sum,
                           struct spn_err *err)
{
	memset(sum, 0, sizeof(*sum));
	if (!p->complete)
		return spn_err_set(err, SPN_INCOMPLETE, "the plan was made from incomplete data: "
		                   "nothing is changed");
	if (!undo && !o->dry_run)
		return spn_err_set(err, SPN_BUG, "a write without an undo file");
	struct run x;
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.undo = undo;
	x.o = o;
	enum spn_rc first = SPN_OK;
	int quit = 0;
	size_t i = 0;
	for (; i < p->nsteps && !quit; i++) {
		struct spn_err e;
		spn_err_init(&e);
		enum spn_rc rc = one_step(&x, &p->steps[i], &quit, &e);
		count(sum, x.r.state);
		if (rc && first == SPN_OK) {
			first = rc;
			spn_err_set(err, rc, "%s", e.msg);
		}
		if (rc && (!o->keep_going || rc == SPN_IO || rc == SPN_NOMEM))
			quit = 1;
	}
	for (; i < p->nsteps; i++) {
		memset(&x.r, 0, sizeof(x.r));
		x.r.step = &p->steps[i];
		x.r.state = SPN_STEP_NOT_RUN;
		count(sum, x.r.state);
		if (o->done)
			o->done(o->ctx, &x.r);
	}
	return first;
}
