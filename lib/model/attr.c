/*
 * attr.c - the attributes spnctl reads, by id and by name; which of them
 * every export of a whole domain carries, what goes unjudged without them,
 * and which the sources of a model lack.
 */
#include <string.h>
#include <strings.h>

#include "model_int.h"

static const char *const names[SPN_A_COUNT] = {
	[SPN_A_OBJECTCLASS] = "objectClass",
	[SPN_A_SAMACCOUNTNAME] = "sAMAccountName",
	[SPN_A_USERPRINCIPALNAME] = "userPrincipalName",
	[SPN_A_DNSHOSTNAME] = "dNSHostName",
	[SPN_A_SERVICEPRINCIPALNAME] = "servicePrincipalName",
	[SPN_A_USERACCOUNTCONTROL] = "userAccountControl",
	[SPN_A_ADMINCOUNT] = "adminCount",
	[SPN_A_PRIMARYGROUPID] = "primaryGroupID",
	[SPN_A_MEMBEROF] = "memberOf",
	[SPN_A_ALLOWEDTODELEGATETO] = "msDS-AllowedToDelegateTo",
	[SPN_A_SUPPORTEDENCTYPES] = "msDS-SupportedEncryptionTypes",
	[SPN_A_PWDLASTSET] = "pwdLastSet",
	[SPN_A_OBJECTSID] = "objectSid",
	[SPN_A_KEYVERSION] = "msDS-KeyVersionNumber",
	[SPN_A_ALLOWEDTOACT] = "msDS-AllowedToActOnBehalfOfOtherIdentity",
	[SPN_A_SPNMAPPINGS] = "sPNMappings",
	[SPN_A_DSHEURISTICS] = "dSHeuristics",
	[SPN_A_WHENCHANGED] = "whenChanged",
	[SPN_A_REPLMETA] = "replPropertyMetaData",
	[SPN_A_INVOCATIONID] = "invocationId",
};

const char *spn_attr_name(enum spn_attr a)
{
	return (unsigned)a < SPN_A_COUNT ? names[a] : "?";
}

bool spn_attr_binary(enum spn_attr a)
{
	return a == SPN_A_OBJECTSID || a == SPN_A_ALLOWEDTOACT || a == SPN_A_REPLMETA ||
	       a == SPN_A_INVOCATIONID;
}

int spn_attr_lookup(const char *name, size_t n)
{
	/* Called for every attribute line of a snapshot: reject on length and
	 * first letter before comparing. */
	for (int i = 0; i < SPN_A_COUNT; i++) {
		const char *c = names[i];
		if ((c[0] | 0x20) != (name[0] | 0x20))
			continue;
		/* Length first: a name with a NUL byte inside (a server's) must
		 * not make the comparison read past c. */
		if (strnlen(c, n + 1) == n && strncasecmp(c, name, n) == 0)
			return i;
	}
	return -1;
}

/* What cannot be judged without an attribute that a whole domain always
 * has somewhere; NULL: one whose absence is normal (msDS-AllowedToDelegateTo,
 * whenChanged in spnctl's own snapshots). */
static const char *const effects[SPN_A_COUNT] = {
	[SPN_A_OBJECTCLASS] = "account kinds (user, computer, gMSA) are guessed from "
	                      "userAccountControl",
	[SPN_A_SAMACCOUNTNAME] = "accounts are named by DN only",
	[SPN_A_USERPRINCIPALNAME] = "UPNs that collide with SPNs are not found (upn-spn-collision)",
	[SPN_A_DNSHOSTNAME] = "computers are known by their cn only",
	[SPN_A_SERVICEPRINCIPALNAME] = "there is no SPN to audit",
	[SPN_A_USERACCOUNTCONTROL] = "disabled accounts, domain controllers, DES-only and "
	                             "never-expiring passwords are not known",
	[SPN_A_ADMINCOUNT] = "accounts protected by AdminSDHolder are not known (privileged-spn)",
	[SPN_A_PRIMARYGROUPID] = "privilege through the primary group is not known (privileged-spn)",
	[SPN_A_MEMBEROF] = "privilege through group membership is not known (privileged-spn)",
	[SPN_A_SUPPORTEDENCTYPES] = "whether RC4 or DES tickets are possible is not known "
	                            "(kerberoastable, weak-enctypes)",
	[SPN_A_PWDLASTSET] = "password ages are not known (kerberoastable)",
	[SPN_A_OBJECTSID] = "the built-in Administrator and krbtgt are known by name only",
	[SPN_A_SPNMAPPINGS] = "the built-in default HOST aliases are used (alias-conflict, resolve)",
	[SPN_A_DSHEURISTICS] = "whether SPN and UPN uniqueness checks are off is not known "
	                       "(uniqueness-disabled)",
};

void spn_model_source_asked(struct spn_model *m, size_t src, uint32_t attrs)
{
	if (src < m->nsrc)
		m->src[src].attrs |= attrs;
}

bool spn_model_source_has(const struct spn_model *m, size_t src, enum spn_attr a)
{
	return src < m->nsrc && (m->src[src].attrs & (1u << a));
}

bool spn_account_attr_known(const struct spn_model *m, const struct spn_account *a,
                            enum spn_attr attr)
{
	return spn_model_source_has(m, a->source, attr);
}

/* sPNMappings and dSHeuristics live on one forest-wide entry, read from
 * whichever source holds it: missing only when no source had it. */
static uint32_t lacking(const struct spn_model *m, enum spn_attr a)
{
	if (a == SPN_A_SPNMAPPINGS)
		return m->aliases_from_dir ? 0 : (uint32_t)m->nsrc;
	if (a == SPN_A_DSHEURISTICS)
		return m->has_ds ? 0 : (uint32_t)m->nsrc;
	uint32_t n = 0;
	for (size_t i = 0; i < m->nsrc; i++)
		n += !(m->src[i].attrs & (1u << a));
	return n;
}

size_t spn_model_missing(const struct spn_model *m, struct spn_missing *out)
{
	size_t k = 0;
	for (int a = 0; a < SPN_A_COUNT; a++) {
		if (!effects[a])
			continue;
		uint32_t n = lacking(m, (enum spn_attr)a);
		if (n)
			out[k++] = (struct spn_missing){(enum spn_attr)a, effects[a], n};
	}
	return k;
}
