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
	o->skip = NULL;
}

void spn_findings_keep_severity(struct spn_findings *f, enum spn_severity min)
{
	size_t k = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].severity >= min)
			f->v[k++] = f->v[i];
	f->n = k;
}

int64_t spn_check_now(const struct spn_model *m, const struct spn_account *a,
                      const struct spn_check_opts *o, int *src_from)
{
	if (o->now) {
		if (src_from)
			*src_from = -1;
		return o->now;
	}
	const struct spn_source_info *s = a->source < spn_model_nsources(m)
	                                  ? spn_model_source(m, a->source) : NULL;
	if (src_from)
		*src_from = s ? (int)s->time_from : SPN_TIME_NONE;
	return s && s->time ? s->time : spn_filetime_now();
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
	x->values = NULL;
	x->roles = NULL;
	x->accepted = false;
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

const char *spn_role_name(enum spn_role r)
{
	switch (r) {
	case SPN_ROLE_NONE: break;
	case SPN_ROLE_KEEP: return "keep";
	case SPN_ROLE_REMOVE: return "remove";
	case SPN_ROLE_UNDECIDED: return "undecided";
	}
	return "";
}

enum spn_rc spn_findings_set_holders(struct spn_findings *f, const uint32_t *values,
                                     const uint8_t *roles)
{
	struct spn_finding *x = f->n ? &f->v[f->n - 1] : NULL;
	if (!x || !x->naccounts)
		return SPN_OK;
	if (values) {
		uint32_t *v = spn_arena_alloc(&f->arena, x->naccounts * sizeof(*v));
		if (!v)
			return SPN_NOMEM;
		memcpy(v, values, x->naccounts * sizeof(*v));
		x->values = v;
	}
	if (roles) {
		uint8_t *r = spn_arena_alloc(&f->arena, x->naccounts);
		if (!r)
			return SPN_NOMEM;
		memcpy(r, roles, x->naccounts);
		x->roles = r;
	}
	return SPN_OK;
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
