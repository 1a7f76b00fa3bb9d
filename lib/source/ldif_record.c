/*
 * ldif_record.c - LDIF records of a snapshot: which line starts what, the
 * entry handed to the model, ranged attributes that were not followed, and
 * the trailers ldapsearch writes without -LLL.
 *
 * A record is one of:
 *   "dn:" / "dn::"   an entry: its attribute lines fill r->e (slices into the
 *                    stream buffer), handed to spn_model_add_entry() at the
 *                    blank line that ends it (or at end of input);
 *   "version: 1"     the LDIF version line (accepted at any record boundary,
 *                    so concatenated exports read);
 *   "search:"        ldapsearch's result trailer ("result: 4 Size limit
 *                    exceeded" records a gap: the export was cut short);
 *   "ref:"           a search continuation reference (another naming
 *                    context: not this snapshot's data; skipped).
 * "changetype: add" (ldifde writes it on every entry) is an entry; any other
 * changetype and "control:" lines are change records, which are an error.
 * Part of the reader's hot path (see ldif_reader.c): per line, nothing is
 * allocated; attributes spnctl does not read are dropped after one look-up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldif_int.h"

#define SCRATCH_CHUNK ((size_t)64 * 1024)

char *spn_ldif_scratch(struct spn_ldif *r, size_t n)
{
	struct spn_ldif_scratch *c = r->scratch;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > SCRATCH_CHUNK ? n : SCRATCH_CHUNK;
		if (cap > SIZE_MAX - sizeof(*c) || !(c = malloc(sizeof(*c) + cap)))
			return NULL;
		c->prev = r->scratch;
		c->cap = cap;
		c->used = 0;
		r->scratch = c;
	}
	char *p = c->data + c->used;
	c->used += n;
	return p;
}

void spn_ldif_scratch_reset(struct spn_ldif *r)
{
	struct spn_ldif_scratch *c = r->scratch;
	if (!c)
		return;
	while (c->prev) {
		struct spn_ldif_scratch *prev = c->prev;
		free(c);
		c = prev;
	}
	c->used = 0;
	r->scratch = c;
}

static void reset_ranges(struct spn_ldif *r)
{
	r->nranges = 0;
	for (int a = 0; a < SPN_A_COUNT; a++)
		r->last_range[a] = SIZE_MAX;
}

void spn_ldif_record_init(struct spn_ldif *r)
{
	spn_entry_init(&r->e);
	r->state = SPN_LDIF_BETWEEN;
	r->ranges = NULL;
	r->capranges = 0;
	reset_ranges(r);
}

void spn_ldif_record_release(struct spn_ldif *r)
{
	spn_entry_release(&r->e);
	spn_ldif_scratch_reset(r);
	free(r->scratch);
	r->scratch = NULL;
	free(r->ranges);
	r->ranges = NULL;
	r->nranges = r->capranges = 0;
}

enum spn_rc spn_ldif_decode(struct spn_ldif *r, const char *name, size_t name_len,
                            const char **value, size_t *len, size_t line, bool binary, bool dn)
{
	size_t out;
	char what[80];
	char *to = spn_ldif_scratch(r, *len + 1);
	if (!to)
		return spn_err_set(r->err, SPN_NOMEM, "out of memory");
	int rc = spn_ldif_base64_to(*value, *len, to, &out);
	if (rc == 0 && (binary || !memchr(to, '\0', out))) {
		*value = to;
		*len = out;
		return SPN_OK;
	}
	if (!dn)
		spn_ldif_printable(name, name_len, what, sizeof(what));
	if (rc == -1)
		return dn ? spn_ldif_fail(r, line, "base64 DN is not valid")
		          : spn_ldif_fail(r, line, "base64 value of '%s' is not valid", what);
	if (rc == -2)
		return dn ? spn_ldif_fail(r, line, "base64 DN is truncated")
		          : spn_ldif_fail(r, line, "base64 value of '%s' is truncated", what);
	return dn ? spn_ldif_fail(r, line, "base64 DN contains a NUL byte")
	          : spn_ldif_fail(r, line, "base64 value of '%s' contains a NUL byte", what);
}

/* Decode a "name::" value into the scratch; NUL bytes are allowed only
 * where the attribute is binary (objectSid, a security descriptor), never in a DN or a text value. */
static enum spn_rc decode(struct spn_ldif *r, struct spn_ldif_line *l, size_t line, bool binary)
{
	if (!l->base64)
		return SPN_OK;
	return spn_ldif_decode(r, l->name, l->name_len + l->opts_len, &l->value, &l->value_len, line,
	                       binary, l->code == SPN_LDIF_N_DN);
}

static enum spn_rc no_url(struct spn_ldif *r, const struct spn_ldif_line *l, size_t line)
{
	char what[80];
	if (!l->url)
		return SPN_OK;
	return spn_ldif_fail(r, line, "'%s:<' (a value read from a URL) is not supported",
	                     spn_ldif_printable(l->name, l->name_len + l->opts_len, what, sizeof(what)));
}

/* Remember a ";range=" of attribute a. Consecutive lines repeat it: compare
 * with the last one of the same attribute only (O(1) a line; a repeat that
 * is not consecutive is kept twice, which the coverage check tolerates). */
static enum spn_rc add_range(struct spn_ldif *r, int a, uint64_t low, uint64_t high, size_t line)
{
	size_t last = r->last_range[a];
	if (last < r->nranges && r->ranges[last].low == low && r->ranges[last].high == high)
		return SPN_OK;
	if (r->nranges == r->capranges) {
		size_t cap = r->capranges ? r->capranges * 2 : 16;
		struct spn_ldif_range *v = realloc(r->ranges, cap * sizeof(*v));
		if (!v)
			return spn_err_set(r->err, SPN_NOMEM, "out of memory");
		r->ranges = v;
		r->capranges = cap;
	}
	r->last_range[a] = r->nranges;
	r->ranges[r->nranges++] = (struct spn_ldif_range){low, high, line, a};
	return SPN_OK;
}

static int cmp_range(const void *pa, const void *pb)
{
	const struct spn_ldif_range *a = pa, *b = pb;
	if (a->attr != b->attr)
		return a->attr < b->attr ? -1 : 1;
	if (a->low != b->low)
		return a->low < b->low ? -1 : 1;
	return a->high < b->high ? -1 : a->high > b->high;
}

/* For each ranged attribute of the entry: do its ranges cover 0 to "*"? If
 * not, the export did not follow the range and values are missing. */
static enum spn_rc range_gaps(struct spn_ldif *r)
{
	qsort(r->ranges, r->nranges, sizeof(*r->ranges), cmp_range);
	for (size_t i = 0; i < r->nranges;) {
		size_t j = i;
		uint64_t next = 0;
		bool hole = false;
		for (; j < r->nranges && r->ranges[j].attr == r->ranges[i].attr; j++) {
			const struct spn_ldif_range *g = &r->ranges[j];
			if (g->low > next)
				hole = true;
			if (g->high == UINT64_MAX)
				next = UINT64_MAX;
			else if (g->high + 1 > next)
				next = g->high + 1;
		}
		if (hole || next != UINT64_MAX) {
			char list[200], dn[260];
			size_t used = 0;
			list[0] = '\0';
			for (size_t k = i; k < j && used < sizeof(list); k++) {
				const struct spn_ldif_range *g = &r->ranges[k];
				char hi[24];
				if (k > i && g->low == g[-1].low && g->high == g[-1].high)
					continue;
				if (g->high == UINT64_MAX)
					snprintf(hi, sizeof(hi), "*");
				else
					snprintf(hi, sizeof(hi), "%llu", (unsigned long long)g->high);
				int w = snprintf(list + used, sizeof(list) - used, "%s%llu-%s",
				                 k > i ? ", " : "", (unsigned long long)g->low, hi);
				used += w > 0 ? (size_t)w : 0;
			}
			if (spn_model_add_gap(r->m, "%s:%zu: '%s': %s holds only values %s; the rest were "
			                      "not exported (ranged attribute not followed)",
			                      r->name, spn_ldif_line_no(r, r->ranges[j - 1].line),
			                      spn_ldif_printable(r->e.dn.p, r->e.dn.n, dn, sizeof(dn)),
			                      spn_attr_name((enum spn_attr)r->ranges[i].attr), list))
				return spn_err_set(r->err, SPN_NOMEM, "out of memory");
		}
		i = j;
	}
	return SPN_OK;
}

/* "file:LINE" without printf per entry: the "file:" prefix is written once. */
static void set_where(struct spn_ldif *r)
{
	char digits[24];
	size_t n = 0, v = r->rec_line + r->line_base;
	if (!r->where_len) {
		int w = snprintf(r->where, sizeof(r->where) - sizeof(digits), "%s:", r->name);
		r->where_len = w < 0 ? 0 : (size_t)w < sizeof(r->where) - sizeof(digits) ? (size_t)w
		               : sizeof(r->where) - sizeof(digits) - 1;
	}
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	char *p = r->where + r->where_len;
	while (n)
		*p++ = digits[--n];
	*p = '\0';
}

static enum spn_rc end_entry(struct spn_ldif *r)
{
	/* "file:LINE" only when the model has something to say about the
	 * entry: add it without, and on an input error add it again with the
	 * true line (in a part of a file read in parallel, lines count from
	 * the part's start until then). A model that failed to load is
	 * dropped, so adding twice does no harm. */
	r->e.where = NULL;
	enum spn_rc rc = spn_model_add_entry(r->m, r->src, &r->e, r->err);
	if (rc != SPN_OK && r->err->rc == SPN_INPUT) {
		spn_ldif_line_no(r, 0);
		set_where(r);
		r->e.where = r->where;
		spn_err_init(r->err);
		rc = spn_model_add_entry(r->m, r->src, &r->e, r->err);
	}
	if (rc == SPN_OK && r->nranges)
		rc = range_gaps(r);
	r->nentries++;
	spn_entry_reset(&r->e);
	reset_ranges(r);
	spn_ldif_scratch_reset(r);
	r->state = SPN_LDIF_BETWEEN;
	return rc;
}

/* One of spnctl's attributes: decode, note its range, add the value. */
static enum spn_rc entry_value(struct spn_ldif *r, struct spn_ldif_line *l, size_t line)
{
	enum spn_rc rc = decode(r, l, line, spn_attr_binary((enum spn_attr)l->code));
	if (rc)
		return rc;
	if (l->opts) {
		uint64_t low, high;
		const char *bad = NULL;
		size_t bad_len = 0;
		int found = spn_ldif_range_parse(l->opts, l->opts_len, &low, &high, &bad, &bad_len);
		if (found < 0) {
			char o[80], a[40];
			return spn_ldif_fail(r, line, "malformed range option ';%s' on '%s'",
			                     spn_ldif_printable(bad, bad_len, o, sizeof(o)),
			                     spn_ldif_printable(l->name, l->name_len, a, sizeof(a)));
		}
		if (found && (rc = add_range(r, l->code, low, high, line)))
			return rc;
	}
	return spn_ldif_push(r, l->code, l->value, l->value_len);
}

static enum spn_rc entry_line(struct spn_ldif *r, struct spn_ldif_line *l, size_t line)
{
	enum spn_rc rc = no_url(r, l, line);
	if (rc)
		return rc;
	if (l->code == SPN_LDIF_N_OTHER)
		return SPN_OK;
	if (l->code >= 0 && l->code < SPN_A_COUNT)
		return entry_value(r, l, line);
	switch (l->code) {
	case SPN_LDIF_N_DN:
		return spn_ldif_fail(r, line, "second 'dn:' line in one record (is the blank line "
		                     "before it missing?)");
	case SPN_LDIF_N_CHANGETYPE: {
		char t[40];
		if ((rc = decode(r, l, line, false)))
			return rc;
		if (l->value_len == 3 && strncasecmp(l->value, "add", 3) == 0)
			return SPN_OK;  /* ldifde: the entry in full */
		return spn_ldif_fail(r, line, "change records are not a snapshot (changetype: %s)",
		                     spn_ldif_printable(l->value, l->value_len, t, sizeof(t)));
	}
	case SPN_LDIF_N_CONTROL:
		return spn_ldif_fail(r, line, "change records are not a snapshot (control: line)");
	default:
		return SPN_OK;  /* "version", "search", ... inside an entry: attributes we do not read */
	}
}

/* Inside a "search:" trailer or "ref:" record. */
static enum spn_rc skip_line(struct spn_ldif *r, struct spn_ldif_line *l, size_t line)
{
	if (l->code != SPN_LDIF_N_RESULT || l->base64 || l->url)
		return SPN_OK;
	const char *v = l->value;
	size_t n = l->value_len, i = 0;
	while (i < n && v[i] >= '0' && v[i] <= '9')
		i++;
	if (i == 0 || (i < n && v[i] != ' '))
		return spn_ldif_fail(r, line, "malformed 'result:' line (expected 'result: CODE TEXT')");
	for (size_t k = 0; k < i; k++)
		if (v[k] != '0') {
			char t[120];
			if (!r->failed[0]) {
				spn_ldif_printable(v, n, r->failed, sizeof(r->failed));
				r->failed_line = line;
			}
			if (spn_model_add_gap(r->m, "%s:%zu: the search that wrote this file ended with "
			                      "'result: %s'; entries may be missing", r->name,
			                      spn_ldif_line_no(r, line),
			                      spn_ldif_printable(v, n, t, sizeof(t))))
				return spn_err_set(r->err, SPN_NOMEM, "out of memory");
			break;
		}
	return SPN_OK;
}

/* The first line of a record. */
static enum spn_rc record_start(struct spn_ldif *r, struct spn_ldif_line *l, size_t line)
{
	char t[80];
	enum spn_rc rc = no_url(r, l, line);
	if (rc)
		return rc;
	switch (l->code) {
	case SPN_LDIF_N_DN:
		if (l->opts)
			return spn_ldif_fail(r, line, "malformed 'dn:' line (options on dn)");
		if ((rc = decode(r, l, line, false)))
			return rc;
		r->state = SPN_LDIF_ENTRY;
		r->rec_start = r->line_off;
		r->rec_line = line;
		reset_ranges(r);
		r->e.dn.p = l->value;
		r->e.dn.n = l->value_len;
		return SPN_OK;
	case SPN_LDIF_N_VERSION:
		if ((rc = decode(r, l, line, false)))
			return rc;
		while (l->value_len && l->value[l->value_len - 1] == ' ')
			l->value_len--;
		if (l->value_len != 1 || l->value[0] != '1')
			return spn_ldif_fail(r, line, "unsupported LDIF version '%s' (only version 1 exists)",
			                     spn_ldif_printable(l->value, l->value_len, t, sizeof(t)));
		return SPN_OK;
	case SPN_LDIF_N_SEARCH:
	case SPN_LDIF_N_REF:
		r->state = SPN_LDIF_SKIP;
		return SPN_OK;
	default:
		return spn_ldif_fail(r, line, "a record must start with 'dn:', found '%s:'",
		                     spn_ldif_printable(l->name, l->name_len + l->opts_len, t, sizeof(t)));
	}
}

enum spn_rc spn_ldif_record_line(struct spn_ldif *r, const char *s, size_t n, size_t line)
{
	struct spn_ldif_line l;
	if (n == 0) {
		if (r->state == SPN_LDIF_ENTRY)
			return end_entry(r);
		r->state = SPN_LDIF_BETWEEN;
		return SPN_OK;
	}
	if (s[0] == ' ')
		return spn_ldif_fail(r, line, "line starts with a space, but there is no line before "
		                     "it to continue");
	switch (spn_ldif_line_parse(&r->names, s, n, &l)) {
	case 0:
		break;
	case -1:
		return spn_ldif_fail(r, line, "expected 'attribute: value', found a line without ':'");
	default: {
		char t[80];
		const char *colon = memchr(s, ':', n);
		return spn_ldif_fail(r, line, "malformed attribute description '%s'",
		                     spn_ldif_printable(s, (size_t)(colon - s), t, sizeof(t)));
	}
	}
	switch (r->state) {
	case SPN_LDIF_ENTRY:
		return entry_line(r, &l, line);
	case SPN_LDIF_SKIP:
		return skip_line(r, &l, line);
	case SPN_LDIF_BETWEEN:
		break;
	}
	return record_start(r, &l, line);
}

enum spn_rc spn_ldif_record_eof(struct spn_ldif *r)
{
	enum spn_rc rc = r->state == SPN_LDIF_ENTRY ? end_entry(r) : SPN_OK;
	/* Nothing but ldapsearch's trailer saying the search failed: not a
	 * snapshot with gaps, but no snapshot at all. */
	if (rc == SPN_OK && !r->part && r->nentries == 0 && r->failed[0])
		return spn_ldif_fail(r, r->failed_line, "the search failed ('result: %s') and exported "
		                     "nothing; run it again with the right base (-b) and filter", r->failed);
	return rc;
}
