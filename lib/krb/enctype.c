/*
 * enctype.c - Kerberos encryption types by number (RFC 3961, 4757, 8009;
 * MIT's names) and the bits of msDS-SupportedEncryptionTypes (MS-KILE 2.2.7).
 * Pure tables: no krb5 calls.
 */
#include <stdio.h>

#include "spn/probe.h"

struct enctype {
	int32_t number;
	const char *name;
	uint32_t msds_bit;   /* the msDS-SupportedEncryptionTypes bit allowing it, or 0 */
};

static const struct enctype enctypes[] = {
	{1, "des-cbc-crc", 0x1},
	{2, "des-cbc-md4", 0},
	{3, "des-cbc-md5", 0x2},
	{16, "des3-cbc-sha1", 0},
	{17, "aes128-cts-hmac-sha1-96", 0x8},
	{18, "aes256-cts-hmac-sha1-96", 0x10},
	{19, "aes128-cts-hmac-sha256-128", 0},
	{20, "aes256-cts-hmac-sha384-192", 0},
	{23, "rc4-hmac", 0x4},
	{24, "rc4-hmac-exp", 0},
	{25, "camellia128-cts-cmac", 0},
	{26, "camellia256-cts-cmac", 0},
};

static const struct enctype *find(int32_t number)
{
	for (size_t i = 0; i < sizeof(enctypes) / sizeof(enctypes[0]); i++)
		if (enctypes[i].number == number)
			return &enctypes[i];
	return NULL;
}

const char *spn_enctype_name(int32_t enctype)
{
	const struct enctype *e = find(enctype);
	return e ? e->name : NULL;
}

uint32_t spn_enctype_msds_bit(int32_t enctype)
{
	const struct enctype *e = find(enctype);
	return e ? e->msds_bit : 0;
}

static const struct {
	uint32_t bit;
	const char *name;
} msds_bits[] = {
	{0x1, "DES-CBC-CRC"},
	{0x2, "DES-CBC-MD5"},
	{0x4, "RC4-HMAC"},
	{0x8, "AES128-CTS-HMAC-SHA1-96"},
	{0x10, "AES256-CTS-HMAC-SHA1-96"},
	{0x20, "AES256-SK"},                  /* AES session keys even for RC4 tickets */
	{0x10000, "FAST-supported"},
	{0x20000, "Compound-identity-supported"},
	{0x40000, "Claims-supported"},
	{0x80000, "Resource-SID-compression-disabled"},
};

/* snprintf at buf + *used, keeping *used the length needed so far. */
static void add(char *buf, size_t size, size_t *used, const char *sep, const char *s,
                uint32_t bit)
{
	char *at = *used < size ? buf + *used : NULL;
	size_t left = *used < size ? size - *used : 0;
	int n = s ? snprintf(at, left, "%s%s", sep, s) : snprintf(at, left, "%s0x%X", sep, bit);
	if (n > 0)
		*used += (size_t)n;
}

size_t spn_enctype_bits_text(uint32_t bits, char *buf, size_t size)
{
	size_t used = 0;
	if (size)
		buf[0] = '\0';
	if (bits == 0) {
		add(buf, size, &used, "", "none", 0);
		return used;
	}
	for (uint32_t b = 1; b; b <<= 1) {
		if (!(bits & b))
			continue;
		const char *name = NULL;
		for (size_t i = 0; i < sizeof(msds_bits) / sizeof(msds_bits[0]); i++)
			if (msds_bits[i].bit == b)
				name = msds_bits[i].name;
		add(buf, size, &used, used ? ", " : "", name, b);
	}
	return used;
}
