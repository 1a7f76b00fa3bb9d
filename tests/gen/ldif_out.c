/*
 * ldif_out.c - LDIF output as `ldapsearch -LLL` writes it (OpenLDAP's
 * ldif_sput_wrap with the default width of 76): "name: value" when the value
 * is printable ASCII and does not start with a space, ':' or '<' or end with
 * a space, else "name:: base64"; a line reaching column 76 continues on the
 * next line after one space. Output goes through a 1 MiB buffer so writing
 * ten million accounts costs little more than the bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define WRAP 76
#define BUFCAP (1u << 20)

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int gen_out_open(struct gen_out *o, const char *path)
{
	memset(o, 0, sizeof(*o));
	o->path = strdup(path);
	o->buf = malloc(BUFCAP);
	if (!o->path || !o->buf) {
		fprintf(stderr, "spngen: out of memory\n");
		return -1;
	}
	o->cap = BUFCAP;
	o->f = fopen(path, "wb");
	if (!o->f) {
		fprintf(stderr, "spngen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void flush(struct gen_out *o)
{
	if (o->n && !o->failed && fwrite(o->buf, 1, o->n, o->f) != o->n)
		o->failed = true;
	o->bytes += o->n;
	o->n = 0;
}

int gen_out_close(struct gen_out *o)
{
	int rc = 0;
	if (o->f) {
		flush(o);
		if (fclose(o->f) != 0)
			o->failed = true;
		if (o->failed) {
			fprintf(stderr, "spngen: %s: write failed: %s\n", o->path, strerror(errno));
			rc = -1;
		}
	}
	free(o->buf);
	o->f = NULL;
	o->buf = NULL;
	return rc;
}

/* Room for need more bytes. */
static char *room(struct gen_out *o, size_t need)
{
	if (o->n + need > o->cap) {
		flush(o);
		if (need > o->cap) {
			char *b = realloc(o->buf, need);
			if (!b) {
				fprintf(stderr, "spngen: out of memory\n");
				exit(2);
			}
			o->buf = b;
			o->cap = need;
		}
	}
	return o->buf + o->n;
}

static bool needs_base64(const unsigned char *v, size_t n)
{
	if (n == 0)
		return false;
	if (!isgraph(v[0]) || v[0] == ':' || v[0] == '<' || !isgraph(v[n - 1]))
		return true;
	for (size_t i = 0; i < n; i++)
		if (v[i] >= 0x80 || !isprint(v[i]))
			return true;
	return false;
}

/* Write name, the separator and the value bytes (already base64 if so),
 * folding as ldapsearch does. */
static void put_line(struct gen_out *o, const char *name, const char *sep, const char *v, size_t n)
{
	size_t nl = strlen(name), sl = strlen(sep);
	char *p = room(o, nl + sl + n + 2 * (n / (WRAP - 1) + 2) + 2);
	char *start = p;
	memcpy(p, name, nl);
	p += nl;
	memcpy(p, sep, sl);
	p += sl;
	size_t len = nl + sl;
	if (len + n <= WRAP) {
		memcpy(p, v, n);
		p += n;
	} else {
		for (size_t i = 0; i < n; i++) {
			if (len >= WRAP) {
				*p++ = '\n';
				*p++ = ' ';
				len = 1;
			}
			*p++ = v[i];
			len++;
		}
	}
	*p++ = '\n';
	o->n += (size_t)(p - start);
}

static void put_base64(struct gen_out *o, const char *name, const unsigned char *v, size_t n)
{
	char stackbuf[1024];
	size_t need = (n + 2) / 3 * 4;
	char *enc = need <= sizeof(stackbuf) ? stackbuf : malloc(need);
	if (!enc) {
		fprintf(stderr, "spngen: out of memory\n");
		exit(2);
	}
	size_t k = 0, i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t b = (uint32_t)v[i] << 16 | (uint32_t)v[i + 1] << 8 | v[i + 2];
		enc[k++] = b64[b >> 18 & 63];
		enc[k++] = b64[b >> 12 & 63];
		enc[k++] = b64[b >> 6 & 63];
		enc[k++] = b64[b & 63];
	}
	if (i < n) {
		uint32_t b = (uint32_t)v[i] << 16 | (i + 1 < n ? (uint32_t)v[i + 1] << 8 : 0);
		enc[k++] = b64[b >> 18 & 63];
		enc[k++] = b64[b >> 12 & 63];
		enc[k++] = i + 1 < n ? b64[b >> 6 & 63] : '=';
		enc[k++] = '=';
	}
	put_line(o, name, ":: ", enc, k);
	if (enc != stackbuf)
		free(enc);
}

void ldif_attr(struct gen_out *o, const char *name, const char *v, size_t n)
{
	if (needs_base64((const unsigned char *)v, n))
		put_base64(o, name, (const unsigned char *)v, n);
	else
		put_line(o, name, ": ", v, n);
}

void ldif_attr_str(struct gen_out *o, const char *name, const char *v)
{
	ldif_attr(o, name, v, strlen(v));
}

void ldif_attr_int(struct gen_out *o, const char *name, int64_t v)
{
	char num[24];
	int k = snprintf(num, sizeof(num), "%" PRId64, v);
	put_line(o, name, ": ", num, (size_t)k);
}

void ldif_attr_bin(struct gen_out *o, const char *name, const void *v, size_t n)
{
	put_base64(o, name, v, n);
}

void ldif_end(struct gen_out *o)
{
	*room(o, 1) = '\n';
	o->n++;
	o->entries++;
}
