/*
 * apply.c - one plan step at a time on a DC: re-read, undo record, one
 * value, confirm (spn/apply.h says why each).
 *
 * Values are compared as AD compares them (spn_key: case-insensitive) to
 * decide whether a step is already satisfied and which stored spelling to
 * delete - the exact spelling first, and never one of several that fold
 * alike (Unicode folding joins values the DC keeps apart); as exact strings
 * to build a replace and to see whether anything else changed.
 *
 * Deleting a value the DC will not delete alone. Samba refuses a modify of
 * servicePrincipalName whose first change lists a value that another
 * account holds too - a one-value delete of a duplicated SPN, and a
 * replace that keeps another duplicated value (measured on Samba 4.17; see
 * ../shared/docs/samba-lab.md); it looks at the first change only. So a
 * refused delete is retried as one atomic modify that adds a placeholder
 * value, deletes the value, and deletes the placeholder
 * (SPN_DIR_DELETE_SHIELDED): exactly that value goes, and nothing written
 * meanwhile can be lost. Only where that is refused too is the attribute
 * replaced with the values that remain, read again just before; when that
 * is refused as well and the plan removes other values from the same
 * account, one replace removes them together (their undo records form one
 * group), and those later steps are reported as done by it. A replace
 * keeps exactly what was read minus what the plan removes; a value written
 * between that read and the replace is lost with it, which is why it
 * comes last.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/cmdline_word.h"
#include "spn/apply.h"
#include "spn/spn.h"

#define KEY_MAX 2048
#define MAX_REREADS 5    /* before, again after the question, fresh (replace), after, spare */

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

/* The SPN values of a re-read account, as stored (borrowed from its model). */
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

/* Do a and b name the same SPN as AD compares them? */
static bool same_key(const char *a, const char *b)
{
	char ka[KEY_MAX], kb[KEY_MAX];
	size_t an = spn_key(a, strlen(a), ka, sizeof(ka));
	size_t bn = spn_key(b, strlen(b), kb, sizeof(kb));
	return an != (size_t)-1 && an == bn && memcmp(ka, kb, an) == 0;
}

/* The stored value that AD takes to be spn, or NULL. */
static const char *find_same(const struct values *vs, const char *spn)
{
	for (size_t i = 0; i < vs->n; i++)
		if (same_key(vs->v[i], spn))
			return vs->v[i];
	return NULL;
}

static bool has_exact(const struct values *vs, const char *s)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i], s) == 0)
			return true;
	return false;
}

/* The stored value an add of spn would repeat: spelled so, or differing
 * only in ASCII letter case (which the DC refuses as the same value).
 * Values that only Unicode folding joins ("straße", "STRASSE") are two
 * values to the DC: it is asked, and says so itself if it disagrees. */
static const char *held_for_add(const struct values *vs, const char *spn)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i], spn) == 0)
			return vs->v[i];
	for (size_t i = 0; i < vs->n; i++)
		if (strcasecmp(vs->v[i], spn) == 0)
			return vs->v[i];
	return NULL;
}

/* The stored value a removal of spn means: spn spelled exactly so, else
 * the one value that reads as the same name. Unicode case folding joins
 * values the DC keeps apart ("straße" and "STRASSE"), so when two or more
 * stored values fold to spn and none is spelled so, NULL with *other set
 * to the second: which one is meant is not for spnctl to guess. */
static const char *find_stored(const struct values *vs, const char *spn, const char **other)
{
	const char *found = NULL;
	*other = NULL;
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i], spn) == 0)
			return vs->v[i];
	for (size_t i = 0; i < vs->n; i++) {
		if (!same_key(vs->v[i], spn))
			continue;
		if (found) {
			*other = vs->v[i];
			return NULL;
		}
		found = vs->v[i];
	}
	return found;
}

/* Is s one of list[0..n), spelled exactly so? */
static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* ---- A run ---- */

struct run {
	struct spn_dir *d;
	struct spn_undo *undo;
	const struct spn_apply_opts *o;
	const struct spn_plan *p;
	char (*settled)[256];                /* per step: "" or how an earlier step did it */
	signed char *answer;                 /* per step: 0 not asked yet, 1 yes, -1 no */
	bool quit;                           /* the user said quit while asked about a companion */
	bool sent;                           /* a replace went to the DC in this step */
	struct spn_step_result r;
	char msg[2048];
	const char **appeared, **vanished;   /* malloc'd, for r */
	struct spn_model *models[MAX_REREADS];
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
	if (x->nmodels == MAX_REREADS)
		return spn_err_set(err, SPN_BUG, "too many re-reads in one step");
	enum spn_rc rc = spn_dir_read(x->d, dn, &m, err);
	if (rc)
		return rc;
	x->models[x->nmodels++] = m;
	if (!values_of(m, vs))
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	return SPN_OK;
}

static void release_step(struct run *x)
{
	for (size_t i = 0; i < x->nmodels; i++)
		spn_model_free(x->models[i]);
	x->nmodels = 0;
	free(x->appeared);
	free(x->vanished);
	x->appeared = x->vanished = NULL;
}

static const char *acc(const struct spn_step *s)
{
	return s->sam ? s->sam : s->dn;
}

/* ---- Refusals in words ---- */

/* "host/<component 1>" of s when s is HOST/x or a HOST alias on x (by
 * the table t) into buf; false when it is neither. */
static bool alias_form(const struct spn_alias_table *t, const char *s, char *buf, size_t cap)
{
	struct spn_alias_key k;
	const char *host;
	size_t n;
	if (spn_alias_key(t, s, strlen(s), &k)) {
		host = k.host.p;
		n = k.host.n;
	} else if (strncasecmp(s, "host/", 5) == 0) {
		host = s + 5;
		n = strcspn(host, "/");
	} else {
		return false;
	}
	int w = snprintf(buf, cap, "host/%.*s", (int)n, host);
	return n && w > 0 && (size_t)w < cap;
}

/* The other holders of spn, named for a refused add. */
static void name_holders(struct run *x, const struct spn_step *s, char *buf, size_t cap)
{
	struct spn_model *h;
	struct spn_err e;
	size_t used = 0;
	char want[KEY_MAX], form[KEY_MAX];
	buf[0] = '\0';
	spn_err_init(&e);
	if (spn_dir_holders(x->d, s->spn, &h, &e) != SPN_OK)
		return;
	bool aliased = alias_form(spn_model_aliases(h), s->spn, want, sizeof(want));
	for (size_t i = 0; i < spn_model_naccounts(h) && used < cap; i++) {
		const struct spn_account *a = spn_model_account(h, (uint32_t)i);
		if (strcasecmp(a->dn, s->dn) == 0)
			continue;
		/* the value in the way: the name itself, else its alias form;
		 * neither: the account holds the name as its UPN */
		const char *held = NULL;
		for (uint32_t j = 0; j < a->nspn && !held; j++)
			if (same_key(spn_model_value(h, a->spn_first + j)->str, s->spn))
				held = spn_model_value(h, a->spn_first + j)->str;
		for (uint32_t j = 0; j < a->nspn && !held && aliased; j++) {
			const char *v = spn_model_value(h, a->spn_first + j)->str;
			if (alias_form(spn_model_aliases(h), v, form, sizeof(form)) &&
			    strcasecmp(form, want) == 0)
				held = v;
		}
		if (!held && !(a->upn && same_key(a->upn, s->spn)))
			continue;   /* found by the broad alias filter, in no one's way */
		used += (size_t)snprintf(buf + used, cap - used, "%s%s (%s, holding %s)", used ? "; " : "",
		                         a->dn, a->sam ? a->sam : "?", held ? held : "it as its UPN");
	}
	spn_model_free(h);
}

/* The host names an account may use in SPNs it writes itself (validated
 * write): its sAMAccountName without '$' and its dNSHostName, from the
 * read before the write. */
static const char *own_names(struct run *x, char *buf, size_t cap)
{
	const struct spn_account *a = x->nmodels ? spn_model_account(x->models[x->nmodels - 1], 0)
	                                         : NULL;
	size_t n = a && a->sam ? strlen(a->sam) : 0;
	if (n && a->sam[n - 1] == '$')
		n--;
	if (n && a->dns_host)
		snprintf(buf, cap, "%.*s or %s", (int)n, a->sam, a->dns_host);
	else if (n || (a && a->dns_host))
		snprintf(buf, cap, "%.*s%s", (int)n, n ? a->sam : "", n ? "" : a->dns_host);
	else
		snprintf(buf, cap, "its sAMAccountName without '$', or its dNSHostName");
	return buf;
}

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
			    "names: %s", s->spn, acc(s), dc->msg, own_names(x, holders, sizeof(holders)));
		return;
	}
	if (lrc == SPN_LDAP_CONSTRAINT_VIOLATION) {
		say(x, "the DC refused to remove %s from %s, alone, behind a placeholder, or by "
		    "replacing the attribute with the values that remain (%s): Samba refuses a change "
		    "to the SPNs of an account that lists a value another account holds too; remove "
		    "all such values of %s at once (spnctl fix plans them together)", s->spn, acc(s),
		    dc->msg, acc(s));
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
		    holders[0] && s->op == SPN_STEP_ADD ?
		            "; a DC also refuses an alias of HOST/ while HOST/ is on an account you may "
		            "not change: " : "",
		    holders[0] && s->op == SPN_STEP_ADD ? holders : "");
		free(who);
		return;
	}
	say(x, "the DC refused to %s %s %s %s: %s", s->op == SPN_STEP_ADD ? "add" : "remove", s->spn,
	    s->op == SPN_STEP_ADD ? "to" : "from", acc(s), dc->msg);
}

/* ---- Confirming ---- */

/* Re-read after the write: every removed value gone, the added one there,
 * every other value as it was in before. Values that appeared or vanished
 * meanwhile are reported, and left so: they are someone else's changes
 * (a one-value change touches nothing else, and a replace writes every
 * value of before but the removed ones), and putting back a value another
 * administrator moved would make a duplicate. */
static enum spn_rc confirm(struct run *x, const struct spn_step *s, const struct values *before,
                           const char *const *removed, size_t nremoved, struct spn_err *err)
{
	struct values after;
	enum spn_rc rc = reread(x, s->dn, &after, err);
	if (rc) {
		spn_err_prefix(err, "the change was made but could not be confirmed");
		return rc;
	}
	const char *added = s->op == SPN_STEP_ADD ? held_for_add(&after, s->spn) : NULL;
	bool ok = s->op == SPN_STEP_ADD ? added != NULL : true;
	for (size_t i = 0; i < nremoved && ok; i++)
		ok = !has_exact(&after, removed[i]);
	if (!ok) {
		say(x, "the DC answered success, but %s is %s on %s when read back", s->spn,
		    s->op == SPN_STEP_ADD ? "not there" : "still there", acc(s));
		free(after.v);
		return spn_err_set(err, SPN_DIRECTORY, "%s", x->msg);
	}
	x->appeared = calloc(after.n + 1, sizeof(*x->appeared));
	x->vanished = calloc(before->n + 1, sizeof(*x->vanished));
	if (!x->appeared || !x->vanished) {
		free(after.v);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < after.n; i++)
		if (!has_exact(before, after.v[i]) && after.v[i] != added)
			x->appeared[x->r.nappeared++] = after.v[i];
	for (size_t i = 0; i < before->n; i++)
		if (!in_list(removed, nremoved, before->v[i]) && !has_exact(&after, before->v[i]))
			x->vanished[x->r.nvanished++] = before->v[i];
	x->r.appeared = x->appeared;
	x->r.vanished = x->vanished;
	free(after.v);
	return rc;
}

/* ---- Writing ---- */

/* A write the DC refused or that failed: the undo record goes, the
 * result says why. */
static enum spn_rc not_made(struct run *x, const struct spn_step *s, enum spn_rc rc, int lrc,
                            const struct spn_err *dc, struct spn_err *err)
{
	if (rc == SPN_REFUSED) {
		explain_refusal(x, s, lrc, dc);
		x->r.state = SPN_STEP_REFUSED;
		enum spn_rc u = spn_undo_cancel(x->undo, x->msg, err);
		return u ? u : spn_err_set(err, SPN_REFUSED, "%s", x->msg);
	}
	/* Lost connection or the like: the change may or may not have been
	 * made. The undo record stays (undo skips what is already undone). */
	x->r.state = SPN_STEP_FAILED;
	char w[SPN_CMDLINE_WORD_MAX];
	if (spn_sh_word(acc(s), w, sizeof(w)))
		say(x, "%s; the change may or may not have been made: read the account again (spnctl "
		    "list -- %s)", dc->msg, w);
	else
		say(x, "%s; the change may or may not have been made: read the account again (spnctl "
		    "list)", dc->msg);
	return spn_err_set(err, dc->rc ? dc->rc : SPN_DIRECTORY, "%s", x->msg);
}

static enum spn_rc write_add(struct run *x, const struct spn_step *s, const struct values *before,
                             struct spn_err *err)
{
	struct spn_err dc;
	int lrc;
	enum spn_rc rc = spn_undo_begin(x->undo, s, err);
	if (rc)
		return rc;
	spn_err_init(&dc);
	rc = spn_dir_modify(x->d, s->dn, SPN_DIR_ADD, &s->spn, 1, &lrc, &dc);
	if (rc == SPN_REFUSED && lrc == SPN_LDAP_TYPE_OR_VALUE_EXISTS) {
		x->r.state = SPN_STEP_UNCHANGED;
		say(x, "the DC says %s already holds %s (added meanwhile, or in a spelling it takes to "
		    "be the same): nothing to add", acc(s), s->spn);
		return spn_undo_cancel(x->undo, x->msg, err);
	}
	if (rc)
		return not_made(x, s, rc, lrc, &dc, err);
	rc = confirm(x, s, before, NULL, 0, err);
	x->r.state = rc ? SPN_STEP_FAILED : SPN_STEP_APPLIED;
	return rc;
}

/* A value no account holds, for SPN_DIR_DELETE_SHIELDED: a class of its
 * own on one of the account's own host names (so that the validated write
 * an account has on its own SPNs allows it too). */
static void placeholder(struct run *x, char *buf, size_t cap)
{
	const struct spn_account *a = spn_model_account(x->models[x->nmodels - 1], 0);
	const char *host = a->dns_host;
	size_t n = host ? strlen(host) : 0;
	if (!n && a->sam) {
		host = a->sam;
		n = strlen(host);
		if (n && host[n - 1] == '$')
			n--;
	}
	if (!n) {
		host = "spnctl.invalid";
		n = strlen(host);
	}
	snprintf(buf, cap, "spnctl-removing/%.*s", (int)n, host);
}

/* Later delete steps of the plan on the same account whose values it
 * holds: they go in one replace with this one. When a person is asked,
 * each is asked about here, before it is removed (and not again later); a
 * step declined stays out. */
static size_t companions(struct run *x, size_t i, const struct values *fresh, size_t *idx,
                         const char **vals, size_t cap)
{
	const struct spn_step *s = &x->p->steps[i];
	size_t n = 0;
	for (size_t j = i + 1; j < x->p->nsteps && n < cap && !x->quit; j++) {
		const struct spn_step *t = &x->p->steps[j];
		const char *v, *other;
		if (t->op != SPN_STEP_DELETE || x->settled[j][0] || strcasecmp(t->dn, s->dn) != 0 ||
		    !(v = find_stored(fresh, t->spn, &other)))
			continue;
		if (x->o->ask && x->answer[j] == 0) {
			int yes = x->o->ask(x->o->ctx, t);
			x->answer[j] = yes > 0 ? 1 : -1;
			x->quit = yes < 0;
		}
		if (x->answer[j] < 0)
			continue;
		idx[n] = j;
		vals[n++] = v;
	}
	return n;
}

/* Replace the attribute with fresh minus removed[0..n). */
static enum spn_rc replace_without(struct run *x, const char *dn, const struct values *fresh,
                                   const char *const *removed, size_t n, int *lrc,
                                   struct spn_err *err)
{
	const char **rest = calloc(fresh->n ? fresh->n : 1, sizeof(*rest));
	size_t k = 0;
	if (!rest)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	for (size_t i = 0; i < fresh->n; i++)
		if (!in_list(removed, n, fresh->v[i]))
			rest[k++] = fresh->v[i];
	x->sent = true;
	enum spn_rc rc = spn_dir_modify(x->d, dn, SPN_DIR_REPLACE, rest, k, lrc, err);
	free(rest);
	return rc;
}

/* The one-value delete was refused: a replace, then a replace together
 * with the plan's other removals from this account. */
static enum spn_rc delete_by_replace(struct run *x, size_t i, struct values *fresh,
                                     const char **removed, size_t *nremoved, int *lrc,
                                     struct spn_err *dc, struct spn_err *err)
{
	const struct spn_step *s = &x->p->steps[i];
	size_t idx[64];
	const char *was = removed[0];
	enum spn_rc rc = reread(x, s->dn, fresh, err);
	if (rc)
		return rc;
	/* the very value the undo record holds, spelled as it was */
	removed[0] = NULL;
	for (size_t k = 0; k < fresh->n && !removed[0]; k++)
		if (strcmp(fresh->v[k], was) == 0)
			removed[0] = fresh->v[k];
	if (!removed[0])
		return SPN_OK;   /* gone meanwhile */
	*nremoved = 1;
	x->r.via_replace = true;
	spn_err_init(dc);
	rc = replace_without(x, s->dn, fresh, removed, 1, lrc, dc);
	if (rc != SPN_REFUSED || *lrc != SPN_LDAP_CONSTRAINT_VIOLATION)
		return rc;
	size_t more = companions(x, i, fresh, idx, removed + 1, 64);
	if (!more)
		return rc;
	/* One replace for all of them: one group of undo records. */
	if ((rc = spn_undo_cancel(x->undo, NULL, err)))
		return rc;
	spn_undo_group(x->undo, true);
	for (size_t k = 0; k <= more && rc == SPN_OK; k++) {
		struct spn_step u = k ? x->p->steps[idx[k - 1]] : *s;
		u.spn = removed[k];
		rc = spn_undo_begin(x->undo, &u, err);
	}
	spn_undo_group(x->undo, false);
	if (rc)
		return rc;
	spn_err_init(dc);
	rc = replace_without(x, s->dn, fresh, removed, 1 + more, lrc, dc);
	if (rc == SPN_OK) {
		*nremoved = 1 + more;
		for (size_t k = 0; k < more; k++)
			snprintf(x->settled[idx[k]], sizeof(x->settled[0]), "removed together with %s in "
			         "one replace (the DC refused to remove them one at a time)", s->spn);
		say(x, "together with %zu other value%s of %s in one replace: the DC refused to remove "
		    "them one at a time", more, more == 1 ? "" : "s", acc(s));
	}
	return rc;
}

static enum spn_rc write_delete(struct run *x, size_t i, struct values *before, const char *stored,
                                struct spn_err *err)
{
	const struct spn_step *s = &x->p->steps[i];
	struct spn_step u = *s;
	struct spn_err dc;
	const char *removed[65] = {stored};
	size_t nremoved = 1;
	int lrc;
	u.spn = stored;
	enum spn_rc rc = spn_undo_begin(x->undo, &u, err);
	if (rc)
		return rc;
	spn_err_init(&dc);
	rc = spn_dir_modify(x->d, s->dn, SPN_DIR_DELETE, &stored, 1, &lrc, &dc);
	if (rc == SPN_REFUSED && lrc == SPN_LDAP_CONSTRAINT_VIOLATION) {
		/* the same delete behind a placeholder, in one modify */
		char ph[600];
		const char *two[2] = {stored, ph};
		placeholder(x, ph, sizeof(ph));
		x->r.via_replace = true;
		spn_err_init(&dc);
		rc = spn_dir_modify(x->d, s->dn, SPN_DIR_DELETE_SHIELDED, two, 2, &lrc, &dc);
		if (rc == SPN_OK)
			say(x, "the DC refused a plain delete (another account holds the value too), so it "
			    "was deleted in one modify behind a placeholder value (%s), which the DC takes; "
			    "no other value was touched", ph);
		else if (rc == SPN_REFUSED && lrc != SPN_LDAP_NO_SUCH_ATTRIBUTE)
			lrc = SPN_LDAP_CONSTRAINT_VIOLATION;   /* on to the replace */
	}
	struct values fresh = {NULL, 0};
	if (rc == SPN_REFUSED && lrc == SPN_LDAP_CONSTRAINT_VIOLATION) {
		x->sent = false;
		rc = delete_by_replace(x, i, &fresh, removed, &nremoved, &lrc, &dc, err);
		if (rc && !x->sent) {
			/* No replace went out (the read before it, or the undo file,
			 * failed): nothing changed, and the undo file says so. */
			free(fresh.v);
			spn_err_prefix(err, "the DC refused to remove %s from %s alone, and the replace "
			               "could not be made; nothing was changed", stored, acc(s));
			spn_undo_cancel(x->undo, NULL, err);
			return rc;
		}
		if (rc == SPN_OK && !removed[0]) {
			free(fresh.v);
			x->r.state = SPN_STEP_UNCHANGED;
			say(x, "%s was removed from %s meanwhile", s->spn, acc(s));
			return spn_undo_cancel(x->undo, x->msg, err);
		}
		if (fresh.v) {   /* compare with what the replace started from */
			free(before->v);
			*before = fresh;
		}
	}
	if (rc == SPN_REFUSED && lrc == SPN_LDAP_NO_SUCH_ATTRIBUTE) {
		x->r.state = SPN_STEP_UNCHANGED;
		say(x, "%s was removed from %s meanwhile", s->spn, acc(s));
		return spn_undo_cancel(x->undo, x->msg, err);
	}
	if (rc == SPN_REFUSED || rc == SPN_DIRECTORY)
		return not_made(x, s, rc, lrc, &dc, err);
	if (rc)
		return rc;
	rc = confirm(x, s, before, removed, nremoved, err);
	x->r.state = rc ? SPN_STEP_FAILED : SPN_STEP_APPLIED;
	return rc;
}

/* ---- One step ---- */

static enum spn_rc one_step(struct run *x, size_t i, int *quit, struct spn_err *err)
{
	const struct spn_step *s = &x->p->steps[i];
	struct values before = {NULL, 0};
	enum spn_rc rc = SPN_OK;
	memset(&x->r, 0, sizeof(x->r));
	x->r.step = s;
	if (x->settled[i][0]) {
		x->r.state = SPN_STEP_APPLIED;
		x->r.via_replace = true;
		say(x, "%s", x->settled[i]);
		goto out;
	}
	/* Read, see whether there is anything to do, ask; after a question
	 * (a person may take minutes) read again and look again. */
	bool asked = false;
	const char *other, *stored;
again:
	if ((rc = reread(x, s->dn, &before, err))) {
		x->r.state = SPN_STEP_FAILED;
		say(x, "%s", err->msg);
		goto out;
	}
	other = NULL;
	stored = s->op == SPN_STEP_ADD ? held_for_add(&before, s->spn)
	                               : find_stored(&before, s->spn, &other);
	x->r.stored = stored;
	if (other) {
		x->r.state = SPN_STEP_REFUSED;
		say(x, "%s holds both %s and %s, which read as %s once case is folded, and neither is "
		    "spelled so: give the exact spelling of the one to remove",
		    acc(s), find_same(&before, s->spn), other, s->spn);
		rc = spn_err_set(err, SPN_REFUSED, "%s", x->msg);
		goto out;
	}
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
	if (x->o->ask && x->answer[i] < 0) {   /* declined when asked with an earlier step */
		x->r.state = SPN_STEP_DECLINED;
		goto out;
	}
	if (x->o->ask && x->answer[i] == 0 && !asked) {
		int yes = x->o->ask(x->o->ctx, s);
		if (yes <= 0) {
			x->r.state = yes < 0 ? SPN_STEP_NOT_RUN : SPN_STEP_DECLINED;
			*quit = yes < 0;
			goto out;
		}
		asked = true;
		free(before.v);
		before = (struct values){NULL, 0};
		goto again;
	}
	x->r.state = SPN_STEP_FAILED;   /* until the write says otherwise */
	rc = s->op == SPN_STEP_ADD ? write_add(x, s, &before, err)
	                           : write_delete(x, i, &before, stored, err);
	if (rc && !x->r.message)
		say(x, "%s", err->msg);
out:
	if (x->o->done)
		x->o->done(x->o->ctx, &x->r);
	free(before.v);
	release_step(x);
	*quit |= x->quit;
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
	x.p = p;
	x.settled = calloc(p->nsteps ? p->nsteps : 1, sizeof(*x.settled));
	x.answer = calloc(p->nsteps ? p->nsteps : 1, sizeof(*x.answer));
	if (!x.settled || !x.answer) {
		free(x.settled);
		free(x.answer);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	enum spn_rc first = SPN_OK;
	int quit = 0;
	size_t i = 0;
	for (; i < p->nsteps && !quit; i++) {
		struct spn_err e;
		spn_err_init(&e);
		enum spn_rc rc = one_step(&x, i, &quit, &e);
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
	free(x.settled);
	free(x.answer);
	return first;
}
