/*
 * where.h - what where.c shares with its unit test: reading ldap.conf's
 * syntax for the server it sets.
 */
#ifndef SPN_LDAP_WHERE_H
#define SPN_LDAP_WHERE_H

#include <stdbool.h>
#include <stddef.h>

/* Does text (ldap.conf / ldaprc syntax: "KEY value" lines) set URI or
 * HOST? The last such value goes into out (cap bytes), its key ("URI" or
 * "HOST") into *key. */
bool spn_ldapconf_server(const char *text, char *out, size_t cap, const char **key);

#endif
