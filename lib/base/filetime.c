/*
 * filetime.c - FILETIME arithmetic and dates (see filetime.h): days from a
 * civil date by H. Hinnant's algorithm, printing through gmtime_r() and
 * strftime().
 */
#include <time.h>

#include "filetime.h"

int64_t spn_filetime_from_unix(int64_t sec, long nsec)
{
	return (sec + SPN_FILETIME_UNIX_EPOCH) * SPN_FILETIME_SECOND + nsec / 100;
}

int64_t spn_filetime_to_unix(int64_t ft)
{
	return ft / SPN_FILETIME_SECOND - SPN_FILETIME_UNIX_EPOCH;
}

int64_t spn_filetime_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		ts.tv_sec = time(NULL);
		ts.tv_nsec = 0;
	}
	return spn_filetime_from_unix((int64_t)ts.tv_sec, ts.tv_nsec);
}

int64_t spn_filetime_days(int64_t from, int64_t to)
{
	return (to - from) / SPN_FILETIME_DAY;
}

/* Days from 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

int64_t spn_filetime_from_date(unsigned y, unsigned m, unsigned d)
{
	long long days = days_from_civil(y, m, d) - days_from_civil(1601, 1, 1);
	return (int64_t)days * SPN_FILETIME_DAY;
}

/* gmtime_r() of Unix time sec; false when it has no broken-down time. */
static bool utc(int64_t sec, struct tm *tm)
{
	time_t t = (time_t)sec;
	return (int64_t)t == sec && gmtime_r(&t, tm);
}

/* What strftime() returned as the result: buf "" when it was 0. */
static bool printed(size_t n, char *buf, size_t cap)
{
	if (!n && cap)
		buf[0] = '\0';
	return n != 0;
}

bool spn_filetime_format_date(int64_t ft, char *buf, size_t cap)
{
	struct tm tm;
	return printed(utc(spn_filetime_to_unix(ft), &tm) ? strftime(buf, cap, "%Y-%m-%d", &tm) : 0,
	               buf, cap);
}

bool spn_time_format_iso(int64_t sec, char *buf, size_t cap)
{
	struct tm tm;
	return printed(utc(sec, &tm) ? strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) : 0, buf, cap);
}
