/*
 * dns.c - what the system resolver answers for a service's host: its
 * canonical name (getaddrinfo with AI_CANONNAME), which follows CNAMEs in
 * DNS and aliases in /etc/hosts as browsers and SSPI do when they build
 * HTTP/<name>. No shell-outs; nss and resolver configuration apply.
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "spn/doctor.h"

bool spn_dns_canonical(const char *host, char *buf, size_t size, char *why, size_t whysize)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_CANONNAME;
	if (size)
		buf[0] = '\0';
	if (whysize)
		why[0] = '\0';
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(why, whysize, "%s", gai_strerror(rc));
		return false;
	}
	bool ok = res && res->ai_canonname && *res->ai_canonname;
	if (ok)
		snprintf(buf, size, "%s", res->ai_canonname);
	else
		snprintf(why, whysize, "the resolver gave no canonical name");
	freeaddrinfo(res);
	return ok;
}
