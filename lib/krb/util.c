/*
 * util.c - strings for probe and keytab results: printf and copies into a
 * result's arena, krb5's messages, encryption type names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "krb_int.h"

char *spn_krb_fmt(struct spn_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	char *s = len < 0 ? NULL : spn_arena_alloc(a, (size_t)len + 1);
	if (s)
		vsnprintf(s, (size_t)len + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	return s;
}

const char *spn_krb_dup(struct spn_arena *a, const char *s, bool *nomem)
{
	if (!s)
		return NULL;
	char *c = spn_arena_strndup(a, s, strlen(s));
	if (!c)
		*nomem = true;
	return c;
}

const char *spn_krb_message(krb5_context ctx, krb5_error_code code, struct spn_arena *a,
                            bool *nomem)
{
	const char *m = krb5_get_error_message(ctx, code);
	const char *c = spn_krb_dup(a, m ? m : "unknown Kerberos error", nomem);
	if (m)
		krb5_free_error_message(ctx, m);
	return c;
}

const char *spn_krb_enctype(struct spn_arena *a, int32_t enctype, bool *nomem)
{
	const char *name = spn_enctype_name(enctype);
	if (name)
		return name;
	char *s = spn_krb_fmt(a, "enctype %d", (int)enctype);
	if (!s)
		*nomem = true;
	return s;
}
