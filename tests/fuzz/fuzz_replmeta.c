/*
 * fuzz_replmeta.c - libFuzzer target: the replPropertyMetaData reader
 * (spn/replmeta.h) on arbitrary bytes, as the value arrives from a DC or a
 * snapshot.
 *
 * Invariants checked:
 *  - spn_replmeta_count: SPN_OK or SPN_INPUT only, a message for
 *    SPN_INPUT; on OK the blob is exactly 16 + 48 x count bytes, and every
 *    entry can be read (ASan watches the reads);
 *  - spn_replmeta_find agrees with a walk of spn_replmeta_get over the
 *    entries (the first entry of the attid), and a stamp written back with
 *    spn_replmeta_write_one reads back the same (times as FILETIME);
 *  - a GUID's text parses back to the same 16 bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spn/replmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_replmeta: invariant failed: %s\n", what);
	abort();
}

static void round_trip(const struct spn_stamp *s)
{
	unsigned char one[SPN_REPLMETA_ONE];
	struct spn_stamp back;
	struct spn_err err;
	bool found;
	spn_err_init(&err);
	spn_replmeta_write_one(s, one);
	if (spn_replmeta_find(one, sizeof(one), s->attid, &back, &found, &err) != SPN_OK || !found)
		die("a written stamp does not read back");
	if (back.version != s->version || back.orig_usn != s->orig_usn ||
	    back.local_usn != s->local_usn || memcmp(back.invocation, s->invocation, 16) != 0)
		die("a written stamp reads back different");
	if (s->when >= ((int64_t)1 << 40) && back.when != s->when)
		die("a FILETIME does not survive");
	char text[SPN_GUID_TEXT];
	unsigned char g[16];
	spn_guid_text(s->invocation, text);
	if (strlen(text) != 36 || !spn_guid_parse(text, 36, g) || memcmp(g, s->invocation, 16) != 0)
		die("GUID text does not parse back");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spn_err err;
	size_t count;
	spn_err_init(&err);
	enum spn_rc rc = spn_replmeta_count(data, size, &count, &err);
	if (rc != SPN_OK && rc != SPN_INPUT)
		die("neither OK nor INPUT");
	if (rc == SPN_INPUT && (!err.msg[0] || count != 0))
		die("SPN_INPUT without a message, or with a count");
	if (rc != SPN_OK)
		return 0;
	if (size != 16 + 48 * count)
		die("accepted a blob of the wrong size");
	for (size_t i = 0; i < count; i++) {
		struct spn_stamp s, f;
		bool found;
		spn_replmeta_get(data, i, &s);
		if (spn_replmeta_find(data, size, s.attid, &f, &found, &err) != SPN_OK || !found)
			die("find misses an attid get returned");
		for (size_t j = 0; j < i; j++) {   /* find returns the first of the attid */
			struct spn_stamp p;
			spn_replmeta_get(data, j, &p);
			if (p.attid == s.attid)
				goto next;
		}
		if (memcmp(&s, &f, sizeof(s)) != 0)
			die("find and get disagree");
		round_trip(&s);
next:;
	}
	return 0;
}
