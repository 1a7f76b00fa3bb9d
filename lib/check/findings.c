/*
 * findings.c - the findings container (strings in one arena), severity
 * names, sorting them (in finding_order.c's order), and default check
 * settings.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/tuned.h"
#include "check_int.h"

const char *spn_severity_name(enum spn_severity s)
{
	switch (s) {
	case SPN_SEV_INFO: return "info";
	case SPN_SEV_WARNING: return "warning";
	case SPN_SEV_ERROR: return "error";
	}
	return "unknown";
}

int spn_severity_parse(const char *s)
{
	static const char *const names[] = {"info", "warning", "error", "none"};
	if (!s)
		return -1;
	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

void spn_check_opts_default(struct spn_check_opts *o)
{
	o->now = spn_filetime_now();
	o->max_password_age_days = 365;
	o->threads = 0;
}

void spn_findings_init(struct spn_findings *f)
{
	f->v = NULL;
	f->n = f->cap = 0;
	spn_arena_init(&f->arena);
}

void spn_findings_release(struct spn_findings *f)
{
	free(f->v);
	spn_arena_release(&f->arena);
	f->v = NULL;
	f->n = f->cap = 0;
}

static char *dup_str(struct spn_arena *a, const char *s)
{
	return s ? spn_arena_strndup(a, s, strlen(s)) : NULL;
}

static bool grow(struct spn_findings *f)
{
	if (f->n < f->cap)
		return true;
	size_t cap = f->cap ? f->cap * 2 : 64;
	struct spn_finding *v = realloc(f->v, cap * sizeof(*v));
	if (!v)
		return false;
	f->v = v;
	f->cap = cap;
	return true;
}

/* Fill the next finding; msg is already in the arena (NULL: out of memory).
 * The code, and the fix when it is the same text, are shared with the
 * previous finding (a check emits its findings one after the other, and
 * many share one fix), so a big audit does not copy them thousands of times. */
static enum spn_rc fill(struct spn_findings *f, const char *code, enum spn_severity sev,
                        const char *spn, const uint32_t *accounts, size_t naccounts,
                        const char *fix, size_t fixn, char *msg)
{
	const struct spn_finding *prev = f->n ? &f->v[f->n - 1] : NULL;
	struct spn_finding *x = &f->v[f->n];
	x->code = prev && strcmp(prev->code, code) == 0 ? prev->code : dup_str(&f->arena, code);
	x->severity = sev;
	x->spn = dup_str(&f->arena, spn);
	x->naccounts = naccounts;
	x->accounts = NULL;
	x->message = msg;
	x->dcs = NULL;
	x->fix = prev && strncmp(prev->fix, fix, fixn + 1) == 0 ? prev->fix
	                                                      : spn_arena_strndup(&f->arena, fix, fixn);
	if (naccounts) {
		uint32_t *ids = spn_arena_alloc(&f->arena, naccounts * sizeof(*ids));
		if (!ids)
			return SPN_NOMEM;
		memcpy(ids, accounts, naccounts * sizeof(*ids));
		x->accounts = ids;
	}
	if (!msg || !x->code || !x->fix || (spn && !x->spn))
		return SPN_NOMEM;
	f->n++;
	return SPN_OK;
}

enum spn_rc spn_findings_add(struct spn_findings *f, const char *code, enum spn_severity sev,
                             const char *spn, const uint32_t *accounts, size_t naccounts,
                             const char *fix, const char *fmt, ...)
{
	if (!grow(f))
		return SPN_NOMEM;
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = len < 0 ? NULL : spn_arena_alloc(&f->arena, (size_t)len + 1);
	if (msg)
		vsnprintf(msg, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	if (!fix)
		fix = "";
	return fill(f, code, sev, spn, accounts, naccounts, fix, strlen(fix), msg);
}

enum spn_rc spn_findings_add_text(struct spn_findings *f, const char *code, enum spn_severity sev,
                                  const char *spn, const uint32_t *accounts, size_t naccounts,
                                  const char *fix, size_t fixn, const char *msg, size_t msgn)
{
	if (!grow(f))
		return SPN_NOMEM;
	return fill(f, code, sev, spn, accounts, naccounts, fix, fixn,
	            spn_arena_strndup(&f->arena, msg, msgn));
}

void spn_findings_sort(struct spn_findings *f, const struct spn_model *m)
{
	/* Cannot allocate: the (already deterministic) run order stays. */
	(void)spn_findings_sort_ok(f, m);
}

bool spn_findings_sort_ok(struct spn_findings *f, const struct spn_model *m)
{
	/* The order is finding_order.c's rule; sorting big audits fast is
	 * hand-tuned in finding_order_fast.c (base/tuned.h). */
	return f->n < 2 || SPN_TUNED(spn_findings_order)(f, m);
}
