/*
 * message.c - composing finding messages in lib/base's growable string:
 * values shown with every invisible character spelled out, setspn lines
 * whose words are safe to paste, SPN lists, and
 * handing a composed finding to the findings container.
 */
#include <unistr.h>

#include "base/cmdline_word.h"
#include "check_int.h"

void spn_text_add_setspn(struct spn_buf *t, const char *op, const char *spn, const char *account)
{
	char ws[SPN_CMDLINE_WORD_MAX], wa[SPN_CMDLINE_WORD_MAX];
	spn_buf_addf(t, "setspn %s %s %s", op, spn_cmd_word(spn, ws, sizeof(ws)) ? ws : "<spn>",
	             account && spn_cmd_word(account, wa, sizeof(wa)) ? wa : "<account>");
}

void spn_text_add_value(struct spn_buf *t, const char *s, size_t n)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char c = u[i];
		if (c > 0x20 && c < 0x7f) {
			/* Copy a run of printable ASCII at once. */
			size_t j = i;
			while (j < n && u[j] > 0x20 && u[j] < 0x7f)
				j++;
			spn_buf_add(t, s + i, j - i);
			i = j;
			continue;
		}
		ucs4_t uc;
		int len = c < 0x80 ? 1 : u8_mbtoucr(&uc, u + i, n - i);
		if (c < 0x80)
			uc = c;
		if (len <= 0) {
			spn_buf_addf(t, "<0x%02X>", c);
			i++;
		} else {
			spn_buf_addf(t, "<U+%04X>", (unsigned)uc);
			i += (size_t)len;
		}
	}
}

void spn_text_add_spn_list(struct spn_buf *t, const struct spn_model *m,
                           const struct spn_account *a, size_t max)
{
	size_t shown = a->nspn < max ? a->nspn : max;
	for (size_t i = 0; i < shown; i++) {
		const struct spn_value *v = spn_model_value(m, a->spn_first + (uint32_t)i);
		if (i)
			spn_buf_adds(t, i + 1 == shown && shown == a->nspn ? " and " : ", ");
		spn_text_add_value(t, v->str, v->len);
	}
	if (shown < a->nspn)
		spn_buf_addf(t, " and %u more", (unsigned)(a->nspn - shown));
}

enum spn_rc spn_check_emit(struct spn_findings *out, struct spn_err *err, const char *code,
                           enum spn_severity sev, const char *spn, const uint32_t *accounts,
                           size_t naccounts, const struct spn_buf *msg, const struct spn_buf *fix)
{
	if (!spn_buf_ok(msg) || !spn_buf_ok(fix) ||
	    spn_findings_add_text(out, code, sev, spn, accounts, naccounts, spn_buf_str(fix), fix->n,
	                          spn_buf_str(msg), msg->n))
		return spn_err_set(err, SPN_NOMEM, "out of memory composing a %s finding", code);
	return SPN_OK;
}
