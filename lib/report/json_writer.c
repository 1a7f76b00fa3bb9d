/*
 * json_writer.c - a streaming JSON writer: values go to the FILE * as the
 * report produces them, through one fixed buffer in struct jw that is
 * handed to fwrite() whenever it fills (and by jw_flush()), so the stream
 * sees a few large writes instead of a call per character.
 *
 * Hand-written rather than a DOM library (jansson, json-c) on purpose: an
 * audit of a large forest can produce millions of findings, and building a
 * tree first would hold them all in memory a second time (the findings
 * already live in their arena). This writer keeps only one flag per nesting
 * level and its buffer, so output costs constant memory. Escaping follows
 * RFC 8259: '"', '\\' and control characters are escaped; output is always
 * valid UTF-8 - a byte that does not start a well-formed UTF-8 sequence
 * (overlong forms, surrogates and values past U+10FFFF included) is written
 * as U+FFFD.
 */
#include <stdint.h>
#include <string.h>

#include "report_int.h"

void jw_init(struct jw *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	memset(w->first, 0, sizeof(w->first));
	w->first[0] = true;
	w->after_key = false;
	w->n = 0;
}

void jw_flush(struct jw *w)
{
	if (w->n)
		fwrite(w->buf, 1, w->n, w->f);
	w->n = 0;
}

void jw_raw(struct jw *w, const char *s, size_t n)
{
	if (n > sizeof(w->buf) - w->n) {
		jw_flush(w);
		if (n >= sizeof(w->buf)) {
			fwrite(s, 1, n, w->f);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static void put1(struct jw *w, char c)
{
	if (w->n == sizeof(w->buf))
		jw_flush(w);
	w->buf[w->n++] = c;
}

static void indent(struct jw *w)
{
	/* A new line and two spaces per level (depth < JW_MAX_DEPTH). */
	static const char nl[] = "\n                                ";
	jw_raw(w, nl, 1 + 2 * (size_t)w->depth);
}

/* Before any value or key: the comma and the new line it needs. */
static void before_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		put1(w, ',');
	w->first[w->depth] = false;
	indent(w);
}

static void open_nested(struct jw *w, char c)
{
	before_value(w);
	put1(w, c);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_nested(struct jw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	put1(w, c);
}

void jw_obj_begin(struct jw *w) { open_nested(w, '{'); }
void jw_obj_end(struct jw *w) { close_nested(w, '}'); }
void jw_arr_begin(struct jw *w) { open_nested(w, '['); }
void jw_arr_end(struct jw *w) { close_nested(w, ']'); }

static void escape(struct jw *w, const char *s, size_t n);

void jw_key(struct jw *w, const char *key)
{
	before_value(w);
	put1(w, '"');
	escape(w, key, strlen(key));
	jw_raw(w, "\": ", 3);
	w->after_key = true;
}

/* Length of the well-formed UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* 1: printable ASCII that goes out as is (not '"', '\\', DEL). */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,  /* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,  /* 0x70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xa0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xb0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xc0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xd0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xe0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xf0 */
};

/* Eight bytes at once: true when none of them needs a look (every byte
 * printable ASCII other than '"', '\\' and DEL). A "false" may be wrong
 * (the byte loop then decides), a "true" never is. */
static bool word_plain(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t x;
	memcpy(&x, p, sizeof(x));
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7f);
	uint64_t bad = x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) |
	               ((d - ones) & ~d);
	return (bad & high) == 0;
}

static void escape(struct jw *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* The longest run that needs no escaping is copied at once. */
		size_t run = i;
		for (;;) {
			while (run + 8 <= n && word_plain(p + run))
				run += 8;
			size_t lim = n - run > 8 ? run + 8 : n;
			while (run < lim && plain[p[run]])
				run++;
			if (run == lim && run < n)
				continue;
			if (run < n && p[run] >= 0x80) {
				size_t len = utf8_len(p + run, n - run);
				if (len) {
					run += len;
					continue;
				}
			}
			break;
		}
		if (run > i) {
			jw_raw(w, s + i, run - i);
			i = run;
			continue;
		}
		unsigned char c = p[i++];
		switch (c) {
		case '"': jw_raw(w, "\\\"", 2); break;
		case '\\': jw_raw(w, "\\\\", 2); break;
		case '\b': jw_raw(w, "\\b", 2); break;
		case '\f': jw_raw(w, "\\f", 2); break;
		case '\n': jw_raw(w, "\\n", 2); break;
		case '\r': jw_raw(w, "\\r", 2); break;
		case '\t': jw_raw(w, "\\t", 2); break;
		default:
			if (c >= 0x80) {
				jw_raw(w, "\\ufffd", 6);  /* not UTF-8 */
			} else {
				static const char hex[] = "0123456789abcdef";
				char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
				jw_raw(w, u, 6);
			}
		}
	}
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	before_value(w);
	put1(w, '"');
	escape(w, s, n);
	put1(w, '"');
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

/* v's decimal digits, raw. */
static void digits(struct jw *w, uint64_t v)
{
	char d[20];
	size_t k = sizeof(d);
	do {
		d[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	jw_raw(w, d + k, sizeof(d) - k);
}

void jw_uint(struct jw *w, uint64_t v)
{
	before_value(w);
	digits(w, v);
}

void jw_int(struct jw *w, int64_t v)
{
	before_value(w);
	if (v < 0)
		jw_raw(w, "-", 1);
	digits(w, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

void jw_bool(struct jw *w, bool v)
{
	before_value(w);
	if (v)
		jw_raw(w, "true", 4);
	else
		jw_raw(w, "false", 5);
}

void jw_null(struct jw *w)
{
	before_value(w);
	jw_raw(w, "null", 4);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kuint(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_uint(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}
