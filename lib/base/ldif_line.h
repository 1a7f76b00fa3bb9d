/*
 * ldif_line.h - one "attr: value" line of LDIF (RFC 2849), as every LDIF
 * spnctl writes has it: never folded; a value that is not a SAFE-STRING
 * (non-ASCII, a leading space, ':' or '<', a trailing space, NUL, CR, LF)
 * goes out base64 as "attr:: ...". ldapmodify, ldifde and spnctl's own
 * readers read both forms back to the same bytes.
 */
#ifndef SPN_BASE_LDIF_LINE_H
#define SPN_BASE_LDIF_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* True when v[0..n) may be written as it is. */
bool spn_ldif_safe(const char *v, size_t n);
/* Write "attr: v\n" or "attr:: base64\n" to f. */
void spn_ldif_line(FILE *f, const char *attr, const char *v, size_t n);

#endif
