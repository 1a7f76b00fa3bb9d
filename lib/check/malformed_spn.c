/*
 * malformed_spn.c - malformed-spn: one finding per stored value that is not
 * class/host[:port][/service] (the model flags them while loading). Bad data
 * inside valid input is a finding, never a load error.
 */
#include <string.h>

#include "check_int.h"

#define CODE "malformed-spn"

static void suggest(struct spn_buf *fix, const struct spn_value *v)
{
	const char *at = memchr(v->str, '@', v->len);
	switch ((enum spn_syntax)v->syntax) {
	case SPN_SYNTAX_AT_SIGN:
		if (at) {
			spn_buf_addf(fix, " AD stores SPNs without the realm: if it is meant as an SPN, "
			             "register ");
			spn_text_add_value(fix, v->str, (size_t)(at - v->str));
			spn_buf_addf(fix, " instead.");
		}
		break;
	case SPN_SYNTAX_SPACE:
		spn_buf_addf(fix, " Check for a stray space, tab or line break copied in with the name.");
		break;
	case SPN_SYNTAX_ONE_PART:
		spn_buf_addf(fix, " An SPN needs a service class and a host, e.g. HTTP/web01.corp.example.");
		break;
	default:
		break;
	}
}

static enum spn_rc run(const struct spn_model *m, const struct spn_check_opts *o,
                       struct spn_findings *out, struct spn_err *err)
{
	struct spn_buf msg, fix;
	enum spn_rc rc = SPN_OK;
	size_t nval = spn_model_nvalues(m);

	(void)o;
	spn_buf_init(&msg, SPN_TEXT_MAX);
	spn_buf_init(&fix, SPN_TEXT_MAX);
	for (uint32_t i = 0; i < nval && rc == SPN_OK; i++) {
		const struct spn_value *v = spn_model_value(m, i);
		if (!(v->flags & SPN_VALUE_MALFORMED))
			continue;
		const struct spn_account *a = spn_model_account(m, v->account);
		spn_buf_clear(&msg);
		spn_buf_clear(&fix);
		spn_buf_addf(&msg, "The servicePrincipalName \"");
		spn_text_add_value(&msg, v->str, v->len);
		spn_buf_addf(&msg, "\" on %s %s. No Kerberos client can ask for it as written, so it "
		             "serves nothing; if it was meant to name a service, that service has no "
		             "SPN and its clients get KDC_ERR_S_PRINCIPAL_UNKNOWN or fall back to NTLM.",
		             a->dn, spn_syntax_text((enum spn_syntax)v->syntax));
		spn_buf_addf(&fix, "Remove the value from %s (an LDAP modify deleting exactly this "
		             "value; setspn -D may not accept it) and register the intended SPN in the "
		             "form class/host[:port][/service].", a->dn);
		suggest(&fix, v);
		uint32_t id = v->account;
		rc = spn_check_emit(out, err, CODE, SPN_SEV_WARNING, v->str, &id, 1, &msg, &fix);
	}
	spn_buf_release(&msg);
	spn_buf_release(&fix);
	return rc;
}

const struct spn_check spn_check_malformed_spn = {
	.code = CODE,
	.severity = SPN_SEV_WARNING,
	.flags = 0,
	.title = "servicePrincipalName value that is not an SPN",
	.explain =
		"An SPN is class/host[:port|:instance][/service]: two or three '/'-separated parts, none "
		"empty, no white space or control characters, no '@' (AD stores SPNs without a realm), "
		"valid UTF-8. Other values cannot be requested by a Kerberos client, usually hide a "
		"typo, and leave the intended service without an SPN. One finding per value.",
	.run = run,
};
