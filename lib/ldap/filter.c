/*
 * filter.c - the LDAP search filters spnctl sends, and RFC 4515 escaping of
 * every user-supplied value that goes into one. A '*' survives only where a
 * pattern wildcard is meant (SPN patterns); in account names it is escaped
 * like every other special. Pure string work, unit-tested in
 * tests/unit/test_ldap_helpers.c.
 */
#include <string.h>
#include <strings.h>

#include "ldap_int.h"

void spn_filter_escape(struct spn_buf *b, const char *s, size_t n, bool wildcards)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;  /* bytes copied as they are, appended in one go */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain = c >= 0x20 && c != 0x7f && c != '(' && c != ')' && c != '\\' &&
		             (c != '*' || wildcards);
		/* Bytes >= 0x80 (UTF-8) are legal in a filter value as they are. */
		if (plain) {
			run++;
			continue;
		}
		spn_buf_add(b, s + i - run, run);
		run = 0;
		char esc[3] = {'\\', hex[c >> 4], hex[c & 15]};
		spn_buf_add(b, esc, 3);
	}
	spn_buf_add(b, s + n - run, run);
}

const char *spn_filter_audit(void)
{
	/* Every account a check reads - SPN holders, constrained-delegation
	 * sources, UPNs with a '/', computers (HOST alias owners even without
	 * SPNs) - and every group: the privileged-SPN check follows nested
	 * membership, and adminCount is no reliable marker for the groups on
	 * the way (Samba runs no SDProp; orphaned adminCount). Groups are a
	 * small share of a directory and come with a few short attributes. */
	return "(|(servicePrincipalName=*)(msDS-AllowedToDelegateTo=*)(userPrincipalName=*/*)"
	       "(objectClass=computer)(objectClass=group))";
}

/* The same set in two searches that do not overlap. The first is the one
 * every directory indexes; the second needs the server to look at every
 * entry (msDS-AllowedToDelegateTo is not indexed by default, "*" + "/" +
 * "*" is a medial substring) but returns few. nc_search.c sends the second
 * before reading the first, so the server's scan and the client's reading
 * go on at the same time, instead of one OR filter making every page of
 * the whole answer wait for the scan. */
const char *spn_filter_audit_spn(void)
{
	return "(servicePrincipalName=*)";
}

const char *spn_filter_audit_rest(void)
{
	return "(&(!(servicePrincipalName=*))(|(msDS-AllowedToDelegateTo=*)(userPrincipalName=*/*)"
	       "(objectClass=computer)(objectClass=group)))";
}

static void term(struct spn_buf *b, const char *attr, const char *v, size_t n, bool wild,
                 const char *suffix)
{
	spn_buf_addf(b, "(%s=", attr);
	spn_filter_escape(b, v, n, wild);
	if (suffix)
		spn_buf_adds(b, suffix);
	spn_buf_adds(b, ")");
}

static void account_terms(struct spn_buf *b, const char *name)
{
	size_t n = strlen(name);
	if (memchr(name, '=', n)) {           /* a DN */
		term(b, "distinguishedName", name, n, false, NULL);
		return;
	}
	if (memchr(name, '@', n)) {           /* a UPN */
		term(b, "userPrincipalName", name, n, false, NULL);
		return;
	}
	const char *bs = memchr(name, '\\', n);  /* DOMAIN\sam: the sam part */
	if (bs) {
		n -= (size_t)(bs + 1 - name);
		name = bs + 1;
	}
	if (n && name[n - 1] == '$')
		n--;
	term(b, "sAMAccountName", name, n, false, NULL);
	term(b, "sAMAccountName", name, n, false, "$");
}

void spn_filter_spn_terms(struct spn_buf *b, const char *spn, size_t n, bool wildcards)
{
	term(b, "servicePrincipalName", spn, n, wildcards, NULL);
	term(b, "userPrincipalName", spn, n, wildcards, NULL);
	const char *slash = memchr(spn, '/', n);
	if (!slash || (wildcards && memchr(spn, '*', n)))
		return;
	/* The HOST alias: "cifs/web01" is served by HOST/web01 (any class may
	 * be an alias: the directory's sPNMappings are not read yet); HOST/web01
	 * is shadowed by any aliased class on the same host. */
	const char *rest = slash + 1;
	size_t rn = n - (size_t)(rest - spn);
	struct spn_alias_key k;
	if (spn_alias_key(spn_alias_any(), spn, n, &k)) {
		spn_buf_addf(b, "(servicePrincipalName=%s/", k.target);
		spn_filter_escape(b, k.host.p, k.host.n, false);
		spn_buf_adds(b, ")");
	} else if (rn && (size_t)(slash - spn) == 4 && strncasecmp(spn, "host", 4) == 0) {
		spn_buf_adds(b, "(servicePrincipalName=*/");
		spn_filter_escape(b, rest, rn, false);
		spn_buf_adds(b, ")");
	}
}

void spn_filter_targets(struct spn_buf *b, const char *const *accounts, size_t naccounts,
                        const char *const *patterns, size_t npatterns)
{
	spn_buf_adds(b, "(|");
	for (size_t i = 0; i < naccounts; i++)
		account_terms(b, accounts[i]);
	for (size_t i = 0; i < npatterns; i++)
		spn_filter_spn_terms(b, patterns[i], strlen(patterns[i]), true);
	spn_buf_adds(b, "(objectClass=group))");
}
