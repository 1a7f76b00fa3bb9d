/*
 * words.c - the small writing tools of a diagnosis (diag_int.h): printf
 * into the arena, sentences and fixes collected as they come, accounts
 * named as an administrator reads them, and the spnctl command lines of
 * the fixes, their words quoted by base/cmdline_word.h (or, when a value
 * cannot be put on a command line safely, a sentence saying so instead).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/cmdline_word.h"
#include "diag_int.h"

const char *dw_fmt(struct dwork *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = spn_arena_vprintf(&w->out->arena, fmt, ap);
	va_end(ap);
	if (!s)
		w->nomem = true;
	return s;
}

void dw_why(struct dwork *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dl_vadd(&w->why, &w->out->arena, fmt, ap);
	va_end(ap);
}

void dw_fix(struct dwork *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dl_vadd(&w->fix, &w->out->arena, fmt, ap);
	va_end(ap);
}

const char *dw_name(const struct spn_model *m, uint32_t id)
{
	const struct spn_account *a = spn_model_account(m, id);
	return a->sam ? a->sam : a->dn;
}

const char *dw_account(struct dwork *w, uint32_t id)
{
	const struct spn_account *a = spn_model_account(w->m, id);
	if (!a->sam)
		return a->dn;
	return dw_fmt(w, "%s (%s)", a->sam, a->dn);
}

const char *dw_word(struct dwork *w, const char *s)
{
	char buf[SPN_CMDLINE_WORD_MAX];
	if (!spn_sh_word(s, buf, sizeof(buf)))
		return NULL;
	const char *r = spn_arena_strndup(&w->out->arena, buf, strlen(buf));
	if (!r)
		w->nomem = true;
	return r;
}

const char *dl_cmd(struct spn_arena *a, const char *verb, const char *x, const char *y,
                   const char *tail, const char **bad, bool *nomem)
{
	char wx[SPN_CMDLINE_WORD_MAX], wy[SPN_CMDLINE_WORD_MAX];
	*bad = NULL;
	if (!spn_sh_word(x, wx, sizeof(wx)))
		*bad = x;
	else if (y && !spn_sh_word(y, wy, sizeof(wy)))
		*bad = y;
	if (*bad)
		return NULL;
	const char *r = spn_arena_printf(a, "spnctl %s -- %s%s%s%s", verb, wx, y ? " " : "",
	                                 y ? wy : "", tail ? tail : "");
	if (!r)
		*nomem = true;
	return r;
}

const char *dl_no_cmd(struct spn_arena *a, const char *bad, bool *nomem)
{
	const char *r = spn_arena_printf(a, "No command line for this: %s holds characters a shell "
	                                 "command line cannot carry safely; make the change with an "
	                                 "LDIF (ldapmodify -f), which carries any value exactly "
	                                 "(base64 where needed).", bad);
	if (!r)
		*nomem = true;
	return r;
}

void dw_cmd(struct dwork *w, const char *verb, const char *x, const char *y, const char *tail)
{
	const char *bad;
	const char *line = dl_cmd(&w->out->arena, verb, x, y, tail, &bad, &w->nomem);
	if (bad)
		line = dl_no_cmd(&w->out->arena, bad, &w->nomem);
	if (line)
		dw_fix(w, "%s", line);
}

void dl_vadd(struct dlines *l, struct spn_arena *a, const char *fmt, va_list ap)
{
	const char *s = spn_arena_vprintf(a, fmt, ap);
	if (!s) {
		l->nomem = true;
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return;
	if (l->n < sizeof(l->v) / sizeof(l->v[0]))
		l->v[l->n++] = s;
}

void dl_add(struct dlines *l, struct spn_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dl_vadd(l, a, fmt, ap);
	va_end(ap);
}

bool dl_keep(const struct dlines *l, struct spn_arena *a, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (l->nomem)
		return false;
	if (!l->n)
		return true;
	const char **v = spn_arena_alloc(a, l->n * sizeof(*v));
	if (!v)
		return false;
	memcpy(v, l->v, l->n * sizeof(*v));
	*out = v;
	*n = l->n;
	return true;
}
