/*
 * netbios.h - -T with a NetBIOS domain name (netbios.c), for live.c.
 */
#ifndef SPN_LDAP_NETBIOS_H
#define SPN_LDAP_NETBIOS_H

#include <stdbool.h>
#include <stddef.h>

#include "spn/err.h"
#include "spn/live.h"

/* Can name be a NetBIOS domain name rather than a DNS one: one label (no
 * '.'), no '=', at most 15 characters? */
bool spn_netbios_like(const char *name);
/* The DNS name (crossRef dnsRoot) of the domain whose NetBIOS name is
 * name, into out, asked of -H's server, -d's DCs or ldap.conf's. SPN_USAGE
 * when the forest has no such domain. */
enum spn_rc spn_netbios_resolve(const struct spn_live_opts *o, const char *name, char *out,
                                size_t cap, struct spn_err *err);

#endif
