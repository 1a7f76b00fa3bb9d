/* test_cmdline_word.c - one word of a command line to copy (lib/base,
 * base/cmdline_word.h), for a POSIX shell and for cmd.exe/PowerShell: the
 * word as it goes on the line, or refused. One table per shell: each value
 * with the word expected, NULL for a refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/cmdline_word.h"

struct want {
	const char *in, *out;   /* out NULL: refused */
};

static void check(bool (*word)(const char *, char *, size_t), const struct want *w, size_t n)
{
	char b[64];
	for (size_t i = 0; i < n; i++) {
		bool ok = word(w[i].in, b, sizeof(b));
		if (ok != (w[i].out != NULL))
			fail_msg("'%s': %s, expected %s", w[i].in, ok ? b : "refused",
			         w[i].out ? w[i].out : "refused");
		if (ok)
			assert_string_equal(b, w[i].out);
	}
}

static void test_sh_word(void **state)
{
	(void)state;
	static const struct want w[] = {
		{"HTTP/web.corp.example:8080", "HTTP/web.corp.example:8080"},
		{"EXCH01$", "'EXCH01$'"},             /* '$' quoted wherever it stands */
		{"a$b", "'a$b'"},
		{"CN=App Pool,DC=x", "'CN=App Pool,DC=x'"},
		{"it's", "'it'\\''s'"},
		{"$(rm -rf /)`x`", "'$(rm -rf /)`x`'"},
		{"=ls", "'=ls'"},                     /* zsh's =word is a path */
		{"~root", "'~root'"},
		/* Quotes would not stop a program reading an option: the lines
		 * put "--" before their operands instead. */
		{"-x", "-x"},
		/* Refused: invisible, control, non-ASCII, empty, too long. */
		{"a\xE2\x80\x8B" "b", NULL},
		{"a\nb", NULL},
		{"a\x1b[2J", NULL},
		{"", NULL},
		{"'''''''''''''''''''''''''", NULL},
	};
	check(spn_sh_word, w, sizeof(w) / sizeof(w[0]));
}

static void test_cmd_word(void **state)
{
	(void)state;
	static const struct want w[] = {
		{"MSSQLSvc/sql01.corp.example:1433", "MSSQLSvc/sql01.corp.example:1433"},
		{"EXCH01$", "EXCH01$"},
		{"CN=App Pool,OU=Svc,DC=x", "\"CN=App Pool,OU=Svc,DC=x\""},
		{"@args", "\"@args\""},                /* PowerShell would splat $args */
		/* What cmd.exe or PowerShell would read as more than a word. */
		{"a$b", NULL},
		{"a\"b", NULL},
		{"a%PATH%", NULL},
		{"a&calc", NULL},
		{"a|b", NULL},
		{"a`b", NULL},
		{"<svg>", NULL},
		{"a\xE2\x80\x8B", NULL},
		/* setspn would read a switch, quoted or not. */
		{"--uri=ldap://evil.example", NULL},
		{"-F", NULL},
		{"/?", NULL},
	};
	check(spn_cmd_word, w, sizeof(w) / sizeof(w[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sh_word),
		cmocka_unit_test(test_cmd_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
