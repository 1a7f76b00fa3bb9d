/*
 * ldap_err.c - turning one LDAP failure into one message (adcli's
 * _adcli_ldap_handle_failure): "<what we were doing> on <server>: <the
 * server's diagnostic, or libldap's text>", with AD's hex diagnostics
 * ("00002028: LdapErr: ...", "AcceptSecurityContext error, data 52e")
 * explained in words where we know them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap_int.h"

struct diag_text {
	const char *key;     /* searched for in the diagnostic, case-insensitive */
	const char *text;
};

#define SAMBA_TLS_GSSAPI \
	"this DC refuses Kerberos over TLS (Samba before 4.21 has no TLS channel bindings, and " \
	"refuses it with them or without): use ldap:// to the same host, where Kerberos signs and " \
	"seals, or a simple bind over TLS (or 'ldap server require strong auth = " \
	"allow_sasl_over_tls' on the DC)"

/* Win32 error codes at the start of an AD diagnostic, and the "data NNN"
 * sub-codes of AcceptSecurityContext (MS-ADTS, [MS-ERREF]). */
static const struct diag_text diags[] = {
	{"without authentication", "the server does not allow anonymous searches: "
	                           "bind with Kerberos (the default) or -D and a password"},
	{"data 52e", "wrong user name or password"},
	{"data 525", "no such user"},
	{"data 530", "logon not permitted at this time"},
	{"data 531", "logon not permitted from this workstation"},
	{"data 532", "the password has expired"},
	{"data 533", "the account is disabled"},
	{"data 701", "the account has expired"},
	{"data 773", "the password must be changed before logging on"},
	{"data 775", "the account is locked out"},
	{"000004DC", "the server does not allow this without a successful bind"},
	{"00002020", "the server refused the operation (often: no anonymous access)"},
	{"00002028", "the server requires signing or sealing, or TLS, for this bind"},
	{"0000202B", "the object lives in another partition (referral)"},
	{"000021C7", "the SPN value is already held by another account in the forest"},
	{"000021C8", "the UPN value is already held by another account in the forest"},
	{"00000005", "access denied"},
	{"certificate verify failed", "the server's TLS certificate is not trusted: "
	                              "name its CA with --cacert FILE (TLS_CACERT in ldap.conf)"},
	{"No Kerberos credentials", "no Kerberos ticket: run kinit (or set KRB5CCNAME)"},
	{"Server not found in Kerberos database",
	 "the KDC knows no ldap/ SPN for this host name: use the DC's DNS name as AD "
	 "registered it (not an IP address or alias), or --canon"},
	/* Samba before 4.21 refuses GSSAPI over TLS in every form (no TLS
	 * channel bindings; with or without a SASL layer, channel binding on
	 * or off): one of these two texts, and one way out. */
	{"Sign or Seal are required", SAMBA_TLS_GSSAPI},
	{"Sign or Seal are not allowed if TLS is used", SAMBA_TLS_GSSAPI},
	{"Clock skew", "the clocks of this machine and the KDC differ too much"},
	{"Ticket expired", "the Kerberos ticket has expired: run kinit again"},
	{"Cannot find KDC", "no KDC found for the realm: check krb5.conf"},
};

const char *spn_ad_diag_explain(const char *diag)
{
	if (!diag)
		return NULL;
	for (size_t i = 0; i < sizeof(diags) / sizeof(diags[0]); i++) {
		if (strcasestr(diag, diags[i].key))
			return diags[i].text;
	}
	return NULL;
}

enum spn_rc spn_ldap_rc(int lrc, bool bind)
{
	switch (lrc) {
	case LDAP_INVALID_CREDENTIALS:
	case LDAP_STRONG_AUTH_REQUIRED:
	case LDAP_INAPPROPRIATE_AUTH:
	case LDAP_AUTH_METHOD_NOT_SUPPORTED:
	case LDAP_CONFIDENTIALITY_REQUIRED:
	case LDAP_INSUFFICIENT_ACCESS:
	case LDAP_AUTH_UNKNOWN:
		return SPN_AUTH;
	case LDAP_NO_MEMORY:
		return SPN_NOMEM;
	case LDAP_LOCAL_ERROR:       /* SASL / Kerberos on our side */
	case LDAP_UNWILLING_TO_PERFORM:
		return bind ? SPN_AUTH : SPN_DIRECTORY;
	default:
		return SPN_DIRECTORY;
	}
}

static enum spn_rc vfail(struct spn_err *err, enum spn_rc rc, const char *diag_in, int lrc,
                         const char *uri, const char *what)
{
	/* Trim the trailing newline and NUL padding AD puts on diagnostics. */
	char diag[600] = "";
	if (diag_in)
		snprintf(diag, sizeof(diag), "%s", diag_in);
	size_t n = strlen(diag);
	while (n && (diag[n - 1] == '\n' || diag[n - 1] == '\r' || diag[n - 1] == ' '))
		diag[--n] = '\0';
	bool has = n > 0;
	/* A TLS certificate that does not verify is a trust failure, not an
	 * unreachable server; a search refused for want of a bind is an
	 * authentication failure - whatever libldap's result code says. */
	if (has && rc == SPN_DIRECTORY &&
	    (strcasestr(diag, "certificate") || strcasestr(diag, "without authentication") ||
	     strcasestr(diag, "000004DC")))
		rc = SPN_AUTH;
	const char *text = ldap_err2string(lrc);
	const char *why = has ? spn_ad_diag_explain(diag) : NULL;
	if (!why && lrc == LDAP_SERVER_DOWN)
		why = "cannot reach the server (wrong host or port, firewall, or a TLS failure)";
	if (has && why)
		return spn_err_set(err, rc, "%s on %s: %s (%s: %s)", what, uri, why, text, diag);
	if (has)
		return spn_err_set(err, rc, "%s on %s: %s: %s", what, uri, text, diag);
	if (why)
		return spn_err_set(err, rc, "%s on %s: %s (%s)", what, uri, why, text);
	return spn_err_set(err, rc, "%s on %s: %s", what, uri, text);
}

enum spn_rc spn_ldap_fail(struct spn_err *err, enum spn_rc rc, LDAP *ld, int lrc,
                          const char *uri, const char *doing, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, doing);
	vsnprintf(what, sizeof(what), doing, ap);
	va_end(ap);
	char *diag = NULL;
	if (ld)
		ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	rc = vfail(err, rc, diag, lrc, uri, what);
	if (diag)
		ldap_memfree(diag);
	return rc;
}

enum spn_rc spn_ldap_fail_diag(struct spn_err *err, enum spn_rc rc, const char *diag, int lrc,
                               const char *uri, const char *doing, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, doing);
	vsnprintf(what, sizeof(what), doing, ap);
	va_end(ap);
	return vfail(err, rc, diag, lrc, uri, what);
}
