/*
 * text_wrap.c - paragraphs for people: a message or fix wrapped at the
 * width, with a hanging indent, and never broken inside what a reader
 * copies whole: a distinguished name ("CN=Intranet App Pool,OU=Service
 * Accounts,DC=corp,DC=example") or a command ("setspn -D HTTP/web01 svc",
 * "klist -li 0x3e7 purge"). Such a unit longer than a line gets a line of
 * its own and runs past the width rather than break.
 *
 * Units are found in the words themselves, not marked by the checks:
 *  - a DN starts at a word "attr=..." and goes on through the words of an
 *    RDN value with spaces ("Exchange Servers") to the next word holding
 *    ",attr=" - as long as the words between are plain (no '=', ',', '.',
 *    ':', ';', brackets) and the unit does not already end with
 *    punctuation;
 *  - a command starts at a program's name (setspn, spnctl, klist, ldifde,
 *    ldapmodify, kinit, kvno) and takes its subcommand, its options with
 *    their values (setspn -S/-D/-A: an SPN and an account), and arguments
 *    that look like ones ('/', '<', '>', '=', '$', '\\'), up to a word
 *    that ends with ',', ';', ')' or '.'.
 */
#include <ctype.h>
#include <string.h>

#include "base/printable.h"
#include "report_int.h"

#define DEFAULT_WIDTH 79
#define LOOKAHEAD 6   /* plain words inside one RDN value, at most */

/* Output gathered so the stream gets a few writes per paragraph. */
struct wbuf {
	FILE *f;
	size_t n;
	char b[1024];
};

static void wput(struct wbuf *w, const char *s, size_t n)
{
	if (n > sizeof(w->b) - w->n) {
		fwrite(w->b, 1, w->n, w->f);
		w->n = 0;
		if (n >= sizeof(w->b)) {
			fwrite(s, 1, n, w->f);
			return;
		}
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
}

static void wspaces(struct wbuf *w, int n)
{
	static const char spaces[] = "                                ";
	while (n > 0) {
		int k = n < (int)sizeof(spaces) - 1 ? n : (int)sizeof(spaces) - 1;
		wput(w, spaces, (size_t)k);
		n -= k;
	}
}

/* Columns s[0..n) takes once escaped (printable.h: \xNN per byte). */
static size_t shown_width(const char *s, size_t n)
{
	size_t w = 0;
	while (n) {
		size_t run = spn_printable_span(s, n);
		w += run;
		s += run;
		n -= run;
		if (n) {
			w += 4;
			s++;
			n--;
		}
	}
	return w;
}

/* Text from the directory inside a paragraph: escaped (printable.h). */
static void wput_text(struct wbuf *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	while (n) {
		size_t run = spn_printable_span(s, n);
		wput(w, s, run);
		s += run;
		n -= run;
		if (n) {
			unsigned char c = (unsigned char)*s;
			char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			wput(w, esc, 4);
			s++;
			n--;
		}
	}
}

static void wnewline(struct wbuf *w, int n)
{
	wput(w, "\n", 1);
	wspaces(w, n);
}

/* ---- Words ---- */

static const char *word_end(const char *p)
{
	while (*p && *p != ' ' && *p != '\n')
		p++;
	return p;
}

/* The next word on the same line after e (spaces skipped), or NULL. */
static const char *next_word(const char *e)
{
	while (*e == ' ')
		e++;
	return *e && *e != '\n' ? e : NULL;
}

static bool terminal(char c)
{
	return c == ',' || c == ';' || c == ')' || c == '.' || c == ':';
}

/* "attr=" at p (letters, digits, '-'), after opening punctuation. */
static bool starts_rdn(const char *p, const char *e)
{
	while (p < e && (*p == '(' || *p == '"' || *p == '\''))
		p++;
	const char *q = p;
	while (q < e && (isalnum((unsigned char)*q) || *q == '-'))
		q++;
	return q > p && q < e && *q == '=' && isalpha((unsigned char)*p);
}

/* A ",attr=" inside [p, e): the word goes on with the next RDN. */
static bool has_next_rdn(const char *p, const char *e)
{
	for (const char *c = memchr(p, ',', (size_t)(e - p)); c && c < e;
	     c = memchr(c + 1, ',', (size_t)(e - c - 1)))
		if (starts_rdn(c + 1, e))
			return true;
	return false;
}

/* A word that can stand inside an RDN value ("App", "Exchange"). */
static bool plain(const char *p, const char *e)
{
	for (; p < e; p++)
		if (strchr("=,.:;()\"", *p))
			return false;
	return true;
}

/* The end of the DN that starts with the word [p, e). */
static const char *dn_end(const char *e)
{
	for (;;) {
		if (terminal(e[-1]))
			return e;
		const char *q = e, *found = NULL;
		for (int k = 0; k < LOOKAHEAD && (q = next_word(q)) != NULL; k++) {
			const char *qe = word_end(q);
			if (has_next_rdn(q, qe) && !starts_rdn(q, qe)) {
				found = qe;
				break;
			}
			if (!plain(q, qe))
				break;
			q = qe;
		}
		if (!found)
			return e;
		e = found;
	}
}

static bool word_is(const char *p, const char *e, const char *const *list)
{
	size_t n = (size_t)(e - p);
	while (n && terminal(p[n - 1]))
		n--;
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncmp(list[i], p, n) == 0)
			return true;
	return false;
}

static const char *const programs[] = {
	"setspn", "spnctl", "klist", "ldifde", "ldapmodify", "kinit", "kvno", NULL,
};
/* Subcommands: spnctl's commands. */
static const char *const subcommands[] = {
	"list", "query", "dups", "audit", "resolve", "checks", "snapshot", "diff", "add", "rm",
	"reset", "fix", "undo", NULL,
};
/* Options that take no value. */
static const char *const flags[] = {
	"--apply", "--yes", "--dry-run", "--force", "--allow-empty", "-X", "-F", "-P", "-Z", "-x",
	"-C", "-U", "-i", NULL,
};
/* setspn's modes that take an SPN and an account. */
static const char *const two_args[] = { "-S", "-D", "-A", "-s", "-d", "-a", NULL };

static bool looks_like_argument(const char *p, const char *e)
{
	for (; p < e; p++)
		if (strchr("/<>=$\\@", *p))
			return true;
	return false;
}

/* Words a command takes wherever they stand (klist ... purge). */
static const char *const verbs[] = { "purge", NULL };

/* The end of the command whose program is the word ending at e. */
static const char *command_end(const char *e)
{
	int pending = 0;   /* option values still to take */
	bool first = true;
	const char *q;
	while (!terminal(e[-1]) && (q = next_word(e)) != NULL) {
		const char *qe = word_end(q);
		bool take;
		if (pending > 0) {
			pending--;
			take = true;
		} else if (*q == '-' && qe - q > 1) {
			pending = word_is(q, qe, flags) ? 0 : word_is(q, qe, two_args) ? 2 : 1;
			take = true;
		} else {
			take = (first && word_is(q, qe, subcommands)) || word_is(q, qe, verbs) ||
			       looks_like_argument(q, qe);
		}
		if (!take)
			break;
		e = qe;
		first = false;
	}
	return e;
}

/* The end of the unit that starts with the word at p: the word itself, or
 * the whole DN or command it starts. */
static const char *unit_end(const char *p)
{
	const char *e = word_end(p), *s = p;
	if (starts_rdn(p, e))
		return dn_end(e);
	while (s < e && (*s == '(' || *s == '"'))
		s++;
	if (word_is(s, e, programs))
		return command_end(e);
	return e;
}

/* Width of [p, e) printed with single spaces between its words. */
static int unit_width(const char *p, const char *e)
{
	int n = 0;
	for (const char *q = p; q && q < e; q = next_word(word_end(q)))
		n += (int)shown_width(q, (size_t)(word_end(q) - q)) + (q > p);
	return n;
}

static void put_unit(struct wbuf *w, const char *p, const char *e)
{
	for (const char *q = p; q && q < e; q = next_word(word_end(q))) {
		if (q > p)
			wput(w, " ", 1);
		wput_text(w, q, (size_t)(word_end(q) - q));
	}
}

void text_wrap(FILE *f, unsigned width, int indent, const char *prefix, const char *text)
{
	struct wbuf w = { .f = f, .n = 0 };
	int max = width ? (int)width : DEFAULT_WIDTH;
	size_t pn = strlen(prefix);
	int hang = indent + (int)pn, col = hang;
	bool line_empty = true;
	wspaces(&w, indent);
	wput(&w, prefix, pn);
	for (const char *p = text; *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == '\n') {
			wnewline(&w, hang);
			col = hang;
			line_empty = true;
			p++;
			continue;
		}
		const char *e = unit_end(p);
		int n = unit_width(p, e);
		if (!line_empty && col + 1 + n > max) {
			wnewline(&w, hang);
			col = hang;
			line_empty = true;
		}
		if (!line_empty) {
			wput(&w, " ", 1);
			col++;
		}
		put_unit(&w, p, e);
		col += n;
		line_empty = false;
		p = e;
	}
	wput(&w, "\n", 1);
	fwrite(w.b, 1, w.n, f);
}
