/*
 * delegation.c - may the front end (--via) delegate a user's identity to
 * the service, and does the service's name lead to exactly one account?
 * Constrained delegation: the front end's msDS-AllowedToDelegateTo lists
 * the SPN the client asks for, literally (the KDC compares it as given),
 * with or without protocol transition (TRUSTED_TO_AUTH_FOR_DELEGATION).
 * Resource-based: the target account's msDS-AllowedToActOnBehalfOfOtherIdentity
 * (a security descriptor, spn/sd.h) allows the front end's SID; a deny ACE
 * for it wins. Unconstrained (TRUSTED_FOR_DELEGATION) is named, not advised.
 * The front end's SID is matched by RID in the target's domain (the model
 * keeps only RIDs).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/cmdline_word.h"
#include "diag_int.h"
#include "spn/doctor.h"
#include "spn/sd.h"

const char *spn_deleg_kind_name(enum spn_deleg_kind k)
{
	switch (k) {
	case SPN_DELEG_NONE: return "none";
	case SPN_DELEG_CONSTRAINED: return "constrained";
	case SPN_DELEG_RESOURCE: return "resource-based";
	case SPN_DELEG_UNCONSTRAINED: return "unconstrained";
	}
	return "?";
}

static const char *name_of(const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	return a->sam ? a->sam : a->dn;
}

/* The account of domain with this RID, or SPN_NONE. */
static uint32_t account_by_rid(const struct spn_model *m, const char *domain, uint32_t rid)
{
	for (uint32_t i = 0; i < spn_model_naccounts(m); i++) {
		const struct spn_account *a = spn_model_account(m, i);
		if ((a->has & SPN_HAS_SID) && a->rid == rid && strcmp(a->domain, domain) == 0)
			return i;
	}
	return SPN_NONE;
}

/* The account the primary SPN leads to, as the KDC does: the key of an
 * issued ticket, else the directory's single holder (or HOST/ holder). */
static void find_target(struct spn_delegation *g, const struct spn_diag *x)
{
	g->target = SPN_NONE;
	g->ntargets = x->nholders ? x->nholders : x->nalias_holders;
	if (x->key_account != SPN_NONE) {
		g->target = x->key_account;
		g->ntargets = 1;
	} else if (x->nholders == 1) {
		g->target = x->holders[0];
	} else if (x->nholders == 0 && x->nalias_holders == 1) {
		g->target = x->alias_holders[0];
	}
}

static void constrained(struct spn_delegation *g, const struct spn_doctor *d,
                        const struct spn_model *m, struct dlines *l, struct spn_arena *a)
{
	const struct spn_account *f = spn_model_account(m, g->frontend);
	for (uint32_t i = 0; i < f->n_delegate_to && !g->listed; i++)
		for (size_t k = 0; k < d->der.n && !g->listed; k++)
			if (strcasecmp(f->delegate_to[i], d->der.v[k].spn) == 0)
				g->listed = f->delegate_to[i];
	g->constrained = g->listed != NULL;
	g->protocol_transition = (f->uac & SPN_UAC_TRUSTED_TO_AUTH_FOR_DELEGATION) != 0;
	if (g->constrained)
		dl_add(l, a, "Constrained: %s may delegate to %s (msDS-AllowedToDelegateTo), %s.",
		       name_of(m, g->frontend), g->listed, g->protocol_transition ?
		       "with protocol transition (any first authentication)" :
		       "Kerberos only (the user must reach the front end with Kerberos)");
	else if (f->n_delegate_to)
		dl_add(l, a, "Constrained: %s's msDS-AllowedToDelegateTo lists %u name%s (%s%s), not %s.",
		       name_of(m, g->frontend), (unsigned)f->n_delegate_to,
		       f->n_delegate_to == 1 ? "" : "s", f->delegate_to[0],
		       f->n_delegate_to > 1 ? ", ..." : "", g->spn);
	else
		dl_add(l, a, "Constrained: %s has no msDS-AllowedToDelegateTo.", name_of(m, g->frontend));
}

/* The target's descriptor: does it allow (or deny) the front end? */
static void resource(struct spn_delegation *g, const struct spn_model *m, struct dlines *l,
                     struct spn_arena *a)
{
	if (g->target == SPN_NONE)
		return;
	const struct spn_account *t = spn_model_account(m, g->target);
	const struct spn_account *f = spn_model_account(m, g->frontend);
	if (!t->allowed_to_act) {
		dl_add(l, a, "Resource-based: %s has no msDS-AllowedToActOnBehalfOfOtherIdentity.",
		       name_of(m, g->target));
		return;
	}
	struct spn_sd sd;
	struct spn_err err;
	spn_err_init(&err);
	if (spn_sd_parse(t->allowed_to_act, t->allowed_to_act_len, &sd, &err) != SPN_OK) {
		dl_add(l, a, "Resource-based: %s's msDS-AllowedToActOnBehalfOfOtherIdentity cannot be "
		       "read (%s): a KDC ignores it.", name_of(m, g->target), err.msg);
		return;
	}
	const char *others = "";
	for (size_t i = 0; i < sd.nace; i++) {
		const struct spn_ace *ace = &sd.aces[i];
		uint32_t rid;
		const char *wk = spn_sid_well_known(&ace->sid);
		bool me = (f->has & SPN_HAS_SID) && spn_sid_domain_rid(&ace->sid, &rid) && rid == f->rid;
		bool everyone = wk && (strcmp(wk, "Everyone") == 0 || strcmp(wk, "Authenticated Users") == 0);
		if (me || everyone) {
			if (ace->kind == SPN_ACE_DENY)
				g->resource_denied = true;
			else
				g->resource = true;
			continue;
		}
		char sid[SPN_SID_TEXT_MAX];
		spn_sid_text(&ace->sid, sid, sizeof(sid));
		uint32_t who = spn_sid_domain_rid(&ace->sid, &rid) ? account_by_rid(m, t->domain, rid)
		                                                   : SPN_NONE;
		others = spn_arena_printf(a, "%s%s%s%s%s%s", others ? others : "",
		                          others && *others ? ", " : "", wk ? wk : sid,
		                          who != SPN_NONE ? " (" : "",
		                          who != SPN_NONE ? name_of(m, who) : "", who != SPN_NONE ? ")" : "");
	}
	if (g->resource_denied)
		dl_add(l, a, "Resource-based: %s's msDS-AllowedToActOnBehalfOfOtherIdentity denies %s "
		       "(a deny entry wins).", name_of(m, g->target), name_of(m, g->frontend));
	else if (g->resource)
		dl_add(l, a, "Resource-based: %s's msDS-AllowedToActOnBehalfOfOtherIdentity allows %s.",
		       name_of(m, g->target), name_of(m, g->frontend));
	else
		dl_add(l, a, "Resource-based: %s's msDS-AllowedToActOnBehalfOfOtherIdentity allows "
		       "%s, not %s.", name_of(m, g->target), others && *others ? others : "nobody",
		       name_of(m, g->frontend));
}

static enum spn_rc frontend(struct spn_delegation *g, const struct spn_model *m, const char *via,
                            struct spn_err *err)
{
	uint32_t ids[8];
	size_t n = spn_model_find_account(m, via, ids, 8);
	if (n == 0)
		return spn_err_set(err, SPN_USAGE, "--via: no account '%s' in the directory read", via);
	if (n > 1)
		return spn_err_set(err, SPN_USAGE, "--via: '%s' names %zu accounts; give a DN or "
		                   "DOMAIN\\name", via, n);
	g->frontend = ids[0];
	return SPN_OK;
}

static const char *cmdlet(const struct spn_model *m, uint32_t id)
{
	return spn_kind_is_computer((enum spn_kind)spn_model_account(m, id)->kind) ? "Set-ADComputer"
	                                                                           : "Set-ADUser";
}

/* s as a word for sh (sh) or for PowerShell (else), in arena a; NULL when
 * it cannot be put on that command line safely (base/cmdline_word.h). */
static const char *word(struct spn_arena *a, const char *s, bool sh)
{
	char buf[SPN_CMDLINE_WORD_MAX];
	if (!(sh ? spn_sh_word(s, buf, sizeof(buf)) : spn_cmd_word(s, buf, sizeof(buf))))
		return NULL;
	return spn_arena_strndup(a, buf, strlen(buf));
}

/* The commands that allow the delegation: samba-tool's operands after
 * "--" (a name starting with '-' stays a name); a command whose names
 * cannot be put on its command line safely is left out, and when both
 * are, the fix says so. */
static void advise(struct spn_delegation *g, const struct spn_model *m, struct dlines *fixes,
                   struct spn_arena *a)
{
	if (g->ntargets != 1 || g->kind != SPN_DELEG_NONE || g->target == SPN_NONE)
		return;
	const char *f = name_of(m, g->frontend), *t = name_of(m, g->target);
	const char *sf = word(a, f, true), *st = word(a, t, true), *ss = word(a, g->spn, true);
	const char *pf = word(a, f, false), *pt = word(a, t, false), *ps = word(a, g->spn, false);
	bool sh = sf && st && ss, win = pf && pt && ps;
	if (!sh && !win) {
		dl_add(fixes, a, "Allow the delegation from %s to %s, constrained or resource-based. No "
		       "command line for this: a name holds characters a command line cannot carry "
		       "safely.", f, t);
		return;
	}
	/* ps passed spn_cmd_word: no '\'' in it, so '...' holds it as it is. */
	const char *con_sh = sh ? spn_arena_printf(a, "samba-tool delegation add-service -- %s %s",
	                                           sf, ss) : NULL;
	const char *con_win = win ? spn_arena_printf(a, "%s %s -Add @{'msDS-AllowedToDelegateTo'="
	                                             "'%s'}", cmdlet(m, g->frontend), pf,
	                                             g->spn) : NULL;
	const char *rb_sh = sh ? spn_arena_printf(a, "samba-tool delegation add-principal -- %s %s",
	                                          st, sf) : NULL;
	const char *rb_win = win ? spn_arena_printf(a, "%s %s -PrincipalsAllowedToDelegateToAccount "
	                                            "%s", cmdlet(m, g->target), pt, pf) : NULL;
	if ((sh && (!con_sh || !rb_sh)) || (win && (!con_win || !rb_win))) {
		fixes->nomem = true;
		return;
	}
	if (sh && win)
		dl_add(fixes, a, "Allow the delegation - constrained: %s (Windows: %s); or "
		       "resource-based: %s (Windows: %s).", con_sh, con_win, rb_sh, rb_win);
	else
		dl_add(fixes, a, "Allow the delegation - constrained: %s; or resource-based: %s.%s",
		       sh ? con_sh : con_win, sh ? rb_sh : rb_win,
		       sh ? " (No Windows line: a name holds characters cmd.exe or PowerShell would "
		            "read as more than a word.)" :
		            " (No samba-tool line: a name holds characters a shell cannot carry safely.)");
}

enum spn_rc dw_delegation(struct spn_doctor *d, const struct spn_model *m, const char *via,
                          struct dlines *fixes, struct spn_err *err)
{
	struct spn_delegation *g = &d->deleg;
	struct dlines l = {0};
	memset(g, 0, sizeof(*g));
	g->via = via;
	g->spn = d->der.n ? d->der.v[0].spn : d->text;
	enum spn_rc rc = frontend(g, m, via, err);
	if (rc)
		return rc;
	if (d->diags.n)
		find_target(g, &d->diags.v[0]);
	else
		g->target = SPN_NONE;
	if (g->ntargets == 1 && g->target != SPN_NONE)
		dl_add(&l, &d->arena, "%s leads to one account: %s.", g->spn, name_of(m, g->target));
	else if (g->ntargets == 0)
		dl_add(&l, &d->arena, "%s leads to no account: there is nothing to delegate to.", g->spn);
	else
		dl_add(&l, &d->arena, "%s leads to %zu accounts: the KDC refuses it, delegated or not.",
		       g->spn, g->ntargets);
	if (!spn_model_account(m, g->frontend)->nspn)
		dl_add(&l, &d->arena, "%s holds no SPN: it cannot receive Kerberos tickets, so it has "
		       "no user ticket to delegate (S4U2Self needs an SPN too).", name_of(m, g->frontend));
	constrained(g, d, m, &l, &d->arena);
	resource(g, m, &l, &d->arena);
	g->unconstrained = (spn_model_account(m, g->frontend)->uac & SPN_UAC_TRUSTED_FOR_DELEGATION) != 0;
	if (g->unconstrained)
		dl_add(&l, &d->arena, "Unconstrained: %s is trusted for delegation to any service "
		       "(TRUSTED_FOR_DELEGATION): it works, and it is the riskiest setting there is.",
		       name_of(m, g->frontend));
	g->kind = g->constrained ? SPN_DELEG_CONSTRAINED :
	          g->resource && !g->resource_denied ? SPN_DELEG_RESOURCE :
	          g->unconstrained ? SPN_DELEG_UNCONSTRAINED : SPN_DELEG_NONE;
	advise(g, m, fixes, &d->arena);
	if (!dl_keep(&l, &d->arena, &g->lines, &g->nlines))
		return spn_err_set(err, SPN_NOMEM, "out of memory checking delegation");
	d->have_delegation = true;
	return SPN_OK;
}
