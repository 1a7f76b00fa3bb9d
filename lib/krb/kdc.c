/*
 * kdc.c - a krb5 context that asks one chosen KDC of a realm and no other
 * (spn_probe_opts.kdc): what fix --wait needs to ask each DC's KDC in
 * turn whether it issues a ticket yet.
 *
 * MIT krb5 reads its configuration as a list of files; a section marked
 * final ("}*") in an earlier file hides the same section of later files.
 * So the context is built from a small file of our own naming the KDC, in
 * a final [realms] section, followed by the files krb5 would read anyway
 * (KRB5_CONFIG, else /etc/krb5.conf): everything else stays as configured.
 * The file lives until the context is freed (krb5 may look at it again).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <profile.h>

#include "krb_int.h"

static bool plain(const char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e || strchr("{}=\"*#;[]", *s))
			return false;
	return true;
}

krb5_error_code spn_krb_kdc_context(const char *realm, const char *kdc, krb5_context *ctx,
                                    char *tmp, size_t cap)
{
	*ctx = NULL;
	tmp[0] = '\0';
	if (!plain(realm) || !plain(kdc) || cap < 32)
		return EINVAL;
	snprintf(tmp, cap, "/tmp/spnctl-kdc-XXXXXX");
	int fd = mkstemp(tmp);
	if (fd < 0) {
		tmp[0] = '\0';
		return errno ? errno : EIO;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		tmp[0] = '\0';
		return EIO;
	}
	fprintf(f, "[realms]\n\t%s = {\n\t\tkdc = %s\n\t}*\n", realm, kdc);
	if (fclose(f) != 0) {
		unlink(tmp);
		tmp[0] = '\0';
		return EIO;
	}
	const char *conf = getenv("KRB5_CONFIG");   /* what krb5 itself reads */
	size_t n = strlen(tmp) + 2 + strlen(conf && *conf ? conf : "/etc/krb5.conf");
	char *path = malloc(n);
	if (!path) {
		unlink(tmp);
		tmp[0] = '\0';
		return ENOMEM;
	}
	snprintf(path, n, "%s:%s", tmp, conf && *conf ? conf : "/etc/krb5.conf");
	profile_t prof = NULL;
	krb5_error_code ret = (krb5_error_code)profile_init_path(path, &prof);
	free(path);
	if (!ret)
		ret = krb5_init_context_profile(prof, 0, ctx);
	if (prof)
		profile_release(prof);
	if (ret) {
		*ctx = NULL;
		unlink(tmp);
		tmp[0] = '\0';
	}
	return ret;
}
