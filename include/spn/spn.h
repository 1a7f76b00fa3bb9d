/*
 * spn.h - one Service Principal Name: syntax, AD identity (case-folded key),
 * look-alike skeleton, and the HOST alias table (sPNMappings).
 *
 * Syntax (MS-ADTS 2.2.21): class "/" host [":" port | ":" instance] ["/" service]
 * - exactly 2 or 3 "/"-separated components, none empty (backslashes do not
 *   escape "/": AD and Samba count every "/");
 * - ":" suffix of the host is a port when all digits, else an instance name.
 *
 * Identity: AD compares String(Unicode) case-insensitively. spn_fold() gives
 * the key two values share exactly when AD holds them to be the same SPN.
 * Skeleton: spn_skeleton() also drops invisible and format characters (zero
 * width joiners, soft hyphen, bidi marks, ...) and applies NFKC, so
 * look-alikes that a KDC resolves to the same name share a skeleton
 * (CVE-2026-25177 class). For pure ASCII input, skeleton == fold.
 */
#ifndef SPN_SPN_H
#define SPN_SPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/arena.h"

/* A slice of bytes, not NUL-terminated unless said otherwise. */
struct spn_slice {
	const char *p;
	size_t n;
};

enum spn_syntax {
	SPN_SYNTAX_OK = 0,
	SPN_SYNTAX_EMPTY,          /* empty value */
	SPN_SYNTAX_ONE_PART,       /* no "/" at all */
	SPN_SYNTAX_TOO_MANY_PARTS, /* more than 3 components */
	SPN_SYNTAX_EMPTY_PART,     /* "HTTP/" or "/host" or "a//b" */
	SPN_SYNTAX_EMPTY_PORT,     /* "MSSQLSvc/h:" */
	SPN_SYNTAX_SPACE,          /* space, tab or control character inside */
	SPN_SYNTAX_BAD_UTF8,       /* bytes that are not UTF-8 */
	SPN_SYNTAX_BAD_CLASS,      /* class has ":" or "@" */
	SPN_SYNTAX_AT_SIGN,        /* "@" in host or service: a realm does not belong in AD */
};

struct spn_parts {
	struct spn_slice cls;      /* "HTTP" */
	struct spn_slice host;     /* "web.corp.example" (without ":port") */
	struct spn_slice port;     /* "1433" or "INSTANCE"; n == 0 when absent */
	struct spn_slice service;  /* third component; n == 0 when absent */
	int ncomp;                 /* 2 or 3 */
	bool port_numeric;         /* port is all digits */
};

/* Parse s[0..n). Slices point into s. Returns SPN_SYNTAX_OK or the reason. */
enum spn_syntax spn_parse(const char *s, size_t n, struct spn_parts *out);
/* A short English reason for a syntax code ("has 4 components, AD allows 2 or 3"). */
const char *spn_syntax_text(enum spn_syntax rc);

/* Case-fold s[0..n) into out (capacity cap). Returns the folded length, or
 * (size_t)-1 when cap is too small or s is not UTF-8 (then folds bytewise:
 * callers treat such values as malformed anyway). ASCII is folded inline;
 * other text goes through libunistring's full case folding. */
size_t spn_fold(const char *s, size_t n, char *out, size_t cap);
/* Room the key of an n-byte value needs: case folding may grow UTF-8 text
 * (e.g. U+0130 -> "i" + U+0307). */
#define SPN_KEY_CAP(n) ((n) * 3 + 16)
/* The identity key the SPN index uses: spn_fold(), or for bytes that are
 * not UTF-8 the bytes with ASCII letters lowered (such values are malformed
 * but still indexed). Returns the length; (size_t)-1 only when cap is below
 * SPN_KEY_CAP(n). */
size_t spn_key(const char *s, size_t n, char *out, size_t cap);
/* Skeleton as described above; same return convention as spn_fold(). */
size_t spn_skeleton(const char *s, size_t n, char *out, size_t cap);
/* True when every byte of s is < 0x80 (only other values can differ from their skeleton). */
bool spn_is_ascii(const char *s, size_t n);
/* Is code point c one the skeleton drops: invisible to a reader (default
 * ignorable: zero width joiners, soft hyphen, variation selectors) or a
 * format character (bidi marks, word joiner, BOM)? Reports show it. */
bool spn_char_invisible(uint32_t c);
/* s for a person to read, into out (cap bytes, always NUL-terminated, cut
 * at a character boundary when it does not fit): invisible characters (as
 * the skeleton drops them), control characters and line separators as
 * <U+XXXX>, bytes that are not UTF-8 as <0xNN>, all else as it is - so a
 * spelling with a hidden character is told from the plain one, and a
 * value never breaks a line. At most 8 bytes out per byte in. Returns out. */
const char *spn_visible(const char *s, char *out, size_t cap);

/* ---- HOST aliases (sPNMappings on CN=Directory Service,...) ---- */

struct spn_alias_table;

/* The built-in default (Samba provisioning / Windows default value). */
struct spn_alias_table *spn_alias_default(void);
/* Build from the values of sPNMappings ("host=alerter,appmgmt,..."); first
 * mapping of a class wins, as on Windows and Samba. Returns NULL on NOMEM;
 * malformed values (no "=") are skipped and counted in *bad. */
struct spn_alias_table *spn_alias_parse(const struct spn_slice *values, size_t nvalues, size_t *bad);
void spn_alias_free(struct spn_alias_table *t);
/* The target class ("host") for cls, or NULL when cls is not an alias.
 * Case-insensitive. The returned string is owned by the table. */
const char *spn_alias_target(const struct spn_alias_table *t, const char *cls, size_t n);
/* Number of aliased classes, and the i-th (class, target), for listings. */
size_t spn_alias_count(const struct spn_alias_table *t);
void spn_alias_get(const struct spn_alias_table *t, size_t i, const char **cls, const char **target);
/* The table for a search made before the directory's sPNMappings are known:
 * every class but HOST is taken for an alias of "HOST", so what is built
 * from it fetches more, never less. Static: never freed (spn_alias_free()
 * ignores it); lists no classes. */
const struct spn_alias_table *spn_alias_any(void);

/* The alias key of an SPN: what a KDC looks up when no account holds the
 * SPN itself (MS-DRSR MapSPN, Samba's DsCrackNameSPNAlias) - the class
 * replaced by its alias target, component 1 (host[:port]) kept, a service
 * component dropped: "cifs/web01:445/x" -> "host/web01:445". It reads
 * target "/" host. */
struct spn_alias_key {
	const char *target;        /* the target class as the table spells it ("host") */
	struct spn_slice cls;      /* the SPN's own class, as written */
	struct spn_slice host;     /* its component 1, host[:port], as written */
};
/* The alias key of s[0..n) under t into *k, or false when it has none: t
 * NULL, the class no alias in t, or mapped to itself (HOST/x is no alias of
 * host/x), or no '/' or an empty component 1. Checks no other syntax. */
bool spn_alias_key(const struct spn_alias_table *t, const char *s, size_t n, struct spn_alias_key *k);

/* ---- Patterns (spn_match.c) ---- */

/* Does the folded string s[0..n) match the folded pattern pat[0..pn)? '*'
 * matches any run of bytes (also '/' and nothing); every other byte matches
 * itself. Fold both with spn_fold() first for AD's case-insensitivity. */
bool spn_match(const char *pat, size_t pn, const char *s, size_t n);
/* True when pat[0..pn) contains a '*'. */
bool spn_has_wildcard(const char *pat, size_t pn);

#endif
