/*
 * krb_int.h - what the files of lib/krb share: strings into a result's
 * arena, and krb5's message for a code.
 */
#ifndef SPN_KRB_INT_H
#define SPN_KRB_INT_H

#include <krb5.h>

#include "spn/probe.h"

/* printf into the arena; NULL when out of memory. */
char *spn_krb_fmt(struct spn_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A copy of s (NULL stays NULL; *nomem set when the copy fails). */
const char *spn_krb_dup(struct spn_arena *a, const char *s, bool *nomem);
/* krb5's message for code (ctx may be NULL) copied into the arena. */
const char *spn_krb_message(krb5_context ctx, krb5_error_code code, struct spn_arena *a,
                            bool *nomem);
/* An enctype's name, or "enctype N" in the arena. */
const char *spn_krb_enctype(struct spn_arena *a, int32_t enctype, bool *nomem);

/* kdc.c: a context asking only kdc ("dc2.contoso.test", "127.0.0.2:88")
 * for realm; tmp (cap >= 32) receives the file it is built from: unlink
 * it after krb5_free_context(). */
krb5_error_code spn_krb_kdc_context(const char *realm, const char *kdc, krb5_context *ctx,
                                    char *tmp, size_t cap);

#endif
