/*
 * attr.c - the attributes spnctl reads, by id and by name.
 */
#include <string.h>
#include <strings.h>

#include "spn/model.h"

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
