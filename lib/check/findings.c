/*
 * findings.c - the findings container (strings in one arena), severity
 * names, the deterministic order reports print in, and default check
 * settings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "spn/check.h"

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
	/* FILETIME: 100 ns ticks since 1601-01-01; the Unix epoch is
	 * 11644473600 s later. */
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		ts.tv_sec = time(NULL);
		ts.tv_nsec = 0;
	}
	o->now = ((int64_t)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
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

enum spn_rc spn_findings_add(struct spn_findings *f, const char *code, enum spn_severity sev,
                             const char *spn, const uint32_t *accounts, size_t naccounts,
                             const char *fix, const char *fmt, ...)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct spn_finding *v = realloc(f->v, cap * sizeof(*v));
		if (!v)
			return SPN_NOMEM;
		f->v = v;
		f->cap = cap;
	}
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = len < 0 ? NULL : spn_arena_alloc(&f->arena, (size_t)len + 1);
	if (msg)
		vsnprintf(msg, (size_t)len + 1, fmt, ap2);
	va_end(ap2);

	struct spn_finding *x = &f->v[f->n];
	x->code = dup_str(&f->arena, code);
	x->severity = sev;
	x->spn = dup_str(&f->arena, spn);
	x->naccounts = naccounts;
	x->accounts = NULL;
	x->message = msg;
	x->fix = dup_str(&f->arena, fix ? fix : "");
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

/* qsort has no context argument: each element carries the model. */
struct sortrec {
	const struct spn_finding *f;
	const struct spn_model *m;
};

static int cmp_str0(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	int c = strcasecmp(a, b);
	return c ? c : strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct sortrec *ra = pa, *rb = pb;
	const struct spn_finding *a = ra->f, *b = rb->f;
	const struct spn_model *m = ra->m;
	int c;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = cmp_str0(a->spn, b->spn)) != 0)
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

void spn_findings_sort(struct spn_findings *f, const struct spn_model *m)
{
	if (f->n < 2)
		return;
	struct sortrec *r = malloc(f->n * sizeof(*r));
	struct spn_finding *tmp = malloc(f->n * sizeof(*tmp));
	if (!r || !tmp) {
		/* Cannot allocate: leave the (already deterministic) run order. */
		free(r);
		free(tmp);
		return;
	}
	for (size_t i = 0; i < f->n; i++)
		r[i] = (struct sortrec){&f->v[i], m};
	qsort(r, f->n, sizeof(*r), cmp_finding);
	for (size_t i = 0; i < f->n; i++)
		tmp[i] = *r[i].f;
	memcpy(f->v, tmp, f->n * sizeof(*tmp));
	free(tmp);
	free(r);
}
