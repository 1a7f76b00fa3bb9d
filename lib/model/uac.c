/*
 * uac.c - the names of userAccountControl's bits (MS-ADTS 2.2.16), for
 * reports that spell an account's flags out (JSON "uac_flags").
 */
#include "spn/model.h"

static const struct {
	uint32_t bit;
	const char *name;
} uac_names[] = {
	{0x1, "SCRIPT"},
	{0x2, "ACCOUNTDISABLE"},
	{0x8, "HOMEDIR_REQUIRED"},
	{0x10, "LOCKOUT"},
	{0x20, "PASSWD_NOTREQD"},
	{0x40, "PASSWD_CANT_CHANGE"},
	{0x80, "ENCRYPTED_TEXT_PWD_ALLOWED"},
	{0x100, "TEMP_DUPLICATE_ACCOUNT"},
	{0x200, "NORMAL_ACCOUNT"},
	{0x800, "INTERDOMAIN_TRUST_ACCOUNT"},
	{0x1000, "WORKSTATION_TRUST_ACCOUNT"},
	{0x2000, "SERVER_TRUST_ACCOUNT"},
	{0x10000, "DONT_EXPIRE_PASSWORD"},
	{0x20000, "MNS_LOGON_ACCOUNT"},
	{0x40000, "SMARTCARD_REQUIRED"},
	{0x80000, "TRUSTED_FOR_DELEGATION"},
	{0x100000, "NOT_DELEGATED"},
	{0x200000, "USE_DES_KEY_ONLY"},
	{0x400000, "DONT_REQ_PREAUTH"},
	{0x800000, "PASSWORD_EXPIRED"},
	{0x1000000, "TRUSTED_TO_AUTH_FOR_DELEGATION"},
	{0x2000000, "NO_AUTH_DATA_REQUIRED"},
	{0x4000000, "PARTIAL_SECRETS_ACCOUNT"},
	{0x8000000, "USE_AES_KEYS"},
};

const char *spn_uac_flag_name(uint32_t bit)
{
	for (size_t i = 0; i < sizeof(uac_names) / sizeof(uac_names[0]); i++)
		if (uac_names[i].bit == bit)
			return uac_names[i].name;
	return NULL;
}
