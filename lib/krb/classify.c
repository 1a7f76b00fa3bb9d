/*
 * classify.c - the pure half of probing: what a krb5 error code of a ticket
 * request means (the KDC said no, or we could not ask), the names of the
 * codes, and the principal text built from an SPN as Windows clients do.
 * Uses krb5.h for its constants only; no krb5 calls.
 */
#include <errno.h>
#include <krb5.h>
#include <stdio.h>
#include <string.h>

#include "spn/probe.h"

const char *spn_probe_status_name(enum spn_probe_status s)
{
	switch (s) {
	case SPN_PROBE_ISSUED: return "issued";
	case SPN_PROBE_UNKNOWN: return "unknown";
	case SPN_PROBE_NOT_UNIQUE: return "not-unique";
	case SPN_PROBE_NO_KEY: return "no-key";
	case SPN_PROBE_REFUSED: return "refused";
	case SPN_PROBE_NO_TGT: return "no-tgt";
	case SPN_PROBE_UNREACHABLE: return "unreachable";
	case SPN_PROBE_SKEW: return "clock-skew";
	case SPN_PROBE_FAILED: return "failed";
	}
	return "unknown-status";
}

bool spn_probe_asked(enum spn_probe_status s)
{
	return s <= SPN_PROBE_REFUSED;
}

/* Codes and what they mean to a TGS request. A code the KDC sends is an
 * RFC 4120 error number above ERROR_TABLE_BASE_krb5; the others are this
 * side's (cache, network, configuration). */
struct code {
	int32_t code;
	const char *name;
	enum spn_probe_status status;
};

#define KDC(c, name, st) {(int32_t)(c), name, st}
static const struct code codes[] = {
	KDC(KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, "KDC_ERR_S_PRINCIPAL_UNKNOWN", SPN_PROBE_UNKNOWN),
	KDC(KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE, "KDC_ERR_PRINCIPAL_NOT_UNIQUE", SPN_PROBE_NOT_UNIQUE),
	KDC(KRB5KDC_ERR_ETYPE_NOSUPP, "KDC_ERR_ETYPE_NOSUPP", SPN_PROBE_NO_KEY),
	KDC(KRB5KDC_ERR_NULL_KEY, "KDC_ERR_NULL_KEY", SPN_PROBE_NO_KEY),
	KDC(KRB5KDC_ERR_SERVICE_EXP, "KDC_ERR_SERVICE_EXP", SPN_PROBE_REFUSED),
	KDC(KRB5KDC_ERR_SERVICE_REVOKED, "KDC_ERR_SERVICE_REVOKED", SPN_PROBE_REFUSED),
	KDC(KRB5KDC_ERR_SERVICE_NOTYET, "KDC_ERR_SERVICE_NOTYET", SPN_PROBE_REFUSED),
	KDC(KRB5KDC_ERR_POLICY, "KDC_ERR_POLICY", SPN_PROBE_REFUSED),
	KDC(KRB5KDC_ERR_BADOPTION, "KDC_ERR_BADOPTION", SPN_PROBE_REFUSED),
	KDC(KRB5KDC_ERR_MUST_USE_USER2USER, "KDC_ERR_MUST_USE_USER2USER", SPN_PROBE_REFUSED),
	KDC(KRB5KDC_ERR_WRONG_REALM, "KDC_ERR_WRONG_REALM", SPN_PROBE_REFUSED),
	KDC(KRB5KRB_ERR_GENERIC, "KRB_ERR_GENERIC", SPN_PROBE_REFUSED),
	/* The client's side of the request: its TGT or account. */
	KDC(KRB5KRB_AP_ERR_TKT_EXPIRED, "KRB_AP_ERR_TKT_EXPIRED", SPN_PROBE_NO_TGT),
	KDC(KRB5KRB_AP_ERR_TKT_NYV, "KRB_AP_ERR_TKT_NYV", SPN_PROBE_NO_TGT),
	KDC(KRB5KDC_ERR_TGT_REVOKED, "KDC_ERR_TGT_REVOKED", SPN_PROBE_NO_TGT),
	KDC(KRB5KDC_ERR_CLIENT_REVOKED, "KDC_ERR_CLIENT_REVOKED", SPN_PROBE_NO_TGT),
	KDC(KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN, "KDC_ERR_C_PRINCIPAL_UNKNOWN", SPN_PROBE_NO_TGT),
	KDC(KRB5KRB_AP_ERR_BAD_INTEGRITY, "KRB_AP_ERR_BAD_INTEGRITY", SPN_PROBE_NO_TGT),
	KDC(KRB5KRB_AP_ERR_MODIFIED, "KRB_AP_ERR_MODIFIED", SPN_PROBE_NO_TGT),
	KDC(KRB5KRB_AP_ERR_BADKEYVER, "KRB_AP_ERR_BADKEYVER", SPN_PROBE_NO_TGT),
	KDC(KRB5KRB_AP_ERR_SKEW, "KRB_AP_ERR_SKEW", SPN_PROBE_SKEW),
	KDC(KRB5KDC_ERR_SVC_UNAVAILABLE, "KDC_ERR_SVC_UNAVAILABLE", SPN_PROBE_UNREACHABLE),
	/* This side. */
	KDC(KRB5_KDCREP_SKEW, "KRB5_KDCREP_SKEW", SPN_PROBE_SKEW),
	KDC(KRB5_KDC_UNREACH, "KRB5_KDC_UNREACH", SPN_PROBE_UNREACHABLE),
	KDC(KRB5_REALM_UNKNOWN, "KRB5_REALM_UNKNOWN", SPN_PROBE_UNREACHABLE),
	KDC(KRB5_REALM_CANT_RESOLVE, "KRB5_REALM_CANT_RESOLVE", SPN_PROBE_UNREACHABLE),
	KDC(KRB5_FCC_NOFILE, "KRB5_FCC_NOFILE", SPN_PROBE_NO_TGT),
	KDC(KRB5_FCC_PERM, "KRB5_FCC_PERM", SPN_PROBE_NO_TGT),
	KDC(KRB5_CC_FORMAT, "KRB5_CC_FORMAT", SPN_PROBE_NO_TGT),
	KDC(KRB5_CC_NOTFOUND, "KRB5_CC_NOTFOUND", SPN_PROBE_NO_TGT),
	KDC(KRB5_CC_END, "KRB5_CC_END", SPN_PROBE_NO_TGT),
	KDC(KRB5_CC_BADNAME, "KRB5_CC_BADNAME", SPN_PROBE_NO_TGT),
	KDC(KRB5_CC_UNKNOWN_TYPE, "KRB5_CC_UNKNOWN_TYPE", SPN_PROBE_NO_TGT),
	KDC(KRB5_CC_IO, "KRB5_CC_IO", SPN_PROBE_NO_TGT),
	KDC(KRB5_NO_TKT_IN_RLM, "KRB5_NO_TKT_IN_RLM", SPN_PROBE_NO_TGT),
	KDC(KRB5_KDCREP_MODIFIED, "KRB5_KDCREP_MODIFIED", SPN_PROBE_FAILED),
	KDC(KRB5_PROG_ETYPE_NOSUPP, "KRB5_PROG_ETYPE_NOSUPP", SPN_PROBE_FAILED),
	KDC(KRB5_CONFIG_CANTOPEN, "KRB5_CONFIG_CANTOPEN", SPN_PROBE_FAILED),
	KDC(KRB5_CONFIG_BADFORMAT, "KRB5_CONFIG_BADFORMAT", SPN_PROBE_FAILED),
	KDC(KRB5_CONFIG_NODEFREALM, "KRB5_CONFIG_NODEFREALM", SPN_PROBE_FAILED),
	/* Names only: what an acceptor says about a keytab (spn_probe_open). */
	KDC(KRB5KRB_AP_WRONG_PRINC, "KRB_AP_WRONG_PRINC", SPN_PROBE_FAILED),
	KDC(KRB5_KT_NOTFOUND, "KRB5_KT_NOTFOUND", SPN_PROBE_FAILED),
	KDC(KRB5_KT_KVNONOTFOUND, "KRB5_KT_KVNONOTFOUND", SPN_PROBE_FAILED),
};

static const struct code *find(int32_t code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

const char *spn_krb5_code_name(int32_t code)
{
	const struct code *c = find(code);
	return c ? c->name : NULL;
}

enum spn_probe_status spn_probe_classify(int32_t code)
{
	if (code == 0)
		return SPN_PROBE_ISSUED;
	const struct code *c = find(code);
	if (c)
		return c->status;
	/* Network errors from the sockets (errno values). */
	switch (code) {
	case ECONNREFUSED: case ETIMEDOUT: case EHOSTUNREACH: case ENETUNREACH: case ECONNRESET:
		return SPN_PROBE_UNREACHABLE;
	}
	/* Any other RFC 4120 error number came from the KDC. */
	long n = (long)code - ERROR_TABLE_BASE_krb5;
	if (n > 0 && n < 128)
		return SPN_PROBE_REFUSED;
	return SPN_PROBE_FAILED;
}

/* ---- The principal a Windows client asks for ---- */

static enum spn_rc check_text(const char *what, const char *s, struct spn_err *err)
{
	if (!s || !*s)
		return spn_err_set(err, SPN_USAGE, "%s is empty", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '@')
			return spn_err_set(err, SPN_USAGE, "%s '%.200s' contains '@'%s", what, s,
			                   strcmp(what, "the SPN") == 0 ?
			                   ": an SPN has no realm (give the realm on its own)" : "");
		if (*p < 0x20 || *p == 0x7f)
			return spn_err_set(err, SPN_USAGE, "%s contains a control character", what);
	}
	return SPN_OK;
}

/* Append s to buf at *at, '\' doubled (krb5_parse_name's escape); false when
 * it does not fit. */
static bool put_escaped(char *buf, size_t size, size_t *at, const char *s)
{
	for (; *s; s++) {
		size_t need = *s == '\\' ? 2 : 1;
		if (*at + need >= size)
			return false;
		if (*s == '\\')
			buf[(*at)++] = '\\';
		buf[(*at)++] = *s;
	}
	buf[*at] = '\0';
	return true;
}

enum spn_rc spn_probe_principal_text(const char *spn, const char *realm, char *buf, size_t size,
                                     struct spn_err *err)
{
	enum spn_rc rc = check_text("the SPN", spn, err);
	if (rc == SPN_OK)
		rc = check_text("the realm", realm, err);
	if (rc != SPN_OK)
		return rc;
	size_t at = 0;
	if (size == 0 || !put_escaped(buf, size, &at, spn) || !put_escaped(buf, size, &at, "@") ||
	    !put_escaped(buf, size, &at, realm)) {
		if (size)
			buf[0] = '\0';
		return spn_err_set(err, SPN_USAGE, "the SPN '%.200s' is too long", spn);
	}
	return SPN_OK;
}
