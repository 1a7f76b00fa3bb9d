/*
 * words.c - the small writing tools of a diagnosis (diag_int.h): printf
 * into the arena, sentences and fixes collected as they come, accounts
 * named as an administrator reads them, and words made safe for a shell
 * command line (spn_shell_word).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	const char *r = spn_shell_word(&w->out->arena, s);
	if (!r)
		w->nomem = true;
	return r ? r : "?";
}

const char *spn_shell_word(struct spn_arena *a, const char *s)
{
	bool plain = *s != '\0' && *s != '-';
	for (const char *p = s; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		               "@%+=:,./_-$", *p) != NULL;
	/* '$' is plain only at the end (EXCH01$): elsewhere a shell expands it. */
	const char *dollar = strchr(s, '$');
	if (dollar && dollar[1] != '\0')
		plain = false;
	if (plain)
		return spn_arena_strndup(a, s, strlen(s));
	size_t n = 2;
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *out = spn_arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	out[k++] = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(out + k, "'\\''", 4);
			k += 4;
		} else {
			out[k++] = *p;
		}
	}
	out[k++] = '\'';
	out[k] = '\0';
	return out;
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
