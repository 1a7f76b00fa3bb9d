/*
 * target.h - a service as a user names it (`spnctl doctor TARGET`), and the
 * SPNs Kerberos clients ask for when they connect to it.
 *
 * TARGET is a URL - http://, https://, mssql://host[:port],
 * mssql://host/INSTANCE, smtp://, cifs:// (smb://), ldap:// (ldaps://) -
 * or an SPN (class/host[:port][/service]).
 *
 * What clients ask for (spn_target_derive), from the host as typed, what
 * DNS answers for it (its canonical name, after any CNAME or hosts alias)
 * and the domain:
 *  - HTTP: browsers (Edge, Chrome, Firefox) and SSPI follow a CNAME and ask
 *    for HTTP/<canonical name>; a client that does not canonicalise asks for
 *    the name as typed; the port is left out (by default);
 *  - MSSQLSvc: SQL Server clients ask for MSSQLSvc/<FQDN>:<port> (1433 for
 *    the default instance), MSSQLSvc/<FQDN>:<INSTANCE> for a named instance
 *    over named pipes (over TCP: the port SQL Browser names), MSSQLSvc/<FQDN>
 *    for the default instance over named pipes;
 *  - SMTP: Exchange transport asks for SMTPSVC/, an RFC 4954 client for SMTP/;
 *  - cifs: the SMB client asks for the name as typed (no CNAME followed);
 *  - ldap: ldap/<FQDN> (OpenLDAP and MIT canonicalise the name first).
 * Short and fully qualified names both appear where a client may use either.
 *
 * Pure: no DNS here (the caller resolves; spn/doctor.h), no allocation.
 */
#ifndef SPN_TARGET_H
#define SPN_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spn/err.h"

#define SPN_TARGET_NAME_MAX 512
#define SPN_TARGET_MAX_SPNS 8

enum spn_target_scheme {
	SPN_SCHEME_SPN = 0,     /* an SPN as given */
	SPN_SCHEME_HTTP,        /* http:// and https:// */
	SPN_SCHEME_MSSQL,       /* mssql:// */
	SPN_SCHEME_SMTP,        /* smtp:// */
	SPN_SCHEME_CIFS,        /* cifs:// and smb:// */
	SPN_SCHEME_LDAP,        /* ldap:// and ldaps:// */
};

struct spn_target {
	enum spn_target_scheme scheme;
	char scheme_text[8];             /* as typed, lower case ("https"); "" for an SPN */
	char host[256];                  /* lower case, no trailing dot */
	uint32_t port;                   /* 0: none given */
	char instance[128];              /* mssql://host/INSTANCE, as typed */
	char spn[SPN_TARGET_NAME_MAX];   /* SPN_SCHEME_SPN: the SPN as given */
};

/* Parse TARGET. SPN_USAGE with a message that says what is wrong and what
 * is accepted: an unknown scheme, an IP address (Kerberos needs a name),
 * a bad port, an instance on a scheme other than mssql, a word that is
 * neither a URL nor an SPN. */
enum spn_rc spn_target_parse(const char *text, struct spn_target *t, struct spn_err *err);

/* Which client asks for a derived SPN. */
enum spn_asker {
	SPN_ASKER_ALL = 0,         /* every client */
	SPN_ASKER_CANONICAL,       /* clients that follow DNS to the canonical name (browsers, SSPI,
	                              MIT with dns_canonicalize_hostname) */
	SPN_ASKER_AS_TYPED,        /* clients that use the name as typed */
	SPN_ASKER_SHORT,           /* clients given the short name */
	SPN_ASKER_PIPES,           /* SQL Server clients over named pipes */
	SPN_ASKER_EXCHANGE,        /* Exchange transport (SMTPSVC) */
	SPN_ASKER_GSSAPI_SMTP,     /* SMTP clients with GSSAPI (RFC 4954) */
	SPN_ASKER_SMB,             /* the Windows SMB client: the name as typed, no CNAME followed */
};
/* The clients in words: "browsers and SSPI (the CNAME followed)", ... */
const char *spn_asker_text(enum spn_asker a);

struct spn_derived {
	char spn[SPN_TARGET_NAME_MAX];
	enum spn_asker asker;
	bool primary;                    /* what the usual client of this service asks for */
};

struct spn_derivation {
	struct spn_derived v[SPN_TARGET_MAX_SPNS];
	size_t n;
	char fqdn[256];                  /* the fully qualified name used, or "" */
	bool alias;                      /* DNS answered another host's name (CNAME or alias) */
	const char *note;                /* a sentence about the port or instance, or NULL */
};

/* The SPNs clients ask for to reach t. canonical: DNS's canonical name for
 * t->host (NULL: no answer); domain: the DNS domain to qualify a short
 * name with when DNS gave none (NULL: none). Each SPN appears once (AD
 * compares without regard to case), primary first. */
enum spn_rc spn_target_derive(const struct spn_target *t, const char *canonical, const char *domain,
                              struct spn_derivation *out, struct spn_err *err);

#endif
