/*
 * search.c - one search, read to the end or reported as cut short.
 *
 *  - Paged (RFC 2696, 1.2.840.113556.1.4.319) whenever a page size is set:
 *    AD returns at most MaxPageSize entries per search without it.
 *  - Ranged values (MS-ADTS 3.1.1.3.1.3.3): a reply attribute named
 *    "servicePrincipalName;range=0-1499" holds part of the values; the rest
 *    is fetched with base searches asking "servicePrincipalName;range=1500-*"
 *    until a reply range ends in "*". With a range step the first request
 *    already asks for "attr;range=0-(step-1)" (Samba ranges only when asked).
 *  - Continuation references and referrals are never chased (an anonymous
 *    chase is refused by AD anyway): a reference to a partition that holds
 *    no accounts (Configuration, DNS zones) is counted and ignored; any
 *    other is a gap.
 *  - Size, time or admin limit, a lost connection, or a failure after
 *    entries arrived: a gap in the model naming what was not read, and
 *    SPN_INCOMPLETE. Never a silent short read.
 *  - A hostile or broken server: what its replies mean is decided in
 *    reply.c (decoding errors, ranges, caps, paging cookies); here every
 *    wait ends at the connection's deadline (--timeout) or after
 *    SPN_LDAP_IDLE_MAX of silence, a repeated cookie or too many pages end
 *    the search, and at most SPN_SEARCH_MAX_GAPS gaps are listed per
 *    search (the rest are counted), so no server can make spnctl wait or
 *    hold memory without bound.
 *
 * Speed: entries are decoded in place (decode.c points into the received
 * message; nothing is allocated per attribute), all messages already
 * received are taken per ldap_result() call, and the next page is
 * requested before the current one is digested (all_pages). The model
 * copies what it keeps, so nothing here outlives one entry.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_int.h"

struct keep {               /* range follow-up replies the entry's values point into */
	LDAPMessage **msgs;     /* ldap_msgfree */
	size_t n, cap;
};

struct state {
	struct spn_conn *c;
	const struct spn_search *s;
	struct spn_model *m;
	struct spn_search_stats *st;
	struct spn_reply r;     /* the entry being read */
	struct keep k;
	struct spn_buf dn;      /* current DN, NUL-terminated, for follow-ups */
	struct spn_paging paging;
	uint64_t gaps;          /* gaps recorded by this search */
	uint64_t unlisted;      /* gaps past SPN_SEARCH_MAX_GAPS: counted only */
	bool incomplete;
	bool stop;              /* the connection is gone or the time is up */
	bool nomem;             /* a gap could not be recorded */
};

static bool keep_msg(struct keep *k, LDAPMessage *m)
{
	if (k->n == k->cap) {
		size_t nc = k->cap ? k->cap * 2 : 16;
		LDAPMessage **nv = realloc(k->msgs, nc * sizeof(*nv));
		if (!nv)
			return false;
		k->msgs = nv;
		k->cap = nc;
	}
	k->msgs[k->n++] = m;
	return true;
}

static void keep_clear(struct keep *k)
{
	for (size_t i = 0; i < k->n; i++)
		ldap_msgfree(k->msgs[i]);
	k->n = 0;
}

static void keep_release(struct keep *k)
{
	keep_clear(k);
	free(k->msgs);
}

static enum spn_rc gap(struct state *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum spn_rc gap(struct state *x, const char *fmt, ...)
{
	char buf[900];
	x->incomplete = true;
	if (x->gaps >= SPN_SEARCH_MAX_GAPS) {
		x->unlisted++;
		return SPN_OK;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	x->gaps++;
	if (spn_model_add_gap(x->m, "%s: %s", x->c->uri, buf) != SPN_OK) {
		x->nomem = true;
		return SPN_NOMEM;
	}
	return SPN_OK;
}

static void reply_gap(void *ctx, const char *msg)
{
	gap(ctx, "%s", msg);
}

static void lost(struct state *x, int lrc, bool oversized)
{
	x->c->down = true;
	x->stop = true;
	if (oversized)
		gap(x, "the server sent a message longer than %u MiB (or one that cannot be framed) "
		    "after %llu entries of the search for %s under '%s'; the connection was dropped and "
		    "the rest was not read", SPN_LDAP_MAX_INCOMING >> 20,
		    (unsigned long long)x->st->entries, x->s->what, x->s->base);
	else
		gap(x, "connection lost after %llu entries of the search for %s under '%s' (%s); "
		    "the rest was not read", (unsigned long long)x->st->entries, x->s->what,
		    x->s->base, ldap_err2string(lrc));
}

/* A wait ran out: the deadline (--timeout) or SPN_LDAP_IDLE_MAX of silence. */
static void cut_short(struct state *x)
{
	x->stop = true;
	x->c->timed_out = true;
	if (spn_conn_expired(x->c))
		gap(x, "the search for %s under '%s' did not end within the --timeout of %u s "
		    "(%llu entries read); the rest was not read", x->s->what, x->s->base,
		    x->c->timeout, (unsigned long long)x->st->entries);
	else
		gap(x, "the server sent nothing for %d s after %llu entries of the search for %s "
		    "under '%s'; the rest was not read", SPN_LDAP_IDLE_MAX,
		    (unsigned long long)x->st->entries, x->s->what, x->s->base);
}

/* One range follow-up of the current entry: attribute a, request req. */
static enum spn_rc follow_one(struct state *x, enum spn_attr a, char *req, struct spn_err *err)
{
	char *attrs[] = {req, NULL};
	LDAPMessage *e = NULL;
	char *diag = NULL;
	int lrc = spn_conn_read_base(x->c, spn_buf_str(&x->dn), attrs, &e, &diag);
	ldap_memfree(diag);
	if (e && !keep_msg(&x->k, e)) {
		ldap_msgfree(e);
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	}
	if (x->c->down) {
		spn_reply_range_failed(&x->r, a, "the connection was lost");
		lost(x, lrc, false);
		return SPN_OK;
	}
	if (lrc == LDAP_TIMEOUT) {
		spn_reply_range_failed(&x->r, a, "no answer in time");
		cut_short(x);
		return SPN_OK;
	}
	if (lrc != LDAP_SUCCESS) {
		spn_reply_range_failed(&x->r, a, ldap_err2string(lrc));
		return SPN_OK;
	}
	BerElement *ber = NULL;
	struct berval dn = {0, NULL};
	if (e && ldap_get_dn_ber(x->c->ld, e, &ber, &dn) != LDAP_SUCCESS) {
		if (ber)
			ber_free(ber, 0);
		spn_reply_range_failed(&x->r, a, "the reply cannot be decoded");
		return SPN_OK;
	}
	enum spn_rc rc = spn_reply_range(&x->r, a, e ? ber : NULL, dn.bv_len);
	if (ber)
		ber_free(ber, 0);
	return rc ? spn_err_set(err, SPN_NOMEM, "out of memory") : SPN_OK;
}

/* Fetch the rest of every ranged attribute of the current entry. */
static enum spn_rc follow_ranges(struct state *x, struct spn_err *err)
{
	enum spn_attr a;
	char req[96];
	bool named = false;
	enum spn_rc rc = SPN_OK;
	while (rc == SPN_OK && !x->stop && spn_reply_next(&x->r, &a, req, sizeof(req))) {
		if (!named) {
			/* reply.c refused DNs with a NUL byte: this is the whole DN. */
			spn_buf_clear(&x->dn);
			spn_buf_add(&x->dn, x->r.dn.bv_val, x->r.dn.bv_len);
			if (!spn_buf_ok(&x->dn))
				return spn_err_set(err, SPN_NOMEM, "out of memory");
			named = true;
		}
		rc = follow_one(x, a, req, err);
	}
	return rc;
}

static enum spn_rc on_entry(struct state *x, LDAPMessage *msg, struct spn_err *err)
{
	BerElement *ber = NULL;
	struct berval dn;
	enum spn_rc rc = SPN_OK;
	bool usable = false;
	if (ldap_get_dn_ber(x->c->ld, msg, &ber, &dn) != LDAP_SUCCESS) {
		gap(x, "an entry of the search for %s under '%s' cannot be decoded; it was left out",
		    x->s->what, x->s->base);
	} else if (spn_reply_begin(&x->r, dn.bv_val, dn.bv_len)) {
		if (spn_reply_attrs(&x->r, ber) != SPN_OK)
			rc = spn_err_set(err, SPN_NOMEM, "out of memory");
		usable = !x->r.bad;
	}
	if (ber)
		ber_free(ber, 0);
	x->r.e.where = x->c->uri;
	x->r.e.domain_hint = x->s->domain_hint;
	if (rc == SPN_OK && usable)
		rc = follow_ranges(x, err);
	if (rc == SPN_OK && usable)
		rc = x->s->entry(x->s->ctx, &x->r.e, err);
	keep_clear(&x->k);
	x->st->entries++;
	if (x->s->progress)
		spn_progress_tick(x->s->progress);
	return rc;
}

static enum spn_rc on_reference(struct state *x, LDAPMessage *msg, struct spn_err *err)
{
	char **refs = NULL;
	int lrc = ldap_parse_reference(x->c->ld, msg, &refs, NULL, 0);
	if (lrc != LDAP_SUCCESS)
		return spn_ldap_fail(err, SPN_DIRECTORY, x->c->ld, lrc, x->c->uri,
		                     "reading a reference of the search for %s", x->s->what);
	/* A reference lists alternative URLs for one subtree: judge by the
	 * first, report the first. */
	if (refs && refs[0]) {
		if (x->s->refs_covered || spn_ref_is_accountless(refs[0]))
			x->st->refs_ignored++;
		else if (gap(x, "the search for %s under '%s' continues at %s, which was not "
		             "followed (accounts there were not read)", x->s->what, x->s->base,
		             refs[0]))
			lrc = LDAP_NO_MEMORY;
	}
	ber_memvfree((void **)refs);
	return lrc == LDAP_NO_MEMORY ? spn_err_set(err, SPN_NOMEM, "out of memory") : SPN_OK;
}

/* The final message of one page, parsed: its code and text, referrals,
 * and whether the paging cookie asks for more. */
struct page_end {
	int code;
	char *text;
	char **referrals;
	bool more;
};

static void page_end_release(struct page_end *pe)
{
	ldap_memfree(pe->text);
	ber_memvfree((void **)pe->referrals);
	memset(pe, 0, sizeof(*pe));
}

static enum spn_rc parse_end(struct state *x, LDAPMessage *msg, struct berval *cookie,
                             struct page_end *pe, struct spn_err *err)
{
	LDAPControl **ctrls = NULL;
	memset(pe, 0, sizeof(*pe));
	int lrc = ldap_parse_result(x->c->ld, msg, &pe->code, NULL, &pe->text, &pe->referrals,
	                            &ctrls, 0);
	if (lrc != LDAP_SUCCESS)
		return spn_ldap_fail(err, SPN_DIRECTORY, x->c->ld, lrc, x->c->uri,
		                     "reading the result of the search for %s", x->s->what);
	enum spn_rc rc = SPN_OK;
	LDAPControl *pc = pe->code == LDAP_SUCCESS
	                  ? ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL) : NULL;
	if (pc) {
		ber_int_t estimate;
		ber_memfree(cookie->bv_val);
		cookie->bv_val = NULL;
		cookie->bv_len = 0;
		if (ldap_parse_pageresponse_control(x->c->ld, pc, &estimate, cookie) != LDAP_SUCCESS)
			rc = spn_err_set(err, SPN_DIRECTORY, "%s: malformed paged results control in "
			                 "the search for %s", x->c->uri, x->s->what);
		else
			pe->more = cookie->bv_val && cookie->bv_len > 0;
	}
	ldap_controls_free(ctrls);
	return rc;
}

/* What the end of a page means, once its entries are in: limits and
 * referrals are gaps; a failure is an error when nothing was delivered,
 * a gap otherwise. */
static enum spn_rc judge_end(struct state *x, const struct page_end *pe, struct spn_err *err)
{
	const char *why = pe->text && *pe->text ? pe->text : ldap_err2string(pe->code);
	switch (pe->code) {
	case LDAP_SUCCESS:
		return SPN_OK;
	case LDAP_SIZELIMIT_EXCEEDED:
	case LDAP_TIMELIMIT_EXCEEDED:
	case LDAP_ADMINLIMIT_EXCEEDED:
		gap(x, "the search for %s under '%s' stopped after %llu entries: %s; entries beyond "
		    "those were not read", x->s->what, x->s->base,
		    (unsigned long long)x->st->entries, why);
		return SPN_OK;
	case LDAP_REFERRAL:
		gap(x, "the search for %s under '%s' was referred to %s, which was not followed",
		    x->s->what, x->s->base,
		    pe->referrals && pe->referrals[0] ? pe->referrals[0] : "another server");
		return SPN_OK;
	case LDAP_NO_SUCH_OBJECT:
		if (x->s->missing_ok && x->st->entries == 0)
			return SPN_OK;
		/* fall through */
	default:
		if (x->st->entries == 0 && x->st->pages == 0)
			return spn_ldap_fail_diag(err, spn_ldap_rc(pe->code, false), pe->text, pe->code,
			                          x->c->uri, "searching for %s under '%s'", x->s->what,
			                          x->s->base);
		gap(x, "the search for %s under '%s' failed after %llu entries: %s; the rest "
		    "was not read", x->s->what, x->s->base, (unsigned long long)x->st->entries, why);
		return SPN_OK;
	}
}

static char **request_attrs(const struct spn_search *s, unsigned step)
{
	char **v = calloc(s->nattrs + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < s->nattrs; i++) {
		const char *name = spn_attr_name(s->attrs[i]);
		char buf[96];
		if (step && spn_range_attr(s->attrs[i]))
			spn_range_request(buf, sizeof(buf), name, 0, step);
		else
			snprintf(buf, sizeof(buf), "%s", name);
		v[i] = strdup(buf);
		if (!v[i]) {
			spn_strv_free(v, i);
			return NULL;
		}
	}
	return v;
}

/* Ask for one page (the first when the cookie is empty). When the
 * connection turns out lost after data arrived, *down is set (the caller
 * records the gap once it has read what it holds) and *msgid is -1. */
static enum spn_rc send_page(struct state *x, char **attrs, struct berval *cookie, int *msgid,
                             int *down, struct spn_err *err)
{
	const struct spn_search *s = x->s;
	LDAPControl *pc = NULL, *ctrls[2] = {NULL, NULL};
	int lrc;
	*msgid = -1;
	if (s->page_size) {
		/* Not critical: a server without paging answers in one go (and
		 * its size limit, if any, is then reported as a gap). */
		lrc = ldap_create_page_control(x->c->ld, (ber_int_t)s->page_size,
		                               cookie->bv_val ? cookie : NULL, 0, &pc);
		if (lrc != LDAP_SUCCESS)
			return spn_ldap_fail(err, SPN_NOMEM, x->c->ld, lrc, x->c->uri,
			                     "making a paged results control");
		ctrls[0] = pc;
	}
	lrc = ldap_search_ext(x->c->ld, s->base, s->scope, s->filter, attrs, 0,
	                      s->page_size ? ctrls : NULL, NULL, NULL, LDAP_NO_LIMIT, msgid);
	if (pc)
		ldap_control_free(pc);
	if (lrc == LDAP_SUCCESS)
		return SPN_OK;
	*msgid = -1;
	if ((lrc == LDAP_SERVER_DOWN || lrc == LDAP_CONNECT_ERROR) &&
	    (x->st->entries || x->st->pages)) {
		*down = lrc;
		return SPN_OK;
	}
	return spn_ldap_fail(err, spn_ldap_rc(lrc, false), x->c->ld, lrc, x->c->uri,
	                     "searching for %s under '%s'", s->what, s->base);
}

/* What this page's cookie means: ask for the next page, or stop. */
static enum spn_rc next_page(struct state *x, char **attrs, struct berval *cookie, bool more,
                             int *next, int *down, struct spn_err *err)
{
	enum spn_page pg = spn_paging_next(&x->paging, more ? cookie : NULL);
	switch (pg) {
	case SPN_PAGE_MORE:
		return send_page(x, attrs, cookie, next, down, err);
	case SPN_PAGE_REPEATED:
		gap(x, "the server sent the same paging cookie again after %llu pages of the search "
		    "for %s under '%s'; the search was stopped there and the rest was not read",
		    (unsigned long long)x->paging.pages, x->s->what, x->s->base);
		return SPN_OK;
	case SPN_PAGE_TOO_MANY:
		gap(x, "the search for %s under '%s' was stopped after %u pages; the rest was not read",
		    x->s->what, x->s->base, SPN_SEARCH_MAX_PAGES);
		return SPN_OK;
	case SPN_PAGE_NOMEM:
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	case SPN_PAGE_DONE:
		break;
	}
	return SPN_OK;
}

/*
 * All pages. The request for page n+1 goes out as soon as page n's end
 * (with its cookie) has arrived, before page n's last entries are handed
 * on: the server works on the next page while this one is digested, so
 * the client's share of the time overlaps the server's instead of adding
 * to it. Entries still arrive in order, one page after the other.
 */
static enum spn_rc all_pages(struct state *x, char **attrs, struct berval *cookie, int msgid,
                             struct spn_err *err)
{
	enum spn_rc rc = SPN_OK;
	while (rc == SPN_OK && msgid >= 0 && !x->stop) {
		LDAPMessage *chain = NULL, *end = NULL;
		struct timeval quiet;
		int t = spn_conn_wait(x->c, &quiet)
		        ? ldap_result(x->c->ld, msgid, LDAP_MSG_RECEIVED, &quiet, &chain) : 0;
		int why = errno;
		if (t == 0) {
			/* Alive but silent, or the time is up: a hung server or network,
			 * or one that never ends the search. */
			ldap_abandon_ext(x->c->ld, msgid, NULL, NULL);
			cut_short(x);
			break;
		}
		if (t < 0) {
			int code = LDAP_SERVER_DOWN;
			ldap_get_option(x->c->ld, LDAP_OPT_RESULT_CODE, &code);
			if (chain)
				ldap_msgfree(chain);
			/* liblber's only ERANGE: a message over SPN_LDAP_MAX_INCOMING,
			 * or a tag or length it cannot hold. */
			lost(x, code, why == ERANGE);
			break;
		}
		for (LDAPMessage *msg = ldap_first_message(x->c->ld, chain); msg;
		     msg = ldap_next_message(x->c->ld, msg))
			if (ldap_msgtype(msg) == LDAP_RES_SEARCH_RESULT)
				end = msg;
		struct page_end pe;
		int next = -1, down = 0;
		memset(&pe, 0, sizeof(pe));
		if (end) {
			rc = parse_end(x, end, cookie, &pe, err);
			if (rc == SPN_OK && pe.code == LDAP_SUCCESS && x->s->page_size)
				rc = next_page(x, attrs, cookie, pe.more, &next, &down, err);
		}
		for (LDAPMessage *msg = ldap_first_message(x->c->ld, chain);
		     msg && rc == SPN_OK && !x->stop; msg = ldap_next_message(x->c->ld, msg)) {
			if (ldap_msgtype(msg) == LDAP_RES_SEARCH_ENTRY)
				rc = on_entry(x, msg, err);
			else if (ldap_msgtype(msg) == LDAP_RES_SEARCH_REFERENCE)
				rc = on_reference(x, msg, err);
		}
		ldap_msgfree(chain);
		if (rc == SPN_OK && end && !x->stop) {
			rc = judge_end(x, &pe, err);
			x->st->pages++;
			msgid = next;
			next = -1;
			if (down)
				lost(x, down, false);   /* after this page's entries were read */
		}
		page_end_release(&pe);
		if (rc != SPN_OK || x->stop) {
			if (!x->c->down) {
				if (!end)
					ldap_abandon_ext(x->c->ld, msgid, NULL, NULL);
				if (next >= 0)
					ldap_abandon_ext(x->c->ld, next, NULL, NULL);
			}
			break;
		}
	}
	return rc;
}

/* A search under way: its state, from the first request to the last page. */
struct spn_running {
	struct state x;
	struct spn_search s;     /* a copy: the caller's may go out of scope */
	char **attrs;
	struct berval cookie;
	int msgid;               /* the first page's request, or -1 */
	enum spn_rc rc;          /* a failure at start */
};

enum spn_rc spn_search_start(struct spn_conn *c, const struct spn_search *s, struct spn_model *m,
                             struct spn_search_stats *st, struct spn_running **out,
                             struct spn_err *err)
{
	*out = NULL;
	if (c->down || !c->ld)
		return spn_err_set(err, SPN_DIRECTORY, "%s: not connected", c->uri);
	struct spn_running *r = calloc(1, sizeof(*r));
	if (!r)
		return spn_err_set(err, SPN_NOMEM, "out of memory");
	memset(st, 0, sizeof(*st));
	r->s = *s;
	r->msgid = -1;
	struct state *x = &r->x;
	x->c = c;
	x->s = &r->s;
	x->m = m;
	x->st = st;
	unsigned step = c->ranges ? s->range_step : 0;
	spn_reply_init(&x->r, step, reply_gap, x);
	spn_buf_init(&x->dn, SPN_LDAP_STR_MAX);
	r->attrs = request_attrs(s, step);
	if (!r->attrs) {
		r->rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	} else if (spn_conn_expired(c)) {
		/* The time is up before this search: a gap, not a failure. */
		x->stop = true;
		gap(x, "the search for %s under '%s' was not made: the --timeout of %u s was used up",
		    s->what, s->base, c->timeout);
	} else {
		int down = 0;   /* no data yet: a lost connection is an error, not a gap */
		r->rc = send_page(x, r->attrs, &r->cookie, &r->msgid, &down, err);
	}
	*out = r;
	return r->rc;
}

enum spn_rc spn_search_finish(struct spn_running *r, struct spn_err *err)
{
	if (!r)
		return SPN_OK;
	struct state *x = &r->x;
	enum spn_rc rc = r->rc;
	if (rc == SPN_OK && r->msgid >= 0 && x->c->down) {
		/* Lost while another search was being read: its data is gone too. */
		lost(x, LDAP_SERVER_DOWN, false);
	} else if (rc == SPN_OK && r->msgid >= 0) {
		rc = all_pages(x, r->attrs, &r->cookie, r->msgid, err);
	} else if (rc != SPN_OK && r->msgid >= 0 && !x->c->down) {
		ldap_abandon_ext(x->c->ld, r->msgid, NULL, NULL);
	}
	ber_memfree(r->cookie.bv_val);
	if (r->attrs)
		spn_strv_free(r->attrs, r->s.nattrs);
	if (x->unlisted) {
		/* Past SPN_SEARCH_MAX_GAPS: one line says how many more. */
		x->gaps = 0;
		gap(x, "%llu more gaps in the search for %s under '%s' (not listed)",
		    (unsigned long long)x->unlisted, x->s->what, x->s->base);
	}
	x->st->ranged = x->r.ranged;
	keep_release(&x->k);
	spn_reply_release(&x->r);
	spn_paging_release(&x->paging);
	spn_buf_release(&x->dn);
	if (rc == SPN_OK && x->nomem)
		rc = spn_err_set(err, SPN_NOMEM, "out of memory");
	if (rc == SPN_OK && x->incomplete)
		rc = SPN_INCOMPLETE;
	free(r);
	return rc;
}

enum spn_rc spn_search_run(struct spn_conn *c, const struct spn_search *s, struct spn_model *m,
                           struct spn_search_stats *st, struct spn_err *err)
{
	struct spn_running *r;
	enum spn_rc rc = spn_search_start(c, s, m, st, &r, err);
	enum spn_rc rc2 = spn_search_finish(r, err);
	return rc ? rc : rc2;
}
