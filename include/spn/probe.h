/*
 * probe.h - what the real KDC answers for an SPN, and whether a keytab opens
 * the ticket it issues, as the service would.
 *
 * Invariants:
 *  - A probe asks the KDC every time, with the ticket-granting tickets of the
 *    caller's ticket cache (KRB5CCNAME or the default): a service ticket
 *    already in the cache is never used, and the new one is never stored.
 *  - The name asked for is the SPN as a Windows client sends it: the text as
 *    given (case, ':port' and ':instance' kept), split into components at
 *    every '/', then "@REALM" (the realm given, else the realm of the cache's
 *    client). An SPN or realm containing '@' is refused; a '\' is sent as a
 *    character, never as an escape.
 *  - The KDC's answer is a result, not an error: spn_probe() returns SPN_OK
 *    whenever it asked or tried to ask, and status says what happened.
 *    Every status is either an answer of the KDC (a ticket, or a refusal) or
 *    "could not ask" (no usable ticket-granting ticket, no KDC, clocks apart):
 *    spn_probe_asked(). A command exits 0 for a ticket, 1 for a refusal,
 *    2 when it could not ask.
 *  - spn_probe_open() decrypts the ticket with every key of the keytab that
 *    has the ticket's encryption type (as an acceptor that tries every key
 *    does) and says which key opens it, or why none does.
 *  - Results own their strings (arena); nothing is printed; every krb5 object
 *    is freed before a call returns.
 */
#ifndef SPN_PROBE_H
#define SPN_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"
#include "spn/err.h"

/* ---- Asking the KDC ---- */

enum spn_probe_status {
	SPN_PROBE_ISSUED = 0,    /* the KDC issued a ticket */
	/* The KDC said no (exit 1): */
	SPN_PROBE_UNKNOWN,       /* KDC_ERR_S_PRINCIPAL_UNKNOWN: nobody holds the name, or (AD)
	                            two accounts of the domain do */
	SPN_PROBE_NOT_UNIQUE,    /* KDC_ERR_PRINCIPAL_NOT_UNIQUE */
	SPN_PROBE_NO_KEY,        /* KDC_ERR_ETYPE_NOSUPP, KDC_ERR_NULL_KEY: the account has no key
	                            of a type both sides allow (never had a password, no AES
	                            keys, RC4 or DES disabled) */
	SPN_PROBE_REFUSED,       /* any other error of the KDC (policy, user-to-user required, ...) */
	/* Could not ask (exit 2): */
	SPN_PROBE_NO_TGT,        /* no ticket cache, none in it, or the ticket-granting ticket is
	                            expired or no longer accepted: run kinit */
	SPN_PROBE_UNREACHABLE,   /* no KDC answered, or none is known for the realm */
	SPN_PROBE_SKEW,          /* the clocks of this host and the KDC are too far apart */
	SPN_PROBE_FAILED,        /* anything else on this side (krb5.conf, the library) */
};
/* "issued", "unknown", "not-unique", "no-key", "refused", "no-tgt", "unreachable",
 * "clock-skew", "failed" */
const char *spn_probe_status_name(enum spn_probe_status s);
/* True when the KDC answered (issued or refused); false: could not ask. */
bool spn_probe_asked(enum spn_probe_status s);
/* The status a krb5 error code of a ticket request means (0: issued). */
enum spn_probe_status spn_probe_classify(int32_t code);
/* "KDC_ERR_S_PRINCIPAL_UNKNOWN", "KRB_AP_ERR_MODIFIED", "KRB5_KDC_UNREACH", ... or
 * NULL for a code this table does not name. */
const char *spn_krb5_code_name(int32_t code);

struct spn_probe_opts {
	const char *realm;       /* NULL: the realm of the ticket cache's client */
	const char *ccache;      /* NULL: KRB5CCNAME or the default cache */
	const char *kdc;         /* ask this KDC of the realm only ("dc2.corp.example",
	                            "10.0.0.2:88"); NULL: the KDCs krb5.conf or DNS name */
};

struct spn_probe_result {
	const char *spn;         /* as asked */
	const char *principal;   /* as sent: "ldap/dc1.contoso.test@CONTOSO.TEST"; NULL when it
	                            could not be built (no cache to take the realm from) */
	const char *client;      /* the ticket cache's client, or NULL */
	enum spn_probe_status status;
	int32_t code;            /* krb5 error code, 0 when issued */
	const char *code_name;   /* spn_krb5_code_name(code), or NULL */
	const char *message;     /* krb5's words ("Server not found in Kerberos database"), or NULL */
	const char *summary;     /* one line in words */
	/* When issued: */
	const char *server;      /* the name the KDC issued the ticket for */
	int32_t enctype;         /* the ticket's encryption type: the type of the service's key */
	uint32_t kvno;           /* the version of the service's key */
	int32_t session_enctype; /* the session key's type */
	const unsigned char *ticket; /* the ticket as issued (DER), for spn_probe_open() */
	size_t ticket_len;
	struct spn_arena arena;  /* owns every string and the ticket */
};

void spn_probe_result_init(struct spn_probe_result *r);
void spn_probe_result_release(struct spn_probe_result *r);

/* Ask the KDC for a service ticket for spn (r from spn_probe_result_init).
 * SPN_OK when it asked or tried to (see r->status); SPN_USAGE for a name
 * that cannot be sent ('@', empty, control characters); SPN_NOMEM. */
enum spn_rc spn_probe(const char *spn, const struct spn_probe_opts *opts,
                      struct spn_probe_result *r, struct spn_err *err);

/* The principal text for spn in realm ("HTTP/web:8080@CORP.EXAMPLE", '\'
 * escaped for krb5_parse_name) into buf. SPN_USAGE when spn or realm is empty
 * or holds '@' or a control character, or when buf is too small. */
enum spn_rc spn_probe_principal_text(const char *spn, const char *realm, char *buf, size_t size,
                                     struct spn_err *err);

/* ---- Opening the ticket with a keytab ---- */

enum spn_keytab_status {
	SPN_KEYTAB_OPENED = 0,   /* the key for the ticket's name, kvno and type opens it */
	SPN_KEYTAB_OPENED_OTHER, /* a key stored under another name or kvno opens it: an
	                            acceptor that tries every key accepts the ticket, one that
	                            looks up the ticket's name and kvno does not */
	SPN_KEYTAB_NO_NAME,      /* no key for the ticket's name, and no key opens it: the keytab
	                            holds keys of other accounts */
	SPN_KEYTAB_OTHER_KVNO,   /* keys for the name, none of the ticket's kvno, none opens it
	                            (KRB_AP_ERR_BADKEYVER): the password changed after the keytab
	                            was made, or the name now belongs to another account */
	SPN_KEYTAB_NO_ENCTYPE,   /* the name and kvno, but not the ticket's encryption type */
	SPN_KEYTAB_WRONG_KEY,    /* name, kvno and type match, the key does not decrypt
	                            (KRB_AP_ERR_MODIFIED): another account's key or an old
	                            password */
};
/* "opened", "opened-other", "no-name", "other-kvno", "no-enctype", "wrong-key" */
const char *spn_keytab_status_name(enum spn_keytab_status s);

struct spn_keytab_key {
	const char *principal;
	uint32_t kvno;
	int32_t enctype;
	bool opens;              /* this key decrypts the ticket (tried for the ticket's type only) */
};

struct spn_keytab_check {
	const char *keytab;      /* the keytab's name ("FILE:/etc/krb5.keytab") */
	enum spn_keytab_status status;
	struct spn_keytab_key *keys;  /* what the keytab holds, in its order */
	size_t nkeys;
	const struct spn_keytab_key *opened_by;  /* the key that opens the ticket, or NULL */
	const char *summary;     /* one line: "the KDC encrypted this ticket for ... (kvno 2,
	                            rc4-hmac); this keytab holds keys of ... (kvno 1)" */
	struct spn_arena arena;  /* owns keys and every string */
};

void spn_keytab_check_init(struct spn_keytab_check *k);
void spn_keytab_check_release(struct spn_keytab_check *k);

/* Decrypt the ticket of an issued probe with the keys of keytab (a name
 * krb5_kt_resolve takes; NULL: the default keytab). SPN_USAGE when the probe
 * holds no ticket; SPN_IO when the keytab cannot be read; SPN_INPUT when it
 * or the ticket is malformed. */
enum spn_rc spn_probe_open(const struct spn_probe_result *probe, const char *keytab,
                           struct spn_keytab_check *k, struct spn_err *err);

/* The default keytab's name (krb5_kt_default_name) into name, and whether
 * this process can read it: *readable true when it opens (it may hold no
 * keys). SPN_IO when krb5 cannot be initialised; SPN_USAGE for a small buf. */
enum spn_rc spn_probe_default_keytab(char *name, size_t size, bool *readable,
                                     struct spn_err *err);

/* The realm a probe asks in: the ticket cache's client's realm (ccache:
 * NULL for KRB5CCNAME or the default cache), else krb5.conf's
 * default_realm, else "" - into buf. SPN_IO when krb5 cannot be
 * initialised. */
enum spn_rc spn_probe_realm(const char *ccache, char *buf, size_t size, struct spn_err *err);

/* ---- Encryption types (pure) ---- */

/* "aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96", "rc4-hmac", "des-cbc-md5", ...
 * (MIT's names) or NULL for a type this table does not know. */
const char *spn_enctype_name(int32_t enctype);
/* The msDS-SupportedEncryptionTypes bit that allows enctype (0x10 for AES256),
 * or 0 when no bit does. */
uint32_t spn_enctype_msds_bit(int32_t enctype);
/* The meaning of a msDS-SupportedEncryptionTypes value in words, bit by bit:
 * "RC4-HMAC, AES128-CTS-HMAC-SHA1-96, AES256-CTS-HMAC-SHA1-96", unknown bits
 * as "0x400000"; "none" for 0. Returns the length it needed (as snprintf). */
size_t spn_enctype_bits_text(uint32_t bits, char *buf, size_t size);

#endif
