/* test_suggest.c - "did you mean" (tool/suggest.c): the distance (a swap
 * of neighbours is one edit, case does not count), which candidate is
 * suggested and when none is, and what names a file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "suggest.h"

static const char *const commands[] = {"list", "query", "dups", "audit", "resolve", "checks",
                                       "snapshot", "diff", "add", "rm", "reset", "fix", "undo"};
#define NC (sizeof(commands) / sizeof(commands[0]))

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(spnctl_distance("audit", "audit"), 0);
	assert_int_equal(spnctl_distance("audti", "audit"), 1);   /* swap */
	assert_int_equal(spnctl_distance("AUDIT", "audit"), 0);   /* case */
	assert_int_equal(spnctl_distance("lst", "list"), 1);      /* insertion */
	assert_int_equal(spnctl_distance("listt", "list"), 1);    /* deletion */
	assert_int_equal(spnctl_distance("", "fix"), 3);
	assert_int_equal(spnctl_distance("kitten", "sitting"), 3);
	char longword[80];
	memset(longword, 'a', sizeof(longword) - 1);
	longword[sizeof(longword) - 1] = '\0';
	assert_true(spnctl_distance(longword, "audit") == (size_t)-1);
}

static void test_nearest(void **state)
{
	(void)state;
	assert_string_equal(spnctl_nearest("audti", commands, NC), "audit");
	assert_string_equal(spnctl_nearest("lst", commands, NC), "list");
	assert_string_equal(spnctl_nearest("chck", commands, NC), "checks");
	assert_string_equal(spnctl_nearest("aud", commands, NC), "audit");   /* the one prefix */
	assert_string_equal(spnctl_nearest("snap", commands, NC), "snapshot");
	assert_null(spnctl_nearest("frobnicate", commands, NC));
	assert_null(spnctl_nearest("xyz", commands, NC));   /* 2 edits from "fix": too far for 3 letters */
	assert_null(spnctl_nearest("re", commands, NC));    /* resolve, reset: no one prefix */
	const char *const with_null[] = {NULL, "output", NULL};
	assert_string_equal(spnctl_nearest("outptu", with_null, 3), "output");
}

static void test_names_file(void **state)
{
	(void)state;
	assert_true(spnctl_names_file(SPN_EXAMPLE_LDIF));
	assert_true(spnctl_names_file("no-such-dir/corp.LDIF"));
	assert_true(spnctl_names_file("export.ldf"));
	assert_false(spnctl_names_file("EXCH01"));
	assert_false(spnctl_names_file("/"));   /* a directory */
	assert_false(spnctl_names_file(".ldif"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_names_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
