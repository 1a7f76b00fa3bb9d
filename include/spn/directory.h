/*
 * directory.h - one bound connection to a domain controller, for the
 * commands that change SPNs: find the account a user named, re-read an
 * object, list the holders of an SPN, and change servicePrincipalName by
 * one value.
 *
 * Reads come back as a small finished model (spn/model.h), so a re-read
 * object is seen exactly as the audit sees it (kind, names, SPN values as
 * stored, every ranged value followed). A read that was cut short is an
 * error here, never a partial answer: a write must not be decided on part
 * of an object.
 */
#ifndef SPN_DIRECTORY_H
#define SPN_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "spn/err.h"
#include "spn/live.h"
#include "spn/model.h"

struct spn_dir;

/* Connect and bind as the read commands do (-H, -d, bind options of o).
 * The Global Catalog is read-only: --forest is refused. */
enum spn_rc spn_dir_open(struct spn_dir **out, const struct spn_live_opts *o, struct spn_err *err);
void spn_dir_close(struct spn_dir *d);
const char *spn_dir_server(const struct spn_dir *d);   /* "ldap://dc1.corp.example" */
const char *spn_dir_base(const struct spn_dir *d);     /* the domain naming context */

/* Who the connection is bound as, as the server says (LDAP "Who am I?":
 * "u:CONTOSO\\alice", "dn:CN=..."), malloc'd; NULL when it does not say. */
char *spn_dir_whoami(struct spn_dir *d);

/* Which kinds of account a name may stand for (setspn -C / -U). */
enum spn_dir_kinds {
	SPN_DIR_COMPUTER = 1 << 0,
	SPN_DIR_USER = 1 << 1,     /* users, managed service accounts */
	SPN_DIR_ANY = SPN_DIR_COMPUTER | SPN_DIR_USER,
};

/* Find the account name stands for: a DN, a UPN (has '@'), or a
 * sAMAccountName - as setspn does, the computer NAME$ first, then NAME. A
 * "DOMAIN\" in front must name the domain connected to (its NetBIOS or
 * DNS name): another domain's account of that name is another account,
 * SPN_INPUT. On success *out is a finished model holding exactly that
 * account (id 0). SPN_INPUT "no account 'X' under BASE" when none,
 * SPN_USAGE naming them when several match. */
enum spn_rc spn_dir_find(struct spn_dir *d, const char *name, unsigned kinds,
                         struct spn_model **out, struct spn_err *err);

/* Re-read the object at dn (every value of servicePrincipalName, ranged
 * retrieval followed). *out: a finished model with that account as id 0.
 * SPN_INPUT when the object does not exist; SPN_INCOMPLETE when the read
 * was cut short. */
enum spn_rc spn_dir_read(struct spn_dir *d, const char *dn, struct spn_model **out,
                         struct spn_err *err);

/* Every account in the domain that holds spn (exact, case-insensitive as
 * the server compares), or a UPN equal to it, or a HOST-alias form of it
 * ("cifs/x" <-> "HOST/x"): *out, a finished model. */
enum spn_rc spn_dir_holders(struct spn_dir *d, const char *spn, struct spn_model **out,
                            struct spn_err *err);

enum spn_dir_op {
	SPN_DIR_ADD = 0,       /* add one value */
	SPN_DIR_DELETE,        /* delete one value (as stored) */
	SPN_DIR_REPLACE,       /* replace every value with values[0..n) */
	/* Delete values[0] (as stored) in one modify that first adds and at
	 * its end deletes values[1], a placeholder no account holds: Samba
	 * checks only the first change of a modify for duplicates, so it takes
	 * this where it refuses a plain delete of a duplicated value. Nothing
	 * else is touched, and the modify is atomic: no value written
	 * meanwhile is lost (a replace would drop it). n is 2. */
	SPN_DIR_DELETE_SHIELDED,
};

/* Change servicePrincipalName of dn. *lrc receives the LDAP result code
 * (LDAP_SUCCESS, LDAP_CONSTRAINT_VIOLATION, ...) so the caller can decide
 * what a refusal means. Errors: SPN_REFUSED for a refusal by the DC
 * (constraint, rights, ...) with the server's words in err; SPN_DIRECTORY
 * when the server could not be asked. */
enum spn_rc spn_dir_modify(struct spn_dir *d, const char *dn, enum spn_dir_op op,
                           const char *const *values, size_t n, int *lrc, struct spn_err *err);

/* The LDAP result codes spn_dir_modify() reports that callers act on. */
#define SPN_LDAP_CONSTRAINT_VIOLATION 19
#define SPN_LDAP_INSUFFICIENT_ACCESS 50
#define SPN_LDAP_NO_SUCH_ATTRIBUTE 16
#define SPN_LDAP_TYPE_OR_VALUE_EXISTS 20
#define SPN_LDAP_NO_SUCH_OBJECT 32

#endif
