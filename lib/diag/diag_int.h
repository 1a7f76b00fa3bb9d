/*
 * diag_int.h - what the files of lib/diag/ share: one diagnosis being
 * written (sentences and fixes collected, then moved into the arena),
 * accounts in words, and the keytab's part (keytab_diag.c).
 */
#ifndef SPN_DIAG_INT_H
#define SPN_DIAG_INT_H

#include <stdarg.h>

#include "spn/diag.h"
#include "spn/spn.h"

/* A growing list of sentences in an arena (a diagnosis's sentences and
 * fixes, doctor's lines): each sentence once. */
struct dlines {
	const char *v[24];
	size_t n;
	bool nomem;
};
void dl_add(struct dlines *l, struct spn_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dl_vadd(struct dlines *l, struct spn_arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* The list moved into the arena: *out, *n (NULL, 0 when empty). */
bool dl_keep(const struct dlines *l, struct spn_arena *a, const char ***out, size_t *n);

struct dwork {
	struct spn_diags *out;
	const struct spn_model *m;
	struct spn_diag d;
	struct spn_resolution pred;   /* resolve's answer (d.prediction points here until the end) */
	bool have_pred;
	struct spn_parts parts;       /* the SPN's parts */
	bool parsed;
	struct dlines why, fix;
	bool nomem;
};

/* printf into the diagnoses' arena; NULL (and w->nomem) when out of memory. */
const char *dw_fmt(struct dwork *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One more sentence of "why" / one more fix. */
void dw_why(struct dwork *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dw_fix(struct dwork *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "svc_http (CN=svc_http,CN=Users,DC=contoso,DC=test)" */
const char *dw_account(struct dwork *w, uint32_t id);
/* "svc_http", or the DN when there is no sAMAccountName. */
const char *dw_name(const struct spn_model *m, uint32_t id);
/* s as a word of a shell command line (base/cmdline_word.h), in the
 * arena; NULL when it cannot be put on one safely (or memory ran out:
 * then w->nomem). */
const char *dw_word(struct dwork *w, const char *s);
/* "spnctl VERB -- X[ Y][TAIL]" with X and Y made shell words, in arena a;
 * NULL when one cannot be (*bad: that value) or memory ran out (*nomem).
 * "--": a value starting with '-' (an account named --uri=ldap://...)
 * stays an operand, never an option, quoted or not. */
const char *dl_cmd(struct spn_arena *a, const char *verb, const char *x, const char *y,
                   const char *tail, const char **bad, bool *nomem);
/* The fix said instead of a command line that would carry bad. */
const char *dl_no_cmd(struct spn_arena *a, const char *bad, bool *nomem);
/* One more fix: dl_cmd()'s line, or dl_no_cmd()'s sentence. */
void dw_cmd(struct dwork *w, const char *verb, const char *x, const char *y, const char *tail);

/* keytab_diag.c: the keytab against the ticket and the directory, into
 * w->d.keytab_text, w->d.keytab_opens and fixes. */
void dw_keytab(struct dwork *w);

/* delegation.c: --via's front end against the service's primary SPN. */
struct spn_doctor;
enum spn_rc dw_delegation(struct spn_doctor *d, const struct spn_model *m, const char *via,
                          struct dlines *fixes, struct spn_err *err);

#endif
