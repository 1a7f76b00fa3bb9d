/* test_filetime.c - FILETIME helpers (lib/base/filetime.c): the epochs and
 * days the tests and the generator pin (1601, 1970, 2026-01-01,
 * 2026-11-01) convert both ways, days and seconds truncate, dates print as
 * digits (leap day, end of day, 1601), and now is now. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/filetime.h"

#define FT_1970 116444736000000000LL
#define FT_2026 134116992000000000LL                           /* tests/gen: NOW_FILETIME */
#define FT_2026_11 ((1793491200LL + 11644473600LL) * 10000000LL)   /* unit tests: TC_NOW */

static void test_unix(void **state)
{
	(void)state;
	assert_true(spn_filetime_from_unix(0, 0) == FT_1970);
	assert_true(spn_filetime_from_unix(-SPN_FILETIME_UNIX_EPOCH, 0) == 0);
	assert_true(spn_filetime_from_unix(1, 999999999) == FT_1970 + 10000000 + 9999999);
	assert_true(spn_filetime_to_unix(FT_1970) == 0);
	assert_true(spn_filetime_to_unix(FT_1970 + 19999999) == 1);   /* truncated */
	assert_true(spn_filetime_to_unix(FT_2026_11) == 1793491200);
}

static void test_dates(void **state)
{
	(void)state;
	assert_true(spn_filetime_from_date(1601, 1, 1) == 0);
	assert_true(spn_filetime_from_date(1970, 1, 1) == FT_1970);
	assert_true(spn_filetime_from_date(2026, 1, 1) == FT_2026);
	assert_true(spn_filetime_from_date(2026, 11, 1) == FT_2026_11);
	assert_true(spn_filetime_from_date(2024, 3, 1) - spn_filetime_from_date(2024, 2, 28) ==
	            2 * SPN_FILETIME_DAY);
	assert_true(spn_filetime_from_date(2100, 3, 1) - spn_filetime_from_date(2100, 2, 28) ==
	            SPN_FILETIME_DAY);
}

static void test_days(void **state)
{
	(void)state;
	assert_true(spn_filetime_days(FT_2026, FT_2026_11) == 304);
	assert_true(spn_filetime_days(FT_2026, FT_2026 + SPN_FILETIME_DAY - 1) == 0);
	assert_true(spn_filetime_days(FT_2026, FT_2026 + 3 * SPN_FILETIME_DAY + 5) == 3);
}

static void test_format(void **state)
{
	char buf[32];
	(void)state;
	assert_true(spn_filetime_format_date(FT_2026, buf, sizeof(buf)));
	assert_string_equal(buf, "2026-01-01");
	assert_true(spn_filetime_format_date(FT_2026 - 1, buf, sizeof(buf)));
	assert_string_equal(buf, "2025-12-31");
	assert_true(spn_filetime_format_date(spn_filetime_from_date(2024, 2, 29), buf, sizeof(buf)));
	assert_string_equal(buf, "2024-02-29");
	assert_true(spn_filetime_format_date(0, buf, sizeof(buf)));
	assert_string_equal(buf, "1601-01-01");
	assert_false(spn_filetime_format_date(FT_2026, buf, 5));   /* does not fit */
	assert_string_equal(buf, "");
	assert_true(spn_time_format_iso(0, buf, sizeof(buf)));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_true(spn_time_format_iso(1793491200 + 8 * 3600 + 30 * 60 + 5, buf, sizeof(buf)));
	assert_string_equal(buf, "2026-11-01T08:30:05Z");
}

static void test_now(void **state)
{
	(void)state;
	int64_t now = spn_filetime_now();
	assert_true(now > spn_filetime_from_date(2024, 1, 1));
	assert_true(now < spn_filetime_from_date(2200, 1, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
