/*
 * json_writer.c - a streaming JSON writer: values go straight to the FILE *
 * as the report produces them.
 *
 * Hand-written rather than a DOM library (jansson, json-c) on purpose: an
 * audit of a large forest can produce millions of findings, and building a
 * tree first would hold them all in memory a second time (the findings
 * already live in their arena). This writer keeps only one flag per nesting
 * level, so output costs constant memory. Escaping follows RFC 8259:
 * '"', '\\' and control characters are escaped; output is always valid
 * UTF-8 - a byte that does not start a well-formed UTF-8 sequence (overlong
 * forms, surrogates and values past U+10FFFF included) is written as U+FFFD.
 */
#include <inttypes.h>
#include <string.h>

#include "report_int.h"

void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->first[0] = true;
}

static void indent(struct jw *w)
{
	fputc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
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
		fputc(',', w->f);
	w->first[w->depth] = false;
	indent(w);
}

static void open_nested(struct jw *w, char c)
{
	before_value(w);
	fputc(c, w->f);
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
	fputc(c, w->f);
}

void jw_obj_begin(struct jw *w) { open_nested(w, '{'); }
void jw_obj_end(struct jw *w) { close_nested(w, '}'); }
void jw_arr_begin(struct jw *w) { open_nested(w, '['); }
void jw_arr_end(struct jw *w) { close_nested(w, ']'); }

void jw_key(struct jw *w, const char *key)
{
	before_value(w);
	fputc('"', w->f);
	jw_escape(w->f, key, strlen(key));
	fputs("\": ", w->f);
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

void jw_escape(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		/* The longest run that needs no escaping goes out in one write. */
		size_t run = i;
		while (run < n) {
			unsigned char c = p[run];
			if (c >= 0x80) {
				size_t len = utf8_len(p + run, n - run);
				if (!len)
					break;
				run += len;
			} else if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\') {
				run++;
			} else {
				break;
			}
		}
		if (run > i) {
			fwrite(p + i, 1, run - i, f);
			i = run;
			continue;
		}
		unsigned char c = p[i++];
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c >= 0x80)
				fputs("\\ufffd", f);  /* not UTF-8 */
			else
				fprintf(f, "\\u%04x", c);
		}
	}
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	before_value(w);
	fputc('"', w->f);
	jw_escape(w->f, s, n);
	fputc('"', w->f);
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_uint(struct jw *w, uint64_t v)
{
	before_value(w);
	fprintf(w->f, "%" PRIu64, v);
}

void jw_bool(struct jw *w, bool v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w)
{
	before_value(w);
	fputs("null", w->f);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
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
