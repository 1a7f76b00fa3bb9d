/*
 * text.c - composing finding messages: a growable string, values shown
 * with every invisible character spelled out, SPN lists, and handing a
 * composed finding to the findings container.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "check_int.h"

void spn_text_init(struct spn_text *t)
{
	t->p = NULL;
	t->n = t->cap = 0;
	t->nomem = false;
}

void spn_text_release(struct spn_text *t)
{
	free(t->p);
	spn_text_init(t);
}

void spn_text_clear(struct spn_text *t)
{
	t->n = 0;
	if (t->p)
		t->p[0] = '\0';
	t->nomem = false;
}

static bool reserve(struct spn_text *t, size_t more)
{
	if (t->nomem)
		return false;
	if (t->n + more + 1 <= t->cap)
		return true;
	size_t cap = t->cap ? t->cap : 256;
	while (cap < t->n + more + 1)
		cap *= 2;
	char *p = realloc(t->p, cap);
	if (!p) {
		t->nomem = true;
		return false;
	}
	t->p = p;
	t->cap = cap;
	return true;
}

void spn_text_addf(struct spn_text *t, const char *fmt, ...)
{
	/* Print into the room left; only when it does not fit, grow and print again. */
	va_list ap, ap2;
	if (t->nomem || !reserve(t, 64))
		return;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int len = vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
	va_end(ap);
	if (len < 0) {
		t->nomem = true;
	} else if ((size_t)len < t->cap - t->n) {
		t->n += (size_t)len;
	} else if (reserve(t, (size_t)len)) {
		vsnprintf(t->p + t->n, (size_t)len + 1, fmt, ap2);
		t->n += (size_t)len;
	}
	va_end(ap2);
}

void spn_text_add(struct spn_text *t, const char *s, size_t n)
{
	if (!reserve(t, n))
		return;
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = '\0';
}

void spn_text_adds(struct spn_text *t, const char *s)
{
	spn_text_add(t, s, strlen(s));
}

void spn_text_add_value(struct spn_text *t, const char *s, size_t n)
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
			if (reserve(t, j - i)) {
				memcpy(t->p + t->n, s + i, j - i);
				t->n += j - i;
				t->p[t->n] = '\0';
			}
			i = j;
			continue;
		}
		ucs4_t uc;
		int len = c < 0x80 ? 1 : u8_mbtoucr(&uc, u + i, n - i);
		if (c < 0x80)
			uc = c;
		if (len <= 0) {
			spn_text_addf(t, "<0x%02X>", c);
			i++;
		} else {
			spn_text_addf(t, "<U+%04X>", (unsigned)uc);
			i += (size_t)len;
		}
	}
	if (reserve(t, 0))
		t->p[t->n] = '\0';
}

void spn_text_add_spn_list(struct spn_text *t, const struct spn_model *m,
                           const struct spn_account *a, size_t max)
{
	size_t shown = a->nspn < max ? a->nspn : max;
	for (size_t i = 0; i < shown; i++) {
		const struct spn_value *v = spn_model_value(m, a->spn_first + (uint32_t)i);
		if (i)
			spn_text_adds(t, i + 1 == shown && shown == a->nspn ? " and " : ", ");
		spn_text_add_value(t, v->str, v->len);
	}
	if (shown < a->nspn)
		spn_text_addf(t, " and %u more", (unsigned)(a->nspn - shown));
}

const char *spn_text_str(const struct spn_text *t)
{
	return t->p && !t->nomem ? t->p : "";
}

bool spn_text_ok(const struct spn_text *t)
{
	return !t->nomem;
}

enum spn_rc spn_check_emit(struct spn_findings *out, struct spn_err *err, const char *code,
                           enum spn_severity sev, const char *spn, const uint32_t *accounts,
                           size_t naccounts, const struct spn_text *msg, const struct spn_text *fix)
{
	if (!spn_text_ok(msg) || !spn_text_ok(fix) ||
	    spn_findings_add_text(out, code, sev, spn, accounts, naccounts, spn_text_str(fix),
	                          fix->p ? fix->n : 0, spn_text_str(msg), msg->p ? msg->n : 0))
		return spn_err_set(err, SPN_NOMEM, "out of memory composing a %s finding", code);
	return SPN_OK;
}
