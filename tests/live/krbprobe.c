/*
 * krbprobe.c - the live tests' driver for spn/probe.h: asks the KDC for each
 * SPN (spn_probe), opens the ticket with a keytab (spn_probe_open) when one
 * is given, and prints each result as one JSON line. Exits as the probe
 * command will: 0 every ticket issued (and opened by a key of the keytab,
 * under its own name or another), 1 the KDC said no (or no key of the
 * keytab opens the ticket), 2 could not ask (or a call failed).
 *
 * usage: krbprobe [--realm REALM] [--ccache NAME] [--keytab NAME] SPN...
 *        krbprobe --default-keytab
 */
#include <stdio.h>
#include <string.h>

#include "spn/probe.h"

static void str(const char *key, const char *v, const char *sep)
{
	printf("\"%s\":", key);
	if (!v) {
		printf("null%s", sep);
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	printf("\"%s", sep);
}

static void print_keytab(const struct spn_keytab_check *k)
{
	printf("\"keytab\":{");
	str("name", k->keytab, ",");
	str("status", spn_keytab_status_name(k->status), ",");
	str("summary", k->summary, ",");
	printf("\"opened_by\":%ld,\"keys\":[", k->opened_by ? (long)(k->opened_by - k->keys) : -1L);
	for (size_t i = 0; i < k->nkeys; i++) {
		const struct spn_keytab_key *key = &k->keys[i];
		printf("%s{", i ? "," : "");
		str("principal", key->principal, ",");
		str("enctype_name", spn_enctype_name(key->enctype), ",");
		printf("\"kvno\":%u,\"enctype\":%d,\"opens\":%s}", (unsigned)key->kvno,
		       (int)key->enctype, key->opens ? "true" : "false");
	}
	printf("]}");
}

static void print_error(const char *spn, const struct spn_err *err)
{
	putchar('{');
	str("spn", spn, ",");
	str("error", spn_rc_name(err->rc), ",");
	str("message", err->msg, "}\n");
}

/* Probe one SPN (and open its ticket); returns its exit code. */
static int probe_one(const char *spn, const struct spn_probe_opts *o, const char *keytab)
{
	struct spn_probe_result r;
	struct spn_keytab_check k;
	struct spn_err err;
	spn_err_init(&err);
	spn_probe_result_init(&r);
	spn_keytab_check_init(&k);
	int ex = 2;
	if (spn_probe(spn, o, &r, &err) != SPN_OK) {
		print_error(spn, &err);
		goto out;
	}
	bool opened = false;
	if (keytab && r.status == SPN_PROBE_ISSUED && spn_probe_open(&r, keytab, &k, &err) != SPN_OK) {
		print_error(spn, &err);
		goto out;
	}
	putchar('{');
	str("spn", r.spn, ",");
	str("principal", r.principal, ",");
	str("client", r.client, ",");
	str("status", spn_probe_status_name(r.status), ",");
	printf("\"asked\":%s,\"code\":%d,", spn_probe_asked(r.status) ? "true" : "false", (int)r.code);
	str("code_name", r.code_name, ",");
	str("message", r.message, ",");
	str("summary", r.summary, ",");
	str("server", r.server, ",");
	str("enctype_name", spn_enctype_name(r.enctype), ",");
	str("session_enctype_name", spn_enctype_name(r.session_enctype), ",");
	printf("\"enctype\":%d,\"kvno\":%u,\"session_enctype\":%d,\"ticket_len\":%zu",
	       (int)r.enctype, (unsigned)r.kvno, (int)r.session_enctype, r.ticket_len);
	if (keytab && r.status == SPN_PROBE_ISSUED) {
		putchar(',');
		print_keytab(&k);
		opened = k.status == SPN_KEYTAB_OPENED || k.status == SPN_KEYTAB_OPENED_OTHER;
	}
	printf("}\n");
	if (r.status == SPN_PROBE_ISSUED)
		ex = !keytab || opened ? 0 : 1;
	else
		ex = spn_probe_asked(r.status) ? 1 : 2;
out:
	spn_keytab_check_release(&k);
	spn_probe_result_release(&r);
	return ex;
}

static int default_keytab(void)
{
	char name[1024];
	bool readable;
	struct spn_err err;
	spn_err_init(&err);
	if (spn_probe_default_keytab(name, sizeof(name), &readable, &err) != SPN_OK) {
		print_error("", &err);
		return 2;
	}
	putchar('{');
	str("default_keytab", name, ",");
	printf("\"readable\":%s}\n", readable ? "true" : "false");
	return 0;
}

int main(int argc, char **argv)
{
	struct spn_probe_opts o = {NULL, NULL, NULL};
	const char *keytab = NULL;
	int i = 1, worst = 0;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--realm") == 0)
			o.realm = argv[i + 1];
		else if (strcmp(argv[i], "--ccache") == 0)
			o.ccache = argv[i + 1];
		else if (strcmp(argv[i], "--keytab") == 0)
			keytab = argv[i + 1];
		else
			break;
	}
	if (i == argc - 1 && strcmp(argv[i], "--default-keytab") == 0)
		return default_keytab();
	if (i >= argc || strncmp(argv[i], "--", 2) == 0) {
		fprintf(stderr, "usage: krbprobe [--realm REALM] [--ccache NAME] [--keytab NAME] SPN...\n"
		                "       krbprobe --default-keytab\n");
		return 2;
	}
	for (; i < argc; i++) {
		int ex = probe_one(argv[i], &o, keytab);
		worst = ex > worst ? ex : worst;
	}
	return worst;
}
