/*
 * doctor.c - `spnctl doctor TARGET` (spn/doctor.h): the service as named,
 * DNS's answer, the SPNs clients ask for, the KDC's answer and the keytab
 * for each, read against the directory (probe_diag.c), delegation from a
 * front end (delegation.c), one verdict and the fix for the whole service.
 */
#include <stdio.h>
#include <string.h>

#include "diag_int.h"
#include "spn/doctor.h"

void spn_doctor_init(struct spn_doctor *d)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < SPN_TARGET_MAX_SPNS; i++) {
		spn_probe_result_init(&d->probes[i]);
		spn_keytab_check_init(&d->keytabs[i]);
	}
	spn_diags_init(&d->diags);
	spn_arena_init(&d->arena);
}

void spn_doctor_release(struct spn_doctor *d)
{
	for (size_t i = 0; i < SPN_TARGET_MAX_SPNS; i++) {
		spn_probe_result_release(&d->probes[i]);
		spn_keytab_check_release(&d->keytabs[i]);
	}
	spn_diags_release(&d->diags);
	spn_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

enum spn_rc spn_doctor_prepare(struct spn_doctor *d, const char *target, struct spn_err *err)
{
	d->text = target;
	enum spn_rc rc = spn_target_parse(target, &d->target, err);
	if (rc)
		return rc;
	/* An SPN is asked for as it is: DNS changes nothing there. */
	if (d->target.scheme != SPN_SCHEME_SPN && d->target.host[0] &&
	    !spn_dns_canonical(d->target.host, d->canonical, sizeof(d->canonical), d->dns_why,
	                       sizeof(d->dns_why)))
		d->canonical[0] = '\0';
	struct spn_err ignored;
	spn_err_init(&ignored);
	(void)spn_probe_realm(NULL, d->realm, sizeof(d->realm), &ignored);
	char domain[256];
	size_t n = strlen(d->realm);
	for (size_t i = 0; i <= n && i < sizeof(domain); i++)
		domain[i] = (char)(d->realm[i] >= 'A' && d->realm[i] <= 'Z' ? d->realm[i] + 32 : d->realm[i]);
	domain[sizeof(domain) - 1] = '\0';
	return spn_target_derive(&d->target, d->canonical[0] ? d->canonical : NULL,
	                         domain[0] ? domain : NULL, &d->der, err);
}

enum spn_rc spn_doctor_ask(struct spn_doctor *d, const char *keytab, size_t *asked,
                           struct spn_err *err)
{
	*asked = 0;
	for (size_t i = 0; i < d->der.n; i++) {
		struct spn_probe_result *p = &d->probes[i];
		enum spn_rc rc = spn_probe(d->der.v[i].spn, NULL, p, err);
		if (rc)
			return rc;
		*asked += spn_probe_asked(p->status);
		if (keytab && p->status == SPN_PROBE_ISSUED) {
			if ((rc = spn_probe_open(p, keytab, &d->keytabs[i], err)))
				return rc;
			d->opened[i] = true;
		}
	}
	return SPN_OK;
}

/* The account the primary SPN's ticket is for (the service's account),
 * or SPN_NONE. */
static uint32_t service_account(const struct spn_doctor *d)
{
	return d->diags.n ? d->diags.v[0].key_account : SPN_NONE;
}

/* Every SPN's fixes, once each; a name the service's other clients ask
 * for and nobody holds goes to the service's account. */
static void gather_fixes(struct spn_doctor *d, const struct spn_model *m, struct dlines *fixes)
{
	uint32_t svc = service_account(d);
	for (size_t i = 0; i < d->diags.n; i++) {
		const struct spn_diag *x = &d->diags.v[i];
		bool nobody = x->probe->status == SPN_PROBE_UNKNOWN && x->nholders == 0 &&
		              x->nalias_holders == 0;
		if (i > 0 && nobody && svc != SPN_NONE) {
			const struct spn_account *a = spn_model_account(m, svc);
			const char *bad = NULL;
			bool nomem = false;
			const char *line = dl_cmd(&d->arena, "add", x->spn, a->sam ? a->sam : a->dn, NULL,
			                          &bad, &nomem);
			if (bad)
				line = dl_no_cmd(&d->arena, bad, &nomem);
			fixes->nomem |= nomem;
			if (line)
				dl_add(fixes, &d->arena, "%s", line);
			continue;
		}
		for (size_t k = 0; k < x->nfixes; k++)
			dl_add(fixes, &d->arena, "%s", x->fixes[k]);
	}
}

static bool works(const struct spn_doctor *d, size_t i)
{
	const struct spn_diag *x = &d->diags.v[i];
	return x->probe->status == SPN_PROBE_ISSUED && (!x->keytab || x->keytab_opens) &&
	       !(x->prediction && x->prediction->outcome == SPN_OUTCOME_WRONG_KEY);
}

static void verdict(struct spn_doctor *d)
{
	const char *v;
	if (!d->diags.n) {
		d->verdict = "no SPN to ask for";
		return;
	}
	const struct spn_diag *p = &d->diags.v[0];
	const char *who = spn_asker_text(d->der.v[0].asker);
	if (works(d, 0))
		v = spn_arena_printf(&d->arena, "%s gets a ticket the service can use: Kerberos works "
		                     "for %s", p->spn, who);
	else if (p->probe->status == SPN_PROBE_ISSUED)
		v = spn_arena_printf(&d->arena, "the KDC issues %s tickets, but the service cannot "
		                     "decrypt them (KRB_AP_ERR_MODIFIED): %s", p->spn,
		                     p->keytab && !p->keytab_opens ? "its keytab does not open them" :
		                     "the name is on another account than the service's");
	else if (!spn_probe_asked(p->probe->status))
		v = spn_arena_printf(&d->arena, "the KDC could not be asked about %s", p->spn);
	else
		v = spn_arena_printf(&d->arena, "Kerberos fails: %s is %s, so %s fall back to NTLM or "
		                     "fail", p->spn, p->verdict ? p->verdict : "refused", who);
	for (size_t i = 1; v && i < d->diags.n; i++)
		if (!works(d, i) && spn_probe_asked(d->diags.v[i].probe->status))
			v = spn_arena_printf(&d->arena, "%s; %s gets no usable ticket, so %s fall back to "
			                     "NTLM", v, d->diags.v[i].spn, spn_asker_text(d->der.v[i].asker));
	if (v && d->have_delegation)
		v = spn_arena_printf(&d->arena, "%s; delegation from %s: %s%s", v, d->deleg.via,
		                     spn_deleg_kind_name(d->deleg.kind),
		                     d->deleg.kind == SPN_DELEG_NONE ? " (not allowed)" :
		                     d->deleg.ntargets != 1 ? " (but the name leads to no single account)" : "");
	d->verdict = v;
}

enum spn_rc spn_doctor_finish(struct spn_doctor *d, const struct spn_model *m, const char *via,
                              struct spn_err *err)
{
	struct dlines fixes = {0};
	for (size_t i = 0; i < d->der.n; i++) {
		enum spn_rc rc = spn_diag_probe(m, &d->probes[i], d->opened[i] ? &d->keytabs[i] : NULL,
		                                &d->diags, err);
		if (rc)
			return rc;
	}
	gather_fixes(d, m, &fixes);
	if (via) {
		enum spn_rc rc = dw_delegation(d, m, via, &fixes, err);
		if (rc)
			return rc;
	}
	verdict(d);
	if (!d->verdict || !dl_keep(&fixes, &d->arena, &d->fixes, &d->nfixes))
		return spn_err_set(err, SPN_NOMEM, "out of memory diagnosing %s", d->text);
	return SPN_OK;
}

int spn_doctor_status(const struct spn_doctor *d)
{
	for (size_t i = 0; i < d->diags.n; i++)
		if (!spn_probe_asked(d->diags.v[i].probe->status))
			return 2;
	if (!d->diags.n || !works(d, 0))
		return 1;
	if (d->have_delegation && (d->deleg.kind == SPN_DELEG_NONE || d->deleg.ntargets != 1))
		return 1;
	return 0;
}
