/*
 * accept.c - accept files (spn/accept.h): reading the list of accepted
 * findings, line by line, and marking the findings it names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/whole_file.h"
#include "spn/accept.h"
#include "check_int.h"

#define FILE_MAX ((size_t)64 << 20)

void spn_accept_init(struct spn_accept *a)
{
	memset(a, 0, sizeof(*a));
}

void spn_accept_release(struct spn_accept *a)
{
	free(a->v);
	for (size_t i = 0; i < a->ntexts; i++)
		free(a->texts[i]);
	free(a->texts);
	memset(a, 0, sizeof(*a));
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A finding id: exactly 16 hex digits (lower-cased in place). */
static bool is_id(char *w, size_t n)
{
	if (n != SPN_FINDING_ID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (c >= 'A' && c <= 'F')
			w[i] = (char)(c - 'A' + 'a');
		else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

static bool push(struct spn_accept *a, struct spn_accept_entry e)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		struct spn_accept_entry *v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return false;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = e;
	return true;
}

/* The line s[0..n) without its comment and surrounding blanks. */
static size_t strip(char **s, size_t n)
{
	char *p = *s;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '#' && (i == 0 || is_blank(p[i - 1]))) {
			n = i;
			break;
		}
	while (n && (is_blank(p[n - 1]) || p[n - 1] == '\r'))
		n--;
	while (n && is_blank(*p)) {
		p++;
		n--;
	}
	*s = p;
	return n;
}

/* One line, already stripped and NUL-terminated at s[n]. */
static enum spn_rc parse_line(struct spn_accept *a, const char *name, size_t line, char *s,
                              size_t n, struct spn_err *err)
{
	size_t w = 0;
	while (w < n && !is_blank(s[w]))
		w++;
	char *rest = s + w;
	size_t rn = n - w;
	while (rn && is_blank(*rest)) {
		rest++;
		rn--;
	}
	s[w] = '\0';
	if (is_id(s, w)) {
		if (rn)
			return spn_err_set(err, SPN_INPUT, "%s:%zu: a finding id takes nothing after it "
			                   "(a comment starts with '#')", name, line);
		return push(a, (struct spn_accept_entry){s, NULL, NULL, line})
		       ? SPN_OK : spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	if (!rn)
		return spn_err_set(err, SPN_INPUT, "%s:%zu: '%.60s' is neither a finding id (16 hex "
		                   "digits) nor 'CODE NAME'", name, line, s);
	if (!spn_check_find(s))
		return spn_err_set(err, SPN_INPUT, "%s:%zu: unknown check '%.60s' (spnctl checks lists "
		                   "them)", name, line, s);
	return push(a, (struct spn_accept_entry){NULL, s, rest, line})
	       ? SPN_OK : spn_err_set(err, SPN_NOMEM, "out of memory");
}

enum spn_rc spn_accept_parse(struct spn_accept *a, const char *name, const char *text, size_t n,
                             struct spn_err *err)
{
	if (memchr(text, '\0', n))
		return spn_err_set(err, SPN_INPUT, "%s: holds a NUL byte: not a text file", name);
	char *copy = malloc(n + 1);
	if (!copy)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	memcpy(copy, text, n);
	copy[n] = '\0';
	/* The entries point into the copy: one kept per file parsed. */
	char **t = realloc(a->texts, (a->ntexts + 1) * sizeof(*t));
	if (!t) {
		free(copy);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	a->texts = t;
	t[a->ntexts++] = copy;
	size_t line = 0;
	for (char *p = copy, *end = copy + n; p < end || (p == end && line == 0);) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		if (nl)
			*nl = '\0';
		char *s = p;
		size_t k = strip(&s, len);
		s[k] = '\0';
		enum spn_rc rc = k ? parse_line(a, name, line, s, k, err) : SPN_OK;
		if (rc)
			return rc;
		if (!nl)
			break;
		p = nl + 1;
	}
	return SPN_OK;
}

enum spn_rc spn_accept_read_file(struct spn_accept *a, const char *path, struct spn_err *err)
{
	char *buf;
	size_t n;
	enum spn_rc rc = spn_read_whole_file(path, FILE_MAX, "an accept file", &buf, &n, err);
	if (rc == SPN_OK)
		rc = spn_accept_parse(a, path, buf ? buf : "", n, err);
	free(buf);
	return rc;
}

/* sAMAccountName equal to name, ignoring case and a trailing '$' on either. */
static bool same_sam(const char *sam, const char *name)
{
	size_t a = strlen(sam), b = strlen(name);
	a -= a && sam[a - 1] == '$';
	b -= b && name[b - 1] == '$';
	return a == b && strncasecmp(sam, name, a) == 0;
}

/* Is the SPN of a finding the name, as AD compares them? */
static bool same_spn(const char *spn, const char *name, bool *nomem)
{
	size_t na, nb;
	char *ka = spn_check_key(spn, &na), *kb = spn_check_key(name, &nb);
	bool eq = ka && kb && na == nb && memcmp(ka, kb, na) == 0;
	*nomem |= !ka || !kb;
	free(ka);
	free(kb);
	return eq;
}

static bool names(const struct spn_accept_entry *e, const struct spn_model *m,
                  const struct spn_finding *f, const char *id, bool *nomem)
{
	if (e->id)
		return strcmp(e->id, id) == 0;
	if (strcmp(e->code, f->code) != 0)
		return false;
	if (f->spn)
		return same_spn(f->spn, e->name, nomem);
	if (!f->naccounts)
		return false;
	const struct spn_account *acc = spn_model_account(m, f->accounts[0]);
	return strcasecmp(acc->dn, e->name) == 0 || (acc->sam && same_sam(acc->sam, e->name));
}

enum spn_rc spn_accept_apply(const struct spn_accept *a, const struct spn_model *m,
                             struct spn_findings *f, size_t *naccepted)
{
	bool nomem = false;
	*naccepted = 0;
	for (size_t i = 0; i < f->n && a->n; i++) {
		char id[SPN_FINDING_ID_LEN + 1];
		if (!spn_finding_id(m, &f->v[i], id)) {
			nomem = true;
			continue;
		}
		for (size_t k = 0; k < a->n && !f->v[i].accepted; k++)
			f->v[i].accepted = names(&a->v[k], m, &f->v[i], id, &nomem);
		*naccepted += f->v[i].accepted;
	}
	return nomem ? SPN_NOMEM : SPN_OK;
}
