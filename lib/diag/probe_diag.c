/*
 * probe_diag.c - the KDC's answer for an SPN read against the directory
 * (spn/diag.h): the holders in the KDC's domain (and of HOST/<host> for an
 * alias class), whose key an issued ticket is (resolve's account, checked
 * by the ticket's kvno against msDS-KeyVersionNumber), why a refusal
 * happened (two holders, nobody - and who most likely should -, no key of
 * a usable type: no password, no AES keys, RC4 or DES only), resolve's
 * prediction against the answer, and the spnctl commands that fix it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag_int.h"
#include "spn/owner.h"

const char *spn_agreement_name(enum spn_agreement a)
{
	switch (a) {
	case SPN_AGREE: return "agrees";
	case SPN_DISAGREE: return "disagrees";
	case SPN_AGREE_NOT_ASKED: return "not-asked";
	}
	return "?";
}

void spn_diags_init(struct spn_diags *d)
{
	memset(d, 0, sizeof(*d));
	spn_resolutions_init(&d->res);
	spn_arena_init(&d->arena);
}

void spn_diags_release(struct spn_diags *d)
{
	free(d->v);
	spn_resolutions_release(&d->res);
	spn_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

int spn_diag_status(const struct spn_diag *d)
{
	if (!spn_probe_asked(d->probe->status))
		return 2;
	if (d->probe->status != SPN_PROBE_ISSUED)
		return 1;
	return d->keytab && !d->keytab_opens ? 1 : 0;
}

/* ---- The directory's side ---- */

/* The model's spelling of the realm's domain, or NULL. */
static const char *realm_domain(const struct spn_model *m, const char *principal)
{
	const char *at = principal ? strrchr(principal, '@') : NULL;
	if (!at)
		return NULL;
	for (size_t i = 0; i < spn_model_ndomains(m); i++)
		if (strcasecmp(spn_model_domain(m, i), at + 1) == 0)
			return spn_model_domain(m, i);
	return NULL;
}

/* Accounts of domain d (NULL: any) holding name[0..n). */
static size_t holders_of(const struct spn_model *m, const char *name, size_t n, const char *d,
                         uint32_t *out)
{
	size_t k = 0;
	for (uint32_t v = spn_model_find_spn(m, name, n); v != SPN_NONE;
	     v = spn_model_value(m, v)->next_same) {
		uint32_t acc = spn_model_value(m, v)->account;
		if (d && strcmp(spn_model_account(m, acc)->domain, d) != 0)
			continue;
		bool seen = false;
		for (size_t i = 0; i < k && i < SPN_DIAG_MAX_HOLDERS; i++)
			seen |= out[i] == acc;
		if (seen)
			continue;
		if (k < SPN_DIAG_MAX_HOLDERS)
			out[k] = acc;
		k++;
	}
	return k;
}

static void find_holders(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	d->nholders = holders_of(w->m, d->spn, strlen(d->spn), d->domain, d->holders);
	struct spn_alias_key k;
	if (!w->parsed || !spn_alias_key(spn_model_aliases(w->m), d->spn, strlen(d->spn), &k))
		return;
	/* As resolve and Samba map it: the class replaced, host[:port] kept. */
	d->alias_spn = dw_fmt(w, "%s/%.*s", k.target, (int)k.host.n, k.host.p);
	if (d->alias_spn)
		d->nalias_holders = holders_of(w->m, d->alias_spn, strlen(d->alias_spn), d->domain,
		                               d->alias_holders);
}

/* The computer whose name is the SPN's host (sAMAccountName = first label
 * + '$', or dNSHostName = host), in the domain; SPN_NONE if none. */
static uint32_t computer_named(const struct dwork *w)
{
	const struct spn_parts *p = &w->parts;
	const char *dot = memchr(p->host.p, '.', p->host.n);
	size_t ln = dot ? (size_t)(dot - p->host.p) : p->host.n;
	for (uint32_t i = 0; i < spn_model_naccounts(w->m); i++) {
		const struct spn_account *a = spn_model_account(w->m, i);
		if (!spn_kind_is_computer((enum spn_kind)a->kind) ||
		    (w->d.domain && strcmp(a->domain, w->d.domain) != 0))
			continue;
		if (a->dns_host && strlen(a->dns_host) == p->host.n &&
		    strncasecmp(a->dns_host, p->host.p, p->host.n) == 0)
			return i;
		if (a->sam && strlen(a->sam) == ln + 1 && a->sam[ln] == '$' &&
		    strncasecmp(a->sam, p->host.p, ln) == 0)
			return i;
	}
	return SPN_NONE;
}

/* Another SPN of the same class and host (another port, instance or
 * service part) in the domain: its value id, else SPN_NONE. */
static uint32_t near_miss(const struct dwork *w)
{
	const struct spn_parts *p = &w->parts;
	for (uint32_t i = 0; i < spn_model_nvalues(w->m); i++) {
		const struct spn_value *v = spn_model_value(w->m, i);
		struct spn_parts q;
		if (v->flags & SPN_VALUE_MALFORMED || spn_parse(v->str, v->len, &q) != SPN_SYNTAX_OK)
			continue;
		if (q.cls.n != p->cls.n || q.host.n != p->host.n ||
		    strncasecmp(q.cls.p, p->cls.p, p->cls.n) != 0 ||
		    strncasecmp(q.host.p, p->host.p, p->host.n) != 0 ||
		    strcasecmp(v->str, w->d.spn) == 0)
			continue;
		if (w->d.domain && strcmp(spn_model_account(w->m, v->account)->domain, w->d.domain) != 0)
			continue;
		return i;
	}
	return SPN_NONE;
}

/* ---- Why the KDC said what it said ---- */

static void why_duplicate(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	size_t shown = d->nholders < SPN_DIAG_MAX_HOLDERS ? d->nholders : SPN_DIAG_MAX_HOLDERS;
	d->verdict = dw_fmt(w, "refused: %zu accounts hold it", d->nholders);
	dw_why(w, "%s is registered on %zu accounts in %s; the KDC cannot tell which one runs the "
	       "service, so it refuses every ticket for this name (a Windows KDC logs event 11) and "
	       "clients fall back to NTLM or fail.", d->spn, d->nholders,
	       d->domain ? d->domain : "the domain");
	struct spn_owner o;
	struct spn_err err;
	spn_owner_init(&o);
	spn_err_init(&err);
	if (spn_owner_decide(w->m, d->spn, strlen(d->spn), d->holders, shown, SPN_NONE, &o, &err)) {
		w->nomem |= err.rc == SPN_NOMEM;
		spn_owner_release(&o);
		return;
	}
	if (o.decided) {
		const char *ev = "";
		for (size_t i = 0; i < o.c[0].nev; i++)
			if (o.c[0].ev[i].points > 0)
				ev = dw_fmt(w, "%s%s%s", ev ? ev : "", ev && *ev ? "; " : "", o.c[0].ev[i].text);
		dw_why(w, "%s most likely runs the service%s%s%s: %s.", dw_name(w->m, o.c[0].account),
		       ev && *ev ? " (" : "", ev ? ev : "", ev && *ev ? ")" : "", o.why);
		for (size_t i = 1; i < o.n; i++)
			dw_cmd(w, "rm", d->spn, dw_name(w->m, o.c[i].account), NULL);
		dw_fix(w, "(or spnctl fix --only duplicate-spn --apply: the same, with an undo file)");
	} else {
		dw_why(w, "Which account runs the service is not clear: %s.", o.why);
		dw_fix(w, "spnctl fix --only duplicate-spn --keep ACCOUNT --apply (ACCOUNT: the one the "
		       "service runs as)");
	}
	spn_owner_release(&o);
}

static void why_nobody(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	d->verdict = "refused: nobody holds it";
	if (d->alias_spn)
		dw_why(w, "No account in %s holds %s, nor %s (its class is a HOST alias).",
		       d->domain ? d->domain : "the domain", d->spn, d->alias_spn);
	else
		dw_why(w, "No account in %s holds %s.", d->domain ? d->domain : "the domain", d->spn);
	if (!w->parsed)
		return;
	uint32_t miss = near_miss(w);
	uint32_t comp = computer_named(w);
	bool machine = spn_class_runs_as_machine(spn_model_aliases(w->m), w->parts.cls.p,
	                                         w->parts.cls.n);
	if (miss != SPN_NONE) {
		const struct spn_value *v = spn_model_value(w->m, miss);
		dw_why(w, "%s holds %s: the same service under another name (port, instance or service "
		       "part), so clients ask for a name that was never registered.",
		       dw_account(w, v->account), v->str);
	}
	if (comp != SPN_NONE && (machine || miss == SPN_NONE))
		dw_why(w, "%s is the computer named %.*s%s.", dw_account(w, comp), (int)w->parts.host.n,
		       w->parts.host.p, machine ? ", and this class runs as the machine" :
		       ": the owner if the service runs as LocalSystem or NetworkService, not if it runs "
		       "under a service account");
	if (machine && comp != SPN_NONE)
		d->likely_owner = comp;
	else if (miss != SPN_NONE)
		d->likely_owner = spn_model_value(w->m, miss)->account;
	else
		d->likely_owner = comp;
	if (d->likely_owner != SPN_NONE)
		dw_cmd(w, "add", d->spn, dw_name(w->m, d->likely_owner), NULL);
	else
		dw_cmd(w, "add", d->spn, NULL, " ACCOUNT (ACCOUNT: the one the service runs as)");
	const char *comp_word = comp != SPN_NONE ? dw_word(w, dw_name(w->m, comp)) : NULL;
	if (machine && comp_word && d->alias_spn)
		dw_fix(w, "(or spnctl reset -- %s: puts back its HOST/ SPNs, which serve %.*s/ too)",
		       comp_word, (int)w->parts.cls.n, w->parts.cls.p);
}

/* The account the KDC found: the only holder, else the only alias holder. */
static uint32_t found_account(const struct spn_diag *d)
{
	if (d->nholders == 1)
		return d->holders[0];
	if (d->nholders == 0 && d->nalias_holders == 1)
		return d->alias_holders[0];
	return SPN_NONE;
}

/* host/NAME (two parts) with nobody holding it: Samba's KDC also finds the
 * computer whose cn is NAME's first label. That computer, or SPN_NONE. */
static uint32_t samba_host_match(const struct dwork *w)
{
	const struct spn_parts *p = &w->parts;
	if (!w->parsed || p->ncomp != 2 || p->port.n || p->cls.n != 4 ||
	    strncasecmp(p->cls.p, "host", 4) != 0 || w->d.nholders)
		return SPN_NONE;
	return computer_named(w);
}

static void why_no_key(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	uint32_t id = found_account(d);
	d->verdict = "refused: no usable key";
	if (id == SPN_NONE && (id = samba_host_match(w)) != SPN_NONE)
		dw_why(w, "Nobody holds %s, but a Samba KDC also matches host/NAME to the computer "
		       "named NAME: it found %s.", d->spn, dw_account(w, id));
	if (id == SPN_NONE) {
		dw_why(w, "The KDC found an account for %s but no key of a type both sides allow.", d->spn);
		return;
	}
	d->likely_owner = id;
	const struct spn_account *a = spn_model_account(w->m, id);
	const char *who = dw_account(w, id);
	char bits[256];
	spn_enctype_bits_text(a->enctypes, bits, sizeof(bits));
	bool never = (a->has & SPN_HAS_PWDLASTSET) && a->pwd_last_set == 0;
	if (never)
		dw_why(w, "%s has never had a password set (pwdLastSet is 0), so it has no keys at all.",
		       who);
	if (a->uac & SPN_UAC_USE_DES_KEY_ONLY)
		dw_why(w, "%s is marked 'use only DES' (userAccountControl 0x200000): DES is off in "
		       "current KDCs and clients.", who);
	if (never) {
		/* No keys of any type: the types it allows do not matter yet. */
	} else if (!(a->has & SPN_HAS_ENCTYPES) || a->enctypes == 0) {
		dw_why(w, "msDS-SupportedEncryptionTypes is not set on %s: the KDC's default applies "
		       "(RC4 and AES until the 2026 hardening, then AES only).", dw_name(w->m, id));
	} else if ((a->enctypes & 0x18) && !(a->enctypes & 0x4)) {
		dw_why(w, "%s allows only AES (msDS-SupportedEncryptionTypes 0x%x: %s): an account "
		       "whose password was last set before it had AES keys has none; a password reset "
		       "makes them.", dw_name(w->m, id), (unsigned)a->enctypes, bits);
	} else if ((a->enctypes & 0x4) && !(a->enctypes & 0x18)) {
		dw_why(w, "%s allows only RC4 (msDS-SupportedEncryptionTypes 0x%x: %s): a client or "
		       "KDC with RC4 disabled (permitted_enctypes, the 2026 hardening) finds no type in "
		       "common.", dw_name(w->m, id), (unsigned)a->enctypes, bits);
	} else if (!(a->enctypes & 0x1c)) {
		dw_why(w, "%s allows only DES (msDS-SupportedEncryptionTypes 0x%x: %s).",
		       dw_name(w->m, id), (unsigned)a->enctypes, bits);
	}
	if (a->has & SPN_HAS_ENCTYPES && !(a->enctypes & 0x1c))
		dw_fix(w, "Set msDS-SupportedEncryptionTypes of %s to 0x18 (AES), then reset its password.",
		       dw_name(w->m, id));
	bool computer = spn_kind_is_computer((enum spn_kind)a->kind);
	/* No samba-tool line for a name a shell cannot carry safely. */
	const char *word = dw_word(w, dw_name(w->m, id));
	const char *samba = word ? dw_fmt(w, "; Samba: samba-tool user setpassword -- %s", word) : "";
	if (computer)
		dw_fix(w, "Reset the password of %s (rejoin it, or Reset-ComputerMachinePassword on it%s), "
		       "then probe again: the reset makes keys of every type it allows.",
		       dw_name(w->m, id), samba ? samba : "");
	else
		dw_fix(w, "Reset the password of %s (Set-ADAccountPassword%s), then probe again: the "
		       "reset makes keys of every type it allows.", dw_name(w->m, id), samba ? samba : "");
}

static void why_refused(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	const struct spn_probe_result *p = d->probe;
	d->verdict = dw_fmt(w, "refused: %s", p->code_name ? p->code_name : "the KDC said no");
	if (p->code_name && strcmp(p->code_name, "KDC_ERR_MUST_USE_USER2USER") == 0)
		dw_why(w, "The KDC wants user-to-user: the name belongs to a user account that has no "
		       "SPN of its own (or holds it only as its UPN); services register SPNs.");
	else if (p->code_name && strcmp(p->code_name, "KDC_ERR_POLICY") == 0)
		dw_why(w, "The KDC's policy forbids this ticket (a protected account, an authentication "
		       "policy or silo, or a disabled account).");
	uint32_t id = found_account(d);
	if (id != SPN_NONE && spn_account_disabled(spn_model_account(w->m, id)))
		dw_why(w, "%s is disabled.", dw_account(w, id));
}

/* The KDC knows the name but the directory shows one holder: what resolve
 * says about it (3-part domain SPN on a non-DC, Samba's computer-name
 * match) is in its steps; here only the plain statement. */
static void why_unknown_with_holder(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	d->verdict = "refused: the KDC does not find it";
	uint32_t id = found_account(d);
	dw_why(w, "The directory shows %s holding %s%s, yet the KDC answers "
	       "KDC_ERR_S_PRINCIPAL_UNKNOWN: the DC the KDC reads may not have it yet (replication), "
	       "or the KDC refuses this name for that account.", dw_account(w, id),
	       d->nholders ? d->spn : d->alias_spn, d->nholders ? "" : " (the HOST alias)");
	if (w->have_pred)
		for (size_t i = 0; i < w->pred.nsteps; i++)
			if (strstr(w->pred.steps[i], "refuses") || strstr(w->pred.steps[i], "not unique"))
				dw_why(w, "%s", w->pred.steps[i]);
}

static void why_answer(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	switch (d->probe->status) {
	case SPN_PROBE_ISSUED:
		d->verdict = "ticket issued";
		break;
	case SPN_PROBE_UNKNOWN:
	case SPN_PROBE_NOT_UNIQUE:
		if (d->nholders > 1 || (d->nholders == 0 && d->nalias_holders > 1)) {
			if (d->nholders == 0) {   /* the alias HOST/<host> is the duplicate */
				memcpy(d->holders, d->alias_holders, sizeof(d->holders));
				d->nholders = d->nalias_holders;
			}
			why_duplicate(w);
		} else if (d->nholders == 0 && d->nalias_holders == 0) {
			why_nobody(w);
		} else {
			why_unknown_with_holder(w);
		}
		break;
	case SPN_PROBE_NO_KEY:
		why_no_key(w);
		break;
	case SPN_PROBE_REFUSED:
		why_refused(w);
		break;
	default:
		d->verdict = "could not ask the KDC";
		break;
	}
}

/* ---- An issued ticket: whose key ---- */

static void key_of_ticket(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	const struct spn_probe_result *p = d->probe;
	uint32_t id = SPN_NONE;
	if (w->have_pred && (w->pred.outcome == SPN_OUTCOME_TICKET ||
	                     w->pred.outcome == SPN_OUTCOME_WRONG_KEY))
		id = w->pred.account;
	if (id == SPN_NONE)
		id = found_account(d);
	const char *et = spn_enctype_name(p->enctype);
	char etbuf[32];
	if (!et) {
		snprintf(etbuf, sizeof(etbuf), "enctype %d", (int)p->enctype);
		et = etbuf;
	}
	if (id == SPN_NONE) {
		d->key_text = dw_fmt(w, "%s, kvno %u: the directory shows no single account for this "
		                     "name, so whose key it is cannot be said", et, (unsigned)p->kvno);
		return;
	}
	d->key_account = id;
	const struct spn_account *a = spn_model_account(w->m, id);
	const char *kv;
	if (!(a->has & SPN_HAS_KVNO)) {
		kv = dw_fmt(w, "no msDS-KeyVersionNumber was read for %s to compare", dw_name(w->m, id));
	} else if (a->kvno == p->kvno) {
		d->kvno_match = SPN_KVNO_SAME;
		kv = dw_fmt(w, "kvno %u is its msDS-KeyVersionNumber", (unsigned)p->kvno);
	} else {
		d->kvno_match = SPN_KVNO_DIFFERS;
		kv = dw_fmt(w, "but its msDS-KeyVersionNumber is %u: the KDC used another key version "
		            "(the DC read is not the KDC's, replication pending) or another account's key",
		            (unsigned)a->kvno);
	}
	const char *rc4 = "";
	if (p->enctype == 23 && (!(a->has & SPN_HAS_ENCTYPES) || a->enctypes == 0))
		rc4 = "; RC4 because msDS-SupportedEncryptionTypes is not set on it";
	else if (p->enctype == 23 && (a->enctypes & 0x18))
		rc4 = "; RC4 although it allows AES: it has no AES keys yet (reset its password)";
	d->key_text = dw_fmt(w, "%s, kvno %u: the key of %s; %s%s", et, (unsigned)p->kvno,
	                     dw_account(w, id), kv, rc4);
	if (w->have_pred && w->pred.outcome == SPN_OUTCOME_WRONG_KEY && w->pred.summary)
		dw_why(w, "%s", w->pred.summary);
	if (w->have_pred && w->pred.outcome == SPN_OUTCOME_WRONG_KEY && d->nholders == 1 &&
	    d->nalias_holders >= 1 && d->alias_spn)
	{
		dw_why(w, "Removing %s from %s lets %s on %s serve it again.", d->spn,
		       dw_name(w->m, id), d->alias_spn, dw_name(w->m, d->alias_holders[0]));
		dw_cmd(w, "rm", d->spn, dw_name(w->m, id), NULL);
	}
}

/* ---- resolve's prediction ---- */

static bool refusal(enum spn_outcome o)
{
	return o == SPN_OUTCOME_NOT_FOUND || o == SPN_OUTCOME_NOT_UNIQUE || o == SPN_OUTCOME_MALFORMED;
}

static void compare_prediction(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	enum spn_probe_status st = d->probe->status;
	if (!spn_probe_asked(st)) {
		d->agreement = SPN_AGREE_NOT_ASKED;
		return;
	}
	if (!w->have_pred)
		return;
	enum spn_outcome o = w->pred.outcome;
	bool issued = st == SPN_PROBE_ISSUED;
	bool name_refused = st == SPN_PROBE_UNKNOWN || st == SPN_PROBE_NOT_UNIQUE;
	const char *who = w->pred.account != SPN_NONE ? dw_name(w->m, w->pred.account) : NULL;
	if ((issued && !refusal(o)) || (name_refused && refusal(o))) {
		d->agreement = SPN_AGREE;
		d->prediction_text = dw_fmt(w, "resolve predicted %s%s%s; the KDC agrees",
		                            spn_outcome_name(o), who ? " for " : "", who ? who : "");
	} else if (!issued && !name_refused && refusal(o) && samba_host_match(w) != SPN_NONE) {
		d->agreement = SPN_DISAGREE;
		d->prediction_text = dw_fmt(w, "resolve predicted %s, but the KDC found %s: a Samba KDC "
		                            "matches host/NAME to the computer named NAME, which resolve "
		                            "notes but does not predict (a Windows KDC does not)",
		                            spn_outcome_name(o), dw_name(w->m, samba_host_match(w)));
	} else if (!issued && !name_refused && !refusal(o)) {
		/* Found, but no key or another refusal: resolve models names only. */
		d->agreement = SPN_AGREE;
		d->prediction_text = dw_fmt(w, "resolve predicted %s%s%s: the KDC found the name too, "
		                            "but %s (resolve does not model keys or policy)",
		                            spn_outcome_name(o), who ? " for " : "", who ? who : "",
		                            st == SPN_PROBE_NO_KEY ? "has no usable key" : "refused it");
	} else {
		d->agreement = SPN_DISAGREE;
		d->prediction_text = dw_fmt(w, "resolve predicted %s%s%s, but the KDC %s: the directory "
		                            "as read here is not what the KDC sees (another DC, "
		                            "replication) or this KDC looks names up unlike AD",
		                            spn_outcome_name(o), who ? " for " : "", who ? who : "",
		                            issued ? "issued a ticket" : "refused the name");
	}
}

/* ---- Putting it together ---- */

static enum spn_rc predict(struct dwork *w, struct spn_err *err)
{
	struct spn_resolutions *res = &w->out->res;
	size_t before = res->n;
	const char *dom = realm_domain(w->m, w->d.probe->principal);
	enum spn_rc rc = spn_resolve(w->m, w->d.spn, dom, res, err);
	if (rc == SPN_USAGE)
		return SPN_OK;   /* a name resolve cannot take: no prediction */
	if (rc)
		return rc;
	if (res->n > before) {
		w->pred = res->v[before];
		w->have_pred = true;
		w->d.domain = w->pred.domain && *w->pred.domain ? w->pred.domain : dom;
	} else {
		w->d.domain = dom;
	}
	return SPN_OK;
}

static enum spn_rc finish(struct dwork *w, struct spn_err *err)
{
	struct spn_diags *out = w->out;
	struct spn_diag *d = &w->d;
	if (!w->nomem && (!dl_keep(&w->why, &out->arena, &d->why, &d->nwhy) ||
	                  !dl_keep(&w->fix, &out->arena, &d->fixes, &d->nfixes)))
		w->nomem = true;
	if (!w->nomem && w->have_pred) {
		struct spn_resolution *keep = spn_arena_alloc(&out->arena, sizeof(*keep));
		if (keep)
			*keep = w->pred;
		d->prediction = keep;
		w->nomem |= !keep;
	}
	if (!w->nomem && out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 4;
		struct spn_diag *v = realloc(out->v, cap * sizeof(*v));
		if (v) {
			out->v = v;
			out->cap = cap;
		}
		w->nomem |= !v;
	}
	if (w->nomem)
		return spn_err_set(err, SPN_NOMEM, "out of memory explaining %s", d->spn);
	out->v[out->n++] = *d;
	return SPN_OK;
}

enum spn_rc spn_diag_probe(const struct spn_model *m, const struct spn_probe_result *p,
                           const struct spn_keytab_check *k, struct spn_diags *out,
                           struct spn_err *err)
{
	struct dwork w;
	memset(&w, 0, sizeof(w));
	w.out = out;
	w.m = m;
	w.d.spn = p->spn;
	w.d.probe = p;
	w.d.keytab = k;
	w.d.key_account = w.d.likely_owner = SPN_NONE;
	w.parsed = spn_parse(p->spn, strlen(p->spn), &w.parts) == SPN_SYNTAX_OK;
	enum spn_rc rc = predict(&w, err);
	if (rc)
		return rc;
	find_holders(&w);
	why_answer(&w);
	if (p->status == SPN_PROBE_ISSUED)
		key_of_ticket(&w);
	compare_prediction(&w);
	if (k)
		dw_keytab(&w);
	return finish(&w, err);
}
