/*
 * findings.c - the findings container (strings in one arena), severity
 * names, the deterministic order reports print in (the rule; its hand-tuned
 * twin is findings_fast.c), and default check settings.
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

/*
 * The order reports print in: severity (errors first), code, SPN
 * (case-insensitively, then exactly; none first), then the accounts' DNs
 * one by one the same way (then their ids), then fewer accounts first, then
 * the message. No setlocale() anywhere, so case-insensitive means ASCII.
 * Sorting big audits fast is hand-tuned in findings_fast.c; the plain twin
 * is spn_findings_order_plain() below (base/tuned.h).
 */
static int cmp_ascii_case(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	for (;; x++, y++) {
		unsigned char c = (unsigned char)(*x >= 'A' && *x <= 'Z' ? *x + 32 : *x);
		unsigned char d = (unsigned char)(*y >= 'A' && *y <= 'Z' ? *y + 32 : *y);
		if (c != d || !c)
			return (int)c - (int)d;
	}
}

/* Case-insensitively, then exactly; NULL first. */
static int cmp_str0(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	int c = cmp_ascii_case(a, b);
	return c ? c : strcmp(a, b);
}

int spn_finding_cmp(const struct spn_finding *a, const struct spn_finding *b,
                    const struct spn_model *m)
{
	int c;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0 || (c = cmp_str0(a->spn, b->spn)) != 0)
		return c;
	size_t n = a->naccounts < b->naccounts ? a->naccounts : b->naccounts;
	for (size_t i = 0; i < n; i++) {
		if (a->accounts[i] == b->accounts[i])
			continue;
		if (m && (c = cmp_str0(spn_model_account(m, a->accounts[i])->dn,
		                       spn_model_account(m, b->accounts[i])->dn)) != 0)
			return c;
		return a->accounts[i] < b->accounts[i] ? -1 : 1;
	}
	if (a->naccounts != b->naccounts)
		return a->naccounts < b->naccounts ? -1 : 1;
	return strcmp(a->message, b->message);
}

/* A finding and the model its account ids mean, for qsort(). */
struct ordered {
	const struct spn_finding *f;
	const struct spn_model *m;
};

static int cmp_ordered(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	return spn_finding_cmp(x->f, y->f, x->m);
}

bool spn_findings_order_plain(struct spn_findings *f, const struct spn_model *m)
{
	struct ordered *o = malloc(f->n * sizeof(*o));
	struct spn_finding *tmp = malloc(f->n * sizeof(*tmp));
	if (!o || !tmp) {
		free(o);
		free(tmp);
		return false;
	}
	for (size_t i = 0; i < f->n; i++)
		o[i] = (struct ordered){&f->v[i], m};
	qsort(o, f->n, sizeof(*o), cmp_ordered);
	for (size_t i = 0; i < f->n; i++)
		tmp[i] = *o[i].f;
	memcpy(f->v, tmp, f->n * sizeof(*tmp));
	free(tmp);
	free(o);
	return true;
}

void spn_findings_sort(struct spn_findings *f, const struct spn_model *m)
{
	/* Cannot allocate: the (already deterministic) run order stays. */
	(void)spn_findings_sort_ok(f, m);
}

bool spn_findings_sort_ok(struct spn_findings *f, const struct spn_model *m)
{
	return f->n < 2 || SPN_TUNED(spn_findings_order)(f, m);
}
