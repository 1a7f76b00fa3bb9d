/*
 * reply.c - what a server's search replies mean, decided from decoded
 * input only (no connection, no model): which values of an entry are
 * taken, which ranged attributes must be fetched further and from which
 * value on, when a paged search is over. search.c does the talking and
 * hands every reply here; tests/fuzz/fuzz_search.c hands raw BER here the
 * same way. Everything a server can make unbounded is bounded (the SPN_*
 * limits in ldap_int.h), and every problem is a gap handed to the
 * caller's function, one line naming the entry and what was not read.
 *
 * Ranged attributes (MS-ADTS 3.1.1.3.1.3.3) keep their state per
 * attribute: another ranged attribute later in the same reply does not
 * change the one being followed; a first reply that does not start at
 * value 0 is fetched again from 0 rather than kept with a hole; a gap on
 * one attribute leaves the others to be followed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_int.h"

/* At most this much of a DN in a message (a DN may be megabytes). */
#define DN_SHOWN 300

static void say(struct spn_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct spn_reply *r, const char *fmt, ...)
{
	char buf[900];
	int k = snprintf(buf, sizeof(buf), "'%.*s%s': ", (int)(r->dn.bv_len > DN_SHOWN ? DN_SHOWN
	                 : r->dn.bv_len), r->dn.bv_val ? r->dn.bv_val : "",
	                 r->dn.bv_len > DN_SHOWN ? "..." : "");
	va_list ap;
	va_start(ap, fmt);
	if (k > 0 && (size_t)k < sizeof(buf))
		vsnprintf(buf + k, sizeof(buf) - (size_t)k, fmt, ap);
	va_end(ap);
	r->gap(r->gapctx, buf);
}

void spn_reply_init(struct spn_reply *r, unsigned step, spn_reply_gap_fn gap, void *ctx)
{
	memset(r, 0, sizeof(*r));
	spn_entry_init(&r->e);
	r->step = step;
	r->gap = gap;
	r->gapctx = ctx;
}

void spn_reply_release(struct spn_reply *r)
{
	spn_entry_release(&r->e);
}

bool spn_reply_begin(struct spn_reply *r, const char *dn, size_t n)
{
	spn_entry_reset(&r->e);
	memset(r->range, 0, sizeof(r->range));
	r->values = 0;
	r->bytes = n;
	r->full = false;
	r->bad = false;
	r->dn.bv_val = (char *)dn;
	r->dn.bv_len = n;
	r->e.dn.p = dn;
	r->e.dn.n = n;
	/* A DN is a string (RFC 4514): a NUL byte would cut it short in the
	 * model and in every follow-up request. */
	if (memchr(dn, '\0', n)) {
		say(r, "the DN holds a NUL byte; the entry was left out");
		r->bad = true;
	}
	return !r->bad;
}

/* Room for one more value (its bytes already counted); the first refusal
 * is a gap and stops everything else for this entry. */
static bool room(struct spn_reply *r, enum spn_attr a)
{
	if (r->full)
		return false;
	if (r->values < SPN_ENTRY_MAX_VALUES && r->bytes <= SPN_ENTRY_MAX_BYTES)
		return true;
	r->full = true;
	say(r, "more than %u values or %zu MiB in one entry; the rest of %s and of the entry "
	    "was not read", SPN_ENTRY_MAX_VALUES, SPN_ENTRY_MAX_BYTES >> 20, spn_attr_name(a));
	return false;
}

static void count(struct spn_reply *r, size_t n)
{
	r->bytes = n < SIZE_MAX - r->bytes ? r->bytes + n : SIZE_MAX;
}

/* Take the values of attribute a (-1: not one of ours: skipped) from the
 * walk. 1: all read; -1: the attribute could not be decoded; -2: no
 * memory. Skipped values count against the entry's bytes too: the message
 * that holds them is kept as long as the entry. */
static int take(struct spn_reply *r, struct spn_attr_walk *w, int a, uint64_t *taken)
{
	struct berval v;
	int k;
	bool nul_said = false;
	while ((k = spn_decode_value(w, &v)) == 1) {
		count(r, v.bv_len);
		if (a < 0 || !room(r, (enum spn_attr)a))
			continue;
		/* Text never holds a NUL byte (the snapshot reader refuses one
		 * too); binary attributes (objectSid, a security descriptor) may. */
		if (!spn_attr_binary((enum spn_attr)a) && memchr(v.bv_val, '\0', v.bv_len)) {
			if (!nul_said)
				say(r, "a value of %s holds a NUL byte; it was left out",
				    spn_attr_name((enum spn_attr)a));
			nul_said = true;
			continue;
		}
		if (spn_entry_add(&r->e, (enum spn_attr)a, v.bv_val, v.bv_len))
			return -2;
		r->values++;
		(*taken)++;
	}
	return k < 0 ? -1 : 1;
}

static void stop_following(struct spn_reply *r, enum spn_attr a)
{
	r->range[a].follow = false;
}

enum spn_rc spn_reply_attrs(struct spn_reply *r, BerElement *ber)
{
	struct spn_attr_walk w;
	struct berval desc;
	unsigned nattrs = 0;
	int k = 0;
	spn_decode_start(&w, ber);
	while (!r->bad && (k = spn_decode_attr(&w, &desc)) == 1) {
		nattrs++;
		count(r, desc.bv_len);
		size_t namelen;
		struct spn_range rg;
		int ranged = spn_range_parse(desc.bv_val, desc.bv_len, &namelen, &rg);
		int a = spn_attr_lookup(desc.bv_val, namelen);
		uint64_t taken = 0;
		if (a >= 0 && ranged < 0) {
			say(r, "the server sent a malformed attribute description '%.*s'; that "
			    "attribute was not read", (int)(desc.bv_len > 100 ? 100 : desc.bv_len),
			    desc.bv_val);
			a = -1;
		} else if (a >= 0 && ranged == 1 && r->range[a].seen) {
			say(r, "the server sent %s twice with ranges; values %lu and beyond were not "
			    "read", spn_attr_name((enum spn_attr)a), r->range[a].next);
			stop_following(r, (enum spn_attr)a);
			a = -1;
		} else if (a >= 0 && ranged == 1) {
			struct spn_reply_range *s = &r->range[a];
			s->seen = true;
			/* A first part that does not start at 0 is fetched again from
			 * 0: its values are not kept, so none is lost or doubled. */
			s->follow = rg.low != 0 || !rg.to_end;
			s->next = rg.low != 0 ? 0 : rg.high + 1;
			if (rg.low != 0)
				a = -1;
		}
		k = take(r, &w, a, &taken);
		if (k == -2)
			return SPN_NOMEM;
		if (k < 0)
			break;
	}
	if (!r->bad && k < 0) {
		say(r, "the server sent an attribute that cannot be decoded (after %u attributes); "
		    "the entry was left out", nattrs);
		r->bad = true;
	}
	return SPN_OK;
}

bool spn_reply_next(struct spn_reply *r, enum spn_attr *a, char *req, size_t cap)
{
	if (r->bad || r->full)
		return false;
	for (int i = 0; i < SPN_A_COUNT; i++) {
		struct spn_reply_range *s = &r->range[i];
		if (!s->follow)
			continue;
		if (s->steps >= SPN_RANGE_MAX_STEPS) {
			say(r, "%s: stopped after %u range requests; values %lu and beyond were not read",
			    spn_attr_name((enum spn_attr)i), SPN_RANGE_MAX_STEPS, s->next);
			s->follow = false;
			continue;
		}
		if (!room(r, (enum spn_attr)i))
			return false;
		if (!spn_range_request(req, cap, spn_attr_name((enum spn_attr)i), s->next, r->step)) {
			s->follow = false;
			continue;
		}
		*a = (enum spn_attr)i;
		return true;
	}
	return false;
}

void spn_reply_range_failed(struct spn_reply *r, enum spn_attr a, const char *why)
{
	say(r, "values %lu and beyond of %s not read: %s", r->range[a].next, spn_attr_name(a), why);
	stop_following(r, a);
}

enum spn_rc spn_reply_range(struct spn_reply *r, enum spn_attr a, BerElement *ber,
                            size_t dnlen)
{
	struct spn_reply_range *s = &r->range[a];
	s->steps++;
	if (!ber) {
		spn_reply_range_failed(r, a, "the entry was not returned");
		return SPN_OK;
	}
	count(r, dnlen);
	struct spn_attr_walk w;
	struct berval desc;
	bool found = false;
	int k = 0;
	spn_decode_start(&w, ber);
	while ((k = spn_decode_attr(&w, &desc)) == 1) {
		size_t namelen;
		struct spn_range rg;   /* this attribute's own: another one's never counts */
		int ranged = spn_range_parse(desc.bv_val, desc.bv_len, &namelen, &rg);
		uint64_t taken = 0;
		if (found || spn_attr_lookup(desc.bv_val, namelen) != (int)a) {
			k = take(r, &w, -1, &taken);
			if (k < 0)
				break;
			continue;
		}
		found = true;
		if (ranged <= 0 || rg.low != s->next) {
			char why[200];
			snprintf(why, sizeof(why), "the server answered with '%.*s'",
			         (int)(desc.bv_len > 100 ? 100 : desc.bv_len), desc.bv_val);
			spn_reply_range_failed(r, a, why);
			k = take(r, &w, -1, &taken);
			if (k < 0)
				break;
			continue;
		}
		k = take(r, &w, (int)a, &taken);
		if (k == -2)
			return SPN_NOMEM;
		if (k < 0)
			break;
		r->ranged += taken;
		s->follow = !rg.to_end && !r->full;
		s->next = rg.to_end ? s->next : rg.high + 1;
	}
	if (k < 0 && s->follow)
		spn_reply_range_failed(r, a, "the reply could not be decoded");
	/* No such attribute: no values at or after the one asked for (Samba
	 * answers a range past the last value this way). */
	else if (!found)
		stop_following(r, a);
	return SPN_OK;
}

/* ---- Paging ---- */

void spn_paging_release(struct spn_paging *p)
{
	free(p->last);
	memset(p, 0, sizeof(*p));
}

enum spn_page spn_paging_next(struct spn_paging *p, const struct berval *cookie)
{
	p->pages++;
	if (!cookie || !cookie->bv_val || cookie->bv_len == 0)
		return SPN_PAGE_DONE;
	/* A server that ignores the cookie sends the same one back forever. */
	if (p->last && p->nlast == cookie->bv_len && memcmp(p->last, cookie->bv_val, p->nlast) == 0)
		return SPN_PAGE_REPEATED;
	if (p->pages >= SPN_SEARCH_MAX_PAGES)
		return SPN_PAGE_TOO_MANY;
	char *c = malloc(cookie->bv_len);
	if (!c)
		return SPN_PAGE_NOMEM;
	memcpy(c, cookie->bv_val, cookie->bv_len);
	free(p->last);
	p->last = c;
	p->nlast = cookie->bv_len;
	return SPN_PAGE_MORE;
}
