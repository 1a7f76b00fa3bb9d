/*
 * html_escape.c - the only way directory data reaches an HTML page
 * (`-o html`): escaped for element text, for attribute values and for
 * code blocks. (The words of the command lines the page offers to copy
 * are quoted first, by lib/base/cmdline_word.c.)
 *
 * Every value from the directory (DNs, SPNs, account names, messages that
 * quote them) goes through html_text(), html_attr() or html_code(), which
 * escape '&', '<', '>', '"' and '\'' everywhere, so no value can open a
 * tag, close an attribute or start a script. Nothing from the directory is
 * ever written inside <script> or <style>. Bytes that are not UTF-8 never
 * reach the page as they are (the page declares UTF-8).
 *
 * In text, characters a reader cannot see - controls, and what the SPN
 * skeleton drops (spn_char_invisible: zero width joiners, bidi marks, ...)
 * - are shown as a marked "U+200B", since look-alike SPNs differ by exactly
 * those; code blocks keep them, so a copy carries the exact value (the
 * command lines refuse such values: see lib/base/cmdline_word.c).
 */
#include <string.h>

#include <unistr.h>

#include "report_int.h"
#include "spn/spn.h"

/* The entity of an ASCII character HTML gives meaning to, or NULL. */
static const char *entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	}
	return NULL;
}

/* A character the reader cannot see, as a marked code point. */
static void marker(FILE *f, uint32_t c)
{
	fprintf(f, "<span class=\"hc\" title=\"invisible character\">U+%04X</span>", (unsigned)c);
}

/* A byte that is not UTF-8. */
static void bad_byte(FILE *f, unsigned char b, bool text)
{
	if (text)
		fprintf(f, "<span class=\"hc\" title=\"not UTF-8\">\\x%02X</span>", b);
	else
		fputs("\xEF\xBF\xBD", f);   /* U+FFFD */
}

enum esc_mode { ESC_TEXT, ESC_ATTR, ESC_CODE };

/* Is this code point shown as a marker (text) or replaced (elsewhere)? */
static bool hidden(uint32_t c, enum esc_mode mode)
{
	bool control = c < 0x20 || (c >= 0x7F && c < 0xA0);
	if (mode == ESC_CODE)
		return control && c != '\n' && c != '\t';
	return control || (mode == ESC_TEXT && spn_char_invisible(c));
}

static void escape(FILE *f, const char *s, size_t n, enum esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;   /* bytes from p that go out as they are */
	for (size_t i = 0; i < n;) {
		uint32_t c = p[i];
		int len = 1;
		if (c >= 0x80) {
			ucs4_t uc;
			len = u8_mbtoucr(&uc, p + i, n - i);
			if (len < 0)
				len = -1;
			else
				c = uc;
		}
		const char *e = len > 0 && c < 0x80 ? entity((unsigned char)c) : NULL;
		if (!e && len > 0 && !hidden(c, mode)) {
			i += (size_t)len;
			continue;
		}
		fwrite(p + run, 1, i - run, f);
		if (e)
			fputs(e, f);
		else if (len < 0)
			bad_byte(f, p[i], mode == ESC_TEXT);
		else if (mode == ESC_TEXT)
			marker(f, c);
		else
			fputs("\xEF\xBF\xBD", f);
		i += len < 0 ? 1 : (size_t)len;
		run = i;
	}
	fwrite(p + run, 1, n - run, f);
}

void html_text(FILE *f, const char *s)
{
	if (s)
		escape(f, s, strlen(s), ESC_TEXT);
}

void html_attr(FILE *f, const char *s)
{
	if (s)
		escape(f, s, strlen(s), ESC_ATTR);
}

void html_code(FILE *f, const char *s, size_t n)
{
	escape(f, s, n, ESC_CODE);
}
