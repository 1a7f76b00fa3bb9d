/*
 * whole.c - is a model plausibly a whole directory? A real domain always
 * has domain controllers, and they hold SPNs: a source without entries,
 * a model without accounts, without a single SPN or without any DC is a
 * broken export (an empty file, "version: 1" alone, a search that found
 * nothing or asked for too little), and an audit of it would read as a
 * clean bill it is not.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model_int.h"

/* The SPN class only domain controllers carry: DRS replication. */
#define DRS_CLASS "E3514235-4B06-11D1-AB04-00C04FC2DCD2/"

/* Without userAccountControl a DC is still told by where it lives
 * (OU=Domain Controllers) or by its replication SPN. */
static bool looks_like_dc(const struct spn_model *m, const struct spn_account *a)
{
	if (a->kind == SPN_KIND_DC || a->kind == SPN_KIND_RODC)
		return true;
	if (a->kind != SPN_KIND_COMPUTER && a->kind != SPN_KIND_UNKNOWN)
		return false;
	if (strcasestr(a->dn, ",OU=Domain Controllers,"))
		return true;
	for (uint32_t i = 0; i < a->nspn; i++) {
		const struct spn_value *v = &m->val[a->spn_first + i];
		if (v->len > sizeof(DRS_CLASS) - 1 &&
		    strncasecmp(v->str, DRS_CLASS, sizeof(DRS_CLASS) - 1) == 0)
			return true;
	}
	return false;
}

bool spn_model_has_dc(const struct spn_model *m)
{
	for (size_t i = 0; i < m->nacc; i++)
		if (looks_like_dc(m, &m->acc[i]))
			return true;
	return false;
}

/* "'a.ldif'" or "'a.ldif' and 'b.ldif'" (the first few) into buf. */
static const char *sources(const struct spn_model *m, char *buf, size_t cap)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < m->nsrc && i < 4 && k < cap; i++) {
		int r = snprintf(buf + k, cap - k, "%s'%s'", i == 0 ? "" : i + 1 == m->nsrc ? " and " : ", ",
		                 m->src[i].name);
		if (r < 0)
			break;
		k += (size_t)r;
	}
	if (m->nsrc > 4 && k < cap)
		snprintf(buf + k, cap - k, " and %zu more", m->nsrc - 4);
	return buf;
}

enum spn_rc spn_model_check_whole(const struct spn_model *m, struct spn_err *err)
{
	char names[512];
	unsigned long long na = m->accounts_seen;
	for (size_t i = 0; i < m->nsrc; i++)
		if (m->src[i].entries == 0)
			return spn_err_set(err, SPN_INPUT, "'%s' holds no entries (an empty file, "
			                   "'version: 1' alone, or a search that found nothing)",
			                   m->src[i].name);
	if (na == 0)
		return spn_err_set(err, SPN_INPUT, "%s: no account in %llu entr%s",
		                   sources(m, names, sizeof(names)), (unsigned long long)m->entries,
		                   m->entries == 1 ? "y" : "ies");
	if (m->nval == 0)
		return spn_err_set(err, SPN_INPUT, "%s: not a single SPN in %llu account%s (did the "
		                   "export ask for servicePrincipalName?)",
		                   sources(m, names, sizeof(names)), na, na == 1 ? "" : "s");
	if (!spn_model_has_dc(m))
		return spn_err_set(err, SPN_INPUT, "%s: no domain controller among %llu account%s",
		                   sources(m, names, sizeof(names)), na,
		                   na == 1 ? "" : "s");
	return SPN_OK;
}
