/*
 * keytab_diag.c - a keytab against the ticket the KDC issued, in the
 * directory's terms: whose key the ticket is (the diagnosis's key account)
 * and whose keys the keytab holds (its principals matched to accounts), so
 * the KRB_AP_ERR_MODIFIED that otherwise shows only in the service's log
 * reads "the KDC encrypted this ticket for ACCOUNT (kvno N, type); this
 * keytab holds keys of OTHER (kvno M)". A kvno mismatch is told apart by
 * msDS-KeyVersionNumber: a password changed after the keytab was made, or
 * a keytab made for another account that held the name.
 */
#include <stdio.h>
#include <string.h>

#include "diag_int.h"

/* The account a keytab principal names: "DC1$@REALM" -> DC1$, "HTTP/web@REALM"
 * -> the holder of HTTP/web; SPN_NONE when the model has none or several. */
static uint32_t principal_account(const struct dwork *w, const char *principal)
{
	if (!principal)
		return SPN_NONE;
	char name[512];
	const char *at = strrchr(principal, '@');
	size_t n = at ? (size_t)(at - principal) : strlen(principal);
	if (n == 0 || n >= sizeof(name))
		return SPN_NONE;
	memcpy(name, principal, n);
	name[n] = '\0';
	if (strchr(name, '/')) {
		uint32_t v = spn_model_find_spn(w->m, name, n);
		if (v == SPN_NONE || spn_model_value(w->m, v)->next_same != SPN_NONE)
			return SPN_NONE;
		return spn_model_value(w->m, v)->account;
	}
	uint32_t ids[2];
	return spn_model_find_account(w->m, name, ids, 2) == 1 ? ids[0] : SPN_NONE;
}

/* "DC1$@CONTOSO.TEST (kvno 1) - DC1$, CN=DC1,..." for each distinct
 * (principal, kvno) of the keytab, up to a few. */
static const char *holdings(struct dwork *w, const struct spn_keytab_check *k, uint32_t *owner)
{
	const char *out = "";
	size_t shown = 0;
	*owner = SPN_NONE;
	bool one_owner = true;
	for (size_t i = 0; i < k->nkeys; i++) {
		const struct spn_keytab_key *key = &k->keys[i];
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = k->keys[j].kvno == key->kvno && k->keys[j].principal && key->principal &&
			      strcmp(k->keys[j].principal, key->principal) == 0;
		if (dup)
			continue;
		uint32_t acc = principal_account(w, key->principal);
		if (*owner == SPN_NONE && shown == 0)
			*owner = acc;
		else if (acc != *owner)
			one_owner = false;
		if (shown++ == 4) {
			out = dw_fmt(w, "%s, ...", out);
			break;
		}
		const char *who = acc != SPN_NONE ? dw_fmt(w, ", the account %s", dw_name(w->m, acc)) : "";
		out = dw_fmt(w, "%s%s%s (kvno %u%s)", out ? out : "", *out ? "; " : "",
		             key->principal ? key->principal : "?", (unsigned)key->kvno, who ? who : "");
		if (!out)
			return "";
	}
	if (!one_owner)
		*owner = SPN_NONE;
	return out ? out : "";
}

/* The highest kvno the keytab holds under the ticket's name. */
static uint32_t name_kvno(const struct spn_keytab_check *k, const char *server)
{
	uint32_t best = 0;
	for (size_t i = 0; i < k->nkeys; i++)
		if (k->keys[i].principal && server && strcmp(k->keys[i].principal, server) == 0 &&
		    k->keys[i].kvno > best)
			best = k->keys[i].kvno;
	return best;
}

/* The samba-tool line only for a principal a shell carries safely. */
static const char *export_hint(struct dwork *w, const char *principal)
{
	const char *word = principal ? dw_word(w, principal) : NULL;
	return dw_fmt(w, "Export the keytab again from the account that holds the name (Samba: "
	              "samba-tool domain exportkeytab%s%s; Windows: ktpass) and install it where the "
	              "service reads it.", word ? " FILE --principal=" : "", word ? word : "");
}

static void keytab_other_name(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	const struct spn_probe_result *p = d->probe;
	const struct spn_keytab_check *k = d->keytab;
	uint32_t owner;
	const char *has = holdings(w, k, &owner);
	const char *et = spn_enctype_name(p->enctype);
	const char *key = d->key_account != SPN_NONE ? dw_name(w->m, d->key_account) : p->server;
	d->keytab_text = dw_fmt(w, "the KDC encrypted this ticket for %s (kvno %u, %s); this keytab "
	                        "holds %s%s; none of them opens it: a service using it fails with "
	                        "KRB_AP_ERR_MODIFIED", key, (unsigned)p->kvno, et ? et : "?",
	                        k->nkeys ? "keys of " : "no keys", has);
	bool shadow = w->have_pred && w->pred.outcome == SPN_OUTCOME_WRONG_KEY;
	if (owner != SPN_NONE && owner == d->key_account) {
		dw_why(w, "The keytab holds keys of %s itself, under another name, and none opens the "
		       "ticket: its password changed after the keytab was made.", dw_name(w->m, owner));
		dw_fix(w, "%s", export_hint(w, p->server));
	} else if (owner != SPN_NONE && d->key_account != SPN_NONE) {
		if (!shadow)
			dw_why(w, "The service this keytab belongs to runs as %s, but the KDC issues %s "
			       "tickets under the key of %s: the name is registered on the wrong account.",
			       dw_name(w->m, owner), d->spn, dw_name(w->m, d->key_account));
		const char *add = NULL, *bad = NULL;
		if (!d->alias_spn)
			add = dl_cmd(&w->out->arena, "add", d->spn, dw_name(w->m, owner), NULL, &bad,
			             &w->nomem);
		const char *no = bad ? dl_no_cmd(&w->out->arena, bad, &w->nomem) : NULL;
		if (no)
			dw_fix(w, "%s", no);
		else if (!bad)
			dw_cmd(w, "rm", d->spn, dw_name(w->m, d->key_account),
			       add ? dw_fmt(w, " && %s", add) : NULL);
	} else {
		dw_fix(w, "%s", export_hint(w, p->server));
	}
}

static void keytab_other_kvno(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	const struct spn_probe_result *p = d->probe;
	uint32_t mine = name_kvno(d->keytab, p->server);
	const char *who = d->key_account != SPN_NONE ? dw_name(w->m, d->key_account) : "the holder";
	const struct spn_account *a =
		d->key_account != SPN_NONE ? spn_model_account(w->m, d->key_account) : NULL;
	bool current = a && (a->has & SPN_HAS_KVNO) && a->kvno == p->kvno;
	d->keytab_text = dw_fmt(w, "the KDC encrypted this ticket for %s with kvno %u%s; this "
	                        "keytab holds kvno %u for that name, and it does not open the ticket "
	                        "(KRB_AP_ERR_BADKEYVER)", p->server, (unsigned)p->kvno,
	                        current ? dw_fmt(w, " (%s's current key: its msDS-KeyVersionNumber)", who)
	                                : "", (unsigned)mine);
	if (mine < p->kvno)
		dw_why(w, "The keytab is older than %s's current key: the password changed after the "
		       "keytab was made%s.", who, current ? "" : ", or the name moved to this account "
		       "from another one since");
	else
		dw_why(w, "The keytab's kvno %u is newer than the ticket's %u: it was made for another "
		       "account that held %s, not for %s.", (unsigned)mine, (unsigned)p->kvno, d->spn, who);
	dw_fix(w, "%s", export_hint(w, p->server));
}

void dw_keytab(struct dwork *w)
{
	struct spn_diag *d = &w->d;
	const struct spn_keytab_check *k = d->keytab;
	const struct spn_probe_result *p = d->probe;
	const char *et = spn_enctype_name(p->enctype);
	switch (k->status) {
	case SPN_KEYTAB_OPENED:
	case SPN_KEYTAB_OPENED_OTHER:
		d->keytab_opens = true;
		d->keytab_text = k->summary;
		break;
	case SPN_KEYTAB_NO_NAME:
		keytab_other_name(w);
		break;
	case SPN_KEYTAB_OTHER_KVNO:
		keytab_other_kvno(w);
		break;
	case SPN_KEYTAB_NO_ENCTYPE:
		d->keytab_text = k->summary;
		dw_why(w, "The keytab has the name and kvno but no %s key, the type the KDC chose.",
		       et ? et : "?");
		dw_fix(w, "Export the keytab again with every type the account allows, or limit "
		       "msDS-SupportedEncryptionTypes of %s to the types the service's keytab holds.",
		       d->key_account != SPN_NONE ? dw_name(w->m, d->key_account) : "the holder");
		break;
	case SPN_KEYTAB_WRONG_KEY:
		d->keytab_text = k->summary;
		dw_why(w, "The key stored for this name, kvno and type is not the account's: the keytab "
		       "was made from another password, or for another account that held the name.");
		dw_fix(w, "%s", export_hint(w, p->server));
		break;
	}
}
