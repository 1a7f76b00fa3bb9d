/*
 * replmeta.c - replPropertyMetaData read by hand (spn/replmeta.h): the
 * version, time and originating DC of one attribute's last write, which
 * provenance shows for the accounts in findings; and GUIDs as text, the
 * form invocationIds are compared and saved in.
 */
#include <stdio.h>
#include <string.h>

#include "spn/replmeta.h"

#define HEADER 16
#define ENTRY 48
#define DSTIME_MAX ((int64_t)1 << 40)   /* below: seconds (DSTIME), not 100 ns (replmeta.h) */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

enum spn_rc spn_replmeta_count(const unsigned char *p, size_t n, size_t *count,
                               struct spn_err *err)
{
	*count = 0;
	if (n < HEADER)
		return spn_err_set(err, SPN_INPUT, "replPropertyMetaData: %zu bytes, shorter than its "
		                   "16-byte header", n);
	uint32_t version = le32(p);
	if (version != 1)
		return spn_err_set(err, SPN_INPUT, "replPropertyMetaData: version %u at byte 0 (only 1 "
		                   "is known)", (unsigned)version);
	size_t c = le32(p + 8);
	if (c > (n - HEADER) / ENTRY)
		return spn_err_set(err, SPN_INPUT, "replPropertyMetaData: the count at byte 8 says %zu "
		                   "attribute%s, but only %zu bytes follow the header", c, c == 1 ? "" : "s",
		                   n - HEADER);
	if (HEADER + c * ENTRY != n)
		return spn_err_set(err, SPN_INPUT, "replPropertyMetaData: %zu bytes after %zu "
		                   "attributes end at byte %zu", n - HEADER - c * ENTRY, c,
		                   HEADER + c * ENTRY);
	*count = c;
	return SPN_OK;
}

void spn_replmeta_get(const unsigned char *p, size_t i, struct spn_stamp *out)
{
	const unsigned char *e = p + HEADER + i * ENTRY;
	out->attid = le32(e);
	out->version = le32(e + 4);
	uint64_t t = le64(e + 8);
	if (t > (uint64_t)INT64_MAX)
		t = (uint64_t)INT64_MAX;
	/* Seconds past what a FILETIME can hold (year 30828; only a forged
	 * blob says so) saturate instead of overflowing. */
	if ((int64_t)t >= DSTIME_MAX)
		out->when = (int64_t)t;
	else
		out->when = (int64_t)t <= INT64_MAX / 10000000 ? (int64_t)t * 10000000 : INT64_MAX;
	memcpy(out->invocation, e + 16, 16);
	out->orig_usn = le64(e + 32);
	out->local_usn = le64(e + 40);
}

enum spn_rc spn_replmeta_find(const unsigned char *p, size_t n, uint32_t attid,
                              struct spn_stamp *out, bool *found, struct spn_err *err)
{
	size_t c;
	*found = false;
	if (spn_replmeta_count(p, n, &c, err))
		return err->rc;
	for (size_t i = 0; i < c; i++) {
		if (le32(p + HEADER + i * ENTRY) != attid)
			continue;
		spn_replmeta_get(p, i, out);
		*found = true;
		break;
	}
	return SPN_OK;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

void spn_replmeta_write_one(const struct spn_stamp *s, unsigned char out[SPN_REPLMETA_ONE])
{
	memset(out, 0, SPN_REPLMETA_ONE);
	put32(out, 1);
	put32(out + 8, 1);
	unsigned char *e = out + HEADER;
	put32(e, s->attid);
	put32(e + 4, s->version);
	put64(e + 8, (uint64_t)(s->when < 0 ? 0 : s->when));
	memcpy(e + 16, s->invocation, 16);
	put64(e + 32, s->orig_usn);
	put64(e + 40, s->local_usn);
}

void spn_guid_text(const unsigned char g[16], char *buf)
{
	snprintf(buf, SPN_GUID_TEXT,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12],
	         g[13], g[14], g[15]);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool spn_guid_parse(const char *s, size_t n, unsigned char g[16])
{
	/* Byte order of the text's 16 bytes in g: the first three fields are
	 * stored little-endian. */
	static const unsigned char at[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	if (n != 36)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return false;
			continue;
		}
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		g[at[k++]] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	return true;
}
