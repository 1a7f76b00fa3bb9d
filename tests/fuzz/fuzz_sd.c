/*
 * fuzz_sd.c - libFuzzer target: the security descriptor reader (spn/sd.h)
 * on arbitrary bytes, as msDS-AllowedToActOnBehalfOfOtherIdentity arrives
 * from a directory or a snapshot.
 *
 * Invariants checked:
 *  - spn_sd_parse: SPN_OK or SPN_INPUT only, a message for SPN_INPUT; on OK
 *    at most SPN_SD_MAX_ACES kept and no more than nace_total, each ACE an
 *    allow or deny with a SID of at most 15 sub-authorities whose text fits
 *    SPN_SID_TEXT_MAX; parsing the same bytes twice gives the same answer;
 *  - spn_sid_read: a SID it accepts lies inside the input (used <= n) and
 *    is exactly 8 + 4 x count bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spn/sd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_sd: invariant failed: %s\n", what);
	abort();
}

static void check_sid(const struct spn_sid *sid)
{
	char text[SPN_SID_TEXT_MAX];
	if (sid->count > SPN_SID_MAX_SUBAUTH)
		die("too many sub-authorities");
	if (spn_sid_text(sid, text, sizeof(text)) >= sizeof(text))
		die("SID text longer than SPN_SID_TEXT_MAX");
	uint32_t rid;
	if (spn_sid_domain_rid(sid, &rid) && rid != sid->sub[4])
		die("domain RID is not the last sub-authority");
	(void)spn_sid_well_known(sid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct spn_sd a, b;   /* large: not on the stack */
	struct spn_err ea, eb;
	spn_err_init(&ea);
	spn_err_init(&eb);
	enum spn_rc ra = spn_sd_parse(data, size, &a, &ea);
	enum spn_rc rb = spn_sd_parse(data, size, &b, &eb);
	if (ra != rb || strcmp(ea.msg, eb.msg) != 0)
		die("two parses of the same bytes differ");
	if (ra != SPN_OK && ra != SPN_INPUT)
		die("neither OK nor INPUT");
	if (ra == SPN_INPUT && !ea.msg[0])
		die("SPN_INPUT without a message");
	if (ra == SPN_OK) {
		if (a.nace > SPN_SD_MAX_ACES || a.nace > a.nace_total)
			die("ACE counts");
		if (a.nace && !a.has_dacl)
			die("ACEs without a DACL");
		if (a.has_owner)
			check_sid(&a.owner);
		for (size_t i = 0; i < a.nace; i++) {
			if (a.aces[i].kind != SPN_ACE_ALLOW && a.aces[i].kind != SPN_ACE_DENY)
				die("ACE kind");
			check_sid(&a.aces[i].sid);
		}
		if (memcmp(&a, &b, sizeof(a)) != 0)
			die("two parses fill different descriptors");
	}
	struct spn_sid sid;
	size_t used = 0;
	if (spn_sid_read(data, size, &sid, &used)) {
		if (used > size || used != 8 + 4 * (size_t)sid.count)
			die("SID length");
		check_sid(&sid);
	}
	return 0;
}
