/*
 * spngen.c - command line of spngen, the synthetic directory generator used
 * by the 'gen' tests and by bench/, and the JSON manifest it writes.
 *
 *   spngen --accounts N [--seed S] [--domain corp.example.com] [--domains K]
 *          [--plant-scale P] [--split] [--containers] -o FILE.ldif
 *          [--manifest FILE.json]
 *
 * The manifest gives the exact number of findings per check code (and per
 * severity) a correct `spnctl audit --now 2026-01-01` reports for the files
 * written, the statistics the snapshot must load to, and what was planted.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void usage(FILE *f)
{
	fputs("usage: spngen --accounts N [--seed S] [--domain DNSNAME] [--domains K]\n"
	      "              [--plant-scale P] [--split] [--containers] -o FILE.ldif\n"
	      "              [--manifest FILE.json]\n"
	      "  --accounts N     account entries to write (users, computers, service accounts)\n"
	      "  --seed S         another seed, another directory (default 1)\n"
	      "  --domain NAME    forest root domain (default corp.example.com)\n"
	      "  --domains K      domains in the forest, 1..64 (default 1); children are\n"
	      "                   emea.NAME, apac.NAME, ...\n"
	      "  --plant-scale P  units of each planted problem (default max(3, N/5000);\n"
	      "                   0 = a clean directory)\n"
	      "  --split          one file per domain: FILE.<domain>.ldif\n"
	      "  --containers     also the domain heads, OUs and CN containers (parents first),\n"
	      "                   so the file loads into slapd with slapadd\n"
	      "  -o FILE          LDIF output, as ldapsearch -LLL writes it\n"
	      "  --manifest FILE  expected findings (audit with --now " GEN_NOW ")\n", f);
}

static int parse_u64(const char *s, const char *opt, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "spngen: %s: '%s' is not a number\n", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int write_manifest(const char *path, const struct gen_params *p, const struct gen_result *r)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "spngen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	uint64_t total = 0, failing = 0;
	for (int c = 0; c < GC_NCODES; c++)
		for (int s = 0; s < GS_NSEV; s++) {
			total += r->count[c][s];
			if (s >= GS_WARNING)
				failing += r->count[c][s];
		}
	fprintf(f, "{\n  \"generator\": \"spngen\",\n  \"seed\": %" PRIu64 ",\n", p->seed);
	fprintf(f, "  \"accounts_requested\": %" PRIu64 ",\n", p->accounts);
	fprintf(f, "  \"plant_scale\": %" PRIu64 ",\n", r->plant_scale);
	fprintf(f, "  \"now\": \"%s\",\n", GEN_NOW);
	fputs("  \"domains\": [", f);
	for (unsigned i = 0; i < r->ndomains; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, r->domain[i]);
	}
	fputs("],\n  \"files\": [", f);
	for (unsigned i = 0; i < r->nfiles; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, r->file[i]);
	}
	fprintf(f, "],\n  \"stats\": {\"entries\": %" PRIu64 ", \"accounts\": %" PRIu64
	        ", \"groups\": %" PRIu64 ", \"spn_values\": %" PRIu64 ", \"distinct_spns\": %" PRIu64
	        ", \"bytes\": %" PRIu64 "},\n",
	        r->entries, r->accounts, r->groups, r->spn_values, r->distinct_spns, r->bytes);
	fprintf(f, "  \"expected\": {\n    \"total\": %" PRIu64 ",\n    \"exit\": %d,\n"
	        "    \"by_code\": {\n", total, failing ? 1 : 0);
	for (int c = 0; c < GC_NCODES; c++) {
		uint64_t n = 0;
		for (int s = 0; s < GS_NSEV; s++)
			n += r->count[c][s];
		fprintf(f, "      \"%s\": {\"total\": %" PRIu64, gen_code_name((enum gen_code)c), n);
		for (int s = GS_NSEV - 1; s >= 0; s--)
			if (r->count[c][s])
				fprintf(f, ", \"%s\": %" PRIu64, gen_sev_name((enum gen_sev)s), r->count[c][s]);
		fprintf(f, "}%s\n", c + 1 < GC_NCODES ? "," : "");
	}
	fputs("    }\n  },\n  \"planted\": [\n", f);
	for (unsigned i = 0; i < r->nplants; i++) {
		fputs("    {\"kind\": ", f);
		json_str(f, r->plants[i].kind);
		fprintf(f, ", \"units\": %" PRIu64 ", \"what\": ", r->plants[i].units);
		json_str(f, r->plants[i].what);
		fprintf(f, "}%s\n", i + 1 < r->nplants ? "," : "");
	}
	fputs("  ]\n}\n", f);
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "spngen: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"accounts", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"domain", required_argument, NULL, 'd'},
		{"domains", required_argument, NULL, 'k'},
		{"plant-scale", required_argument, NULL, 'p'},
		{"split", no_argument, NULL, 'S'},
		{"containers", no_argument, NULL, 'C'},
		{"output", required_argument, NULL, 'o'},
		{"manifest", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct gen_params p = {.seed = 1, .domain = "corp.example.com", .ndomains = 1, .plant = -1};
	const char *manifest = NULL;
	bool have_n = false;
	uint64_t v;
	int c;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, "--accounts", &p.accounts))
				return 2;
			have_n = true;
			break;
		case 's':
			if (parse_u64(optarg, "--seed", &p.seed))
				return 2;
			break;
		case 'd':
			p.domain = optarg;
			break;
		case 'k':
			if (parse_u64(optarg, "--domains", &v))
				return 2;
			if (v < 1 || v > GEN_MAX_DOMAINS) {
				fprintf(stderr, "spngen: --domains must be 1..%d\n", GEN_MAX_DOMAINS);
				return 2;
			}
			p.ndomains = (unsigned)v;
			break;
		case 'p':
			if (parse_u64(optarg, "--plant-scale", &v))
				return 2;
			p.plant = (int64_t)(v > 99999 ? 100000 : v);
			break;
		case 'S':
			p.split = true;
			break;
		case 'C':
			p.containers = true;
			break;
		case 'o':
			p.out = optarg;
			break;
		case 'm':
			manifest = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !have_n || !p.out) {
		usage(stderr);
		return 2;
	}
	if (p.domain[0] == '\0' || strchr(p.domain, ',') || strchr(p.domain, '=')) {
		fprintf(stderr, "spngen: --domain: '%s' is not a DNS name\n", p.domain);
		return 2;
	}
	struct gen_result *r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "spngen: out of memory\n");
		return 2;
	}
	int rc = gen_directory(&p, r);
	if (rc == 0 && manifest)
		rc = write_manifest(manifest, &p, r);
	gen_result_release(r);
	free(r);
	return rc ? 2 : 0;
}
