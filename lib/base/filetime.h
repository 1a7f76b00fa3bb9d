/*
 * filetime.h - Windows FILETIME (100 ns ticks since 1601-01-01 UTC: how AD
 * stores pwdLastSet, and how libspn keeps "now") and its way to and from
 * Unix time, days and calendar dates.
 *
 * Invariants:
 *  - UTC and the proleptic Gregorian calendar throughout: no time zone,
 *    no locale, no leap seconds.
 *  - Conversions to coarser units truncate toward zero (whole seconds,
 *    whole days), as integer division does.
 *  - Dates print as digits only: "2026-01-01", "2026-01-01T08:30:00Z".
 */
#ifndef SPN_BASE_FILETIME_H
#define SPN_BASE_FILETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPN_FILETIME_SECOND 10000000LL                  /* ticks */
#define SPN_FILETIME_DAY (86400LL * SPN_FILETIME_SECOND)
#define SPN_FILETIME_UNIX_EPOCH 11644473600LL           /* seconds from 1601 to 1970 */

/* Unix time sec + nsec nanoseconds as a FILETIME. */
int64_t spn_filetime_from_unix(int64_t sec, long nsec);
/* The Unix time (whole seconds) of FILETIME ft. */
int64_t spn_filetime_to_unix(int64_t ft);
/* Now, from the real-time clock. */
int64_t spn_filetime_now(void);
/* Whole days from FILETIME `from` to FILETIME `to`. */
int64_t spn_filetime_days(int64_t from, int64_t to);
/* Midnight UTC that starts day y-m-d (a valid date, year 1601 or later). */
int64_t spn_filetime_from_date(unsigned y, unsigned m, unsigned d);
/* "YYYY-MM-DD" of FILETIME ft into buf; false (buf "") when it has none. */
bool spn_filetime_format_date(int64_t ft, char *buf, size_t cap);
/* "YYYY-MM-DDTHH:MM:SSZ" of Unix time sec into buf; false (buf "") when
 * it has none. */
bool spn_time_format_iso(int64_t sec, char *buf, size_t cap);

#endif
