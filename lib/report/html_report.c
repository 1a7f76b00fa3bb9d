/*
 * html_report.c - the findings of audit and dups as one self-contained
 * HTML page (`-o html`): no network, no external script, style or font;
 * the Content-Security-Policy of the page says so to the browser too
 * (default-src 'none', and only the one script below, by its hash).
 *
 * The page, in order:
 *  - an overview: complete or not (and the gaps), counts by severity and
 *    by check, the accounts with the most findings, what was read;
 *  - a filter by severity and check (check boxes; CSS :has() hides what is
 *    unchecked even without JavaScript; the script adds the count shown
 *    and keeps the choice in the URL: #severity=error&check=duplicate-spn);
 *  - the findings, grouped by severity and check like the text report,
 *    each with its holders (and each one's own spelling when they
 *    differ; under each, when its servicePrincipalName was last changed
 *    and on which DC, when the model has the stamp), what breaks, the fix in words and the fix as blocks to copy
 *    (html_fix.c);
 *  - the accepted findings (--accept) apart, one row each: like the text
 *    report and the exit status, the title, the counts, the accounts with
 *    the most findings and the filter leave them out.
 * Print CSS drops the filter, colour and scrolling: code blocks wrap.
 *
 * Everything from the directory goes through html_escape.c; the script,
 * the style and every attribute name are constants. Counts and the
 * severity and check of each group are in data- attributes, for tests and
 * for anyone's own tooling.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* The page's one script. Its SHA-256 (base64) is in the CSP below:
 * change one byte and update HTML_SCRIPT_SHA256 (tests/html checks it). */
static const char script[] =
	"(function () {\n"
	"  \"use strict\";\n"
	"  var form = document.getElementById(\"filters\");\n"
	"  if (!form) return;\n"
	"  var boxes = Array.prototype.slice.call(form.querySelectorAll(\"input[type=checkbox]\"));\n"
	"  var shown = document.getElementById(\"shown\");\n"
	"  var total = document.querySelectorAll(\".finding\").length;\n"
	"  function wanted(name) {\n"
	"    var on = [], all = true;\n"
	"    boxes.forEach(function (b) {\n"
	"      if (b.name !== name) return;\n"
	"      if (b.checked) on.push(b.value); else all = false;\n"
	"    });\n"
	"    return all ? null : on;\n"
	"  }\n"
	"  function apply(keep) {\n"
	"    var sev = wanted(\"severity\"), chk = wanted(\"check\"), n = 0;\n"
	"    document.querySelectorAll(\"section.sev\").forEach(function (s) {\n"
	"      var any = false, sevOn = !sev || sev.indexOf(s.dataset.severity) >= 0;\n"
	"      s.querySelectorAll(\"section.group\").forEach(function (g) {\n"
	"        var on = sevOn && (!chk || chk.indexOf(g.dataset.check) >= 0);\n"
	"        g.hidden = !on;\n"
	"        if (on) { any = true; n += g.querySelectorAll(\".finding\").length; }\n"
	"      });\n"
	"      s.hidden = !any;\n"
	"    });\n"
	"    shown.textContent = n === total ? \"All \" + total + \" findings shown.\"\n"
	"                                    : n + \" of \" + total + \" findings shown.\";\n"
	"    if (keep) return;\n"
	"    var parts = [];\n"
	"    if (sev) parts.push(\"severity=\" + sev.join(\",\"));\n"
	"    if (chk) parts.push(\"check=\" + chk.join(\",\"));\n"
	"    history.replaceState(null, \"\", parts.length ? \"#\" + parts.join(\"&\")\n"
	"                                                : location.pathname + location.search);\n"
	"  }\n"
	"  function fromHash() {\n"
	"    var p = new URLSearchParams(location.hash.slice(1));\n"
	"    [\"severity\", \"check\"].forEach(function (name) {\n"
	"      if (!p.has(name)) return;\n"
	"      var want = p.get(name).split(\",\");\n"
	"      boxes.forEach(function (b) {\n"
	"        if (b.name === name) b.checked = want.indexOf(b.value) >= 0;\n"
	"      });\n"
	"    });\n"
	"  }\n"
	"  fromHash();\n"
	"  apply(true);\n"
	"  form.addEventListener(\"change\", function () { apply(false); });\n"
	"  form.addEventListener(\"reset\", function () { setTimeout(function () { apply(false); }, 0); });\n"
	"  window.addEventListener(\"hashchange\", function () { fromHash(); apply(true); });\n"
	"})();\n";
#define HTML_SCRIPT_SHA256 "sha256-oTW+1nqLp4sVw3th/9bTzAUn+H99LXDTWfwhVQhPa5Y="

static const char style[] =
	":root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--code:#f6f8fa;"
	"--error:#b42318;--warning:#8a5a00;--info:#0b5cad}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;"
	"--line:#3d444d;--code:#151b23;--error:#ff7b72;--warning:#d29922;--info:#58a6ff}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0 auto;max-width:80rem;padding:1rem 1.5rem 3rem;color:var(--fg);"
	"background:var(--bg);font:15px/1.5 system-ui,\"Segoe UI\",\"DejaVu Sans\",sans-serif}\n"
	"h1{font-size:1.6rem;margin:.5rem 0}\n"
	"h2{font-size:1.3rem;border-bottom:1px solid var(--line);padding-bottom:.2rem;margin:2rem 0 .8rem}\n"
	"h3{font-size:1.1rem;margin:1.6rem 0 .6rem}\n"
	"h4{font-size:1rem;margin:0 0 .4rem;overflow-wrap:anywhere}\n"
	"h5{font-size:.8rem;margin:.8rem 0 .2rem;text-transform:uppercase;letter-spacing:.05em;"
	"color:var(--muted)}\n"
	"h6{font-size:.9rem;margin:.8rem 0 .2rem}\n"
	"p{margin:.3rem 0 .6rem}\n"
	"code,pre{font-family:ui-monospace,\"DejaVu Sans Mono\",Consolas,monospace;font-size:.85rem}\n"
	"pre{background:var(--code);border:1px solid var(--line);border-radius:6px;"
	"padding:.5rem .8rem;margin:.2rem 0 .7rem;overflow-x:auto;white-space:pre;user-select:all}\n"
	"figure{margin:0}\n"
	"figcaption{font-size:.85rem;color:var(--muted)}\n"
	"table{border-collapse:collapse;margin:.3rem 0 1rem}\n"
	"th,td{border-bottom:1px solid var(--line);padding:.2rem .6rem;text-align:left;"
	"vertical-align:top}\n"
	"thead th{font-size:.85rem;color:var(--muted)}\n"
	".n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".dn{overflow-wrap:anywhere;font-size:.9rem}\n"
	".overview{display:flex;flex-wrap:wrap;gap:0 2.5rem}\n"
	".status{padding:.5rem .8rem;border:1px solid var(--line);border-radius:6px}\n"
	".status.incomplete{border:2px solid var(--error)}\n"
	".finding{border:1px solid var(--line);border-left:5px solid var(--line);border-radius:6px;"
	"padding:.7rem 1rem;margin:0 0 1rem}\n"
	".finding[data-severity=error]{border-left-color:var(--error)}\n"
	".finding[data-severity=warning]{border-left-color:var(--warning)}\n"
	".finding[data-severity=info]{border-left-color:var(--info)}\n"
	".badge{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .5rem;"
	"border:1px solid currentColor;border-radius:1rem;vertical-align:middle}\n"
	".badge.error{color:var(--error)}.badge.warning{color:var(--warning)}"
	".badge.info{color:var(--info)}\n"
	".hc{border:1px dashed var(--error);border-radius:3px;padding:0 .15rem;font-size:.75em;"
	"color:var(--error);font-family:monospace}\n"
	".note,.undecided{font-size:.9rem}\n"
	"#filters{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;margin:1rem 0}\n"
	"#filters fieldset{border:0;margin:0;padding:.2rem 0}\n"
	"#filters legend{font-weight:600;float:left;margin-right:.8rem;padding:0}\n"
	"#filters label{display:inline-block;margin-right:1rem;white-space:nowrap}\n"
	"#shown{margin:.3rem 0 0;color:var(--muted)}\n"
	"@page{margin:15mm}\n"
	"@media print{:root{--fg:#000;--muted:#333;--bg:#fff;--line:#888;--code:#fff;"
	"--error:#000;--warning:#000;--info:#000}\n"
	" body{max-width:none;padding:0;font:10pt/1.35 \"DejaVu Serif\",serif}\n"
	" #filters{display:none}\n"
	" pre{white-space:pre-wrap;overflow:visible;overflow-wrap:anywhere;user-select:auto}\n"
	" .finding{break-inside:avoid;border-left-width:1px}\n"
	" h2,h3,h4,h5,h6{break-after:avoid}\n"
	" a{color:inherit;text-decoration:none}}\n";

/* ---- Counting ---- */

/* Findings per severity and per check (registry order; the last row for a
 * code the registry does not know); accepted ones only in accepted. */
struct html_counts {
	size_t total;
	size_t accepted;
	size_t sev[3];
	size_t nchecks;
	size_t (*by_check)[3];
};

static size_t check_index(const struct html_counts *c, const char *code)
{
	for (size_t i = 0; i < c->nchecks; i++)
		if (strcmp(spn_check_at(i)->code, code) == 0)
			return i;
	return c->nchecks;
}

static enum spn_rc count(struct html_counts *c, const struct spn_findings *fs)
{
	memset(c, 0, sizeof(*c));
	c->nchecks = spn_check_count();
	c->by_check = calloc(c->nchecks + 1, sizeof(*c->by_check));
	if (!c->by_check)
		return SPN_NOMEM;
	for (size_t i = 0; i < fs->n; i++) {
		unsigned s = (unsigned)fs->v[i].severity <= SPN_SEV_ERROR ? fs->v[i].severity : 0;
		if (fs->v[i].accepted) {
			c->accepted++;
			continue;
		}
		c->sev[s]++;
		c->by_check[check_index(c, fs->v[i].code)][s]++;
		c->total++;
	}
	return SPN_OK;
}

static const char *const sev_names[3] = {"info", "warning", "error"};
static const char *const sev_plural[3] = {"info", "warnings", "errors"};

/* A check code as it may stand in an id, a class or a CSS selector:
 * lower-case letters, digits and '-' only (every registry code is). */
static bool plain_code(const char *code)
{
	return *code && strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(code);
}

/* ---- The head ---- */

static void head(FILE *f, const struct html_counts *c)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src '" HTML_SCRIPT_SHA256 "'; img-src data:; "
	      "base-uri 'none'; form-action 'none'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"spnctl\">\n", f);
	fprintf(f, "<title>SPN findings: %zu error%s, %zu warning%s, %zu info",
	        c->sev[SPN_SEV_ERROR], c->sev[SPN_SEV_ERROR] == 1 ? "" : "s",
	        c->sev[SPN_SEV_WARNING], c->sev[SPN_SEV_WARNING] == 1 ? "" : "s", c->sev[SPN_SEV_INFO]);
	if (c->accepted)
		fprintf(f, " (%zu accepted)", c->accepted);
	fputs("</title>\n", f);
	fprintf(f, "<style>\n%s", style);
	/* The filter without JavaScript: an unchecked box hides its sections. */
	for (int s = SPN_SEV_ERROR; s >= SPN_SEV_INFO; s--)
		fprintf(f, "body:has(#fs-%s:not(:checked)) section.sev[data-severity=%s]{display:none}\n",
		        sev_names[s], sev_names[s]);
	for (size_t i = 0; i < c->nchecks; i++) {
		const char *code = spn_check_at(i)->code;
		size_t *n = c->by_check[i];
		if (n[0] + n[1] + n[2] && plain_code(code))
			fprintf(f, "body:has(#fc-%s:not(:checked)) section.group[data-check=%s]"
			        "{display:none}\n", code, code);
	}
	fputs("</style>\n</head>\n<body>\n", f);
}

/* ---- The overview ---- */

static void sources(FILE *f, const struct spn_model *m)
{
	fputs("<p class=\"sources\">Read: ", f);
	for (size_t i = 0; i < spn_model_nsources(m); i++) {
		const struct spn_source_info *s = spn_model_source(m, i);
		fputs(i ? "; <code>" : "<code>", f);
		html_text(f, s->name);
		fprintf(f, "</code> (%s, %zu entr%s)", strcmp(s->kind, "ldif") == 0 ? "snapshot" :
		        "live directory", (size_t)s->entries, s->entries == 1 ? "y" : "ies");
	}
	if (spn_model_nsources(m) == 0)
		fputs("nothing", f);
	fputs(". In all: ", f);
	text_scope(f, m);
	fputs(".</p>\n", f);
}

static void status(FILE *f, const struct spn_model *m)
{
	size_t n = spn_model_ngaps(m);
	if (n == 0) {
		fputs("<p class=\"status complete\" data-complete=\"true\"><strong>Complete:</strong> "
		      "the source reported no gaps (no size limit, cut-short value range or failed "
		      "search), so what follows covers everything that was read.</p>\n", f);
		return;
	}
	fputs("<div class=\"status incomplete\" data-complete=\"false\"><p><strong>INCOMPLETE:"
	      "</strong> the directory was not read in full; what follows may miss problems, "
	      "so this is not a clean bill. Why:</p>\n<ul class=\"gaps\">\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs("<li>", f);
		html_text(f, spn_model_gap(m, i));
		fputs("</li>\n", f);
	}
	fputs("</ul></div>\n", f);
}

static void severity_table(FILE *f, const struct html_counts *c)
{
	fputs("<div><h3>By severity</h3>\n<table id=\"by-severity\">\n<tbody>\n", f);
	for (int s = SPN_SEV_ERROR; s >= SPN_SEV_INFO; s--)
		fprintf(f, "<tr><th><span class=\"badge %s\">%s</span></th>"
		        "<td class=\"n\" data-count=\"severity:%s\">%zu</td></tr>\n",
		        sev_names[s], sev_plural[s], sev_names[s], c->sev[s]);
	fprintf(f, "<tr><th>all findings</th><td class=\"n\" data-count=\"total\">%zu</td></tr>\n",
	        c->total);
	if (c->accepted)
		fprintf(f, "<tr><th><a href=\"#accepted\">accepted</a>, not counted</th>"
		        "<td class=\"n\" data-count=\"accepted\">%zu</td></tr>\n", c->accepted);
	fputs("</tbody>\n</table></div>\n", f);
}

static void check_row(FILE *f, const char *code, const char *title, const size_t n[3])
{
	fputs("<tr><td><code>", f);
	html_text(f, code);
	fputs("</code></td>", f);
	for (int s = SPN_SEV_ERROR; s >= SPN_SEV_INFO; s--)
		fprintf(f, "<td class=\"n\">%zu</td>", n[s]);
	fputs("<td class=\"n\" data-count=\"check:", f);
	html_attr(f, code);
	fprintf(f, "\">%zu</td><td>", n[0] + n[1] + n[2]);
	html_text(f, title);
	fputs("</td></tr>\n", f);
}

static void check_table(FILE *f, const struct html_counts *c)
{
	fputs("<div><h3>By check</h3>\n<table id=\"by-check\">\n<thead><tr><th>check</th>"
	      "<th class=\"n\">errors</th><th class=\"n\">warnings</th><th class=\"n\">info</th>"
	      "<th class=\"n\">all</th><th>what it finds</th></tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i <= c->nchecks; i++) {
		const size_t *n = c->by_check[i];
		if (n[0] + n[1] + n[2] == 0)
			continue;
		if (i < c->nchecks)
			check_row(f, spn_check_at(i)->code, spn_check_at(i)->title, n);
		else
			check_row(f, "(other)", "", n);
	}
	if (c->total == 0)
		fputs("<tr><td colspan=\"6\">no findings</td></tr>\n", f);
	fputs("</tbody>\n</table></div>\n", f);
}

/* ---- The accounts with the most findings ---- */

#define TOP_ACCOUNTS 10

struct tally {
	const struct spn_model *m;
	uint32_t *n;      /* findings per account id */
	uint32_t *first;  /* index + 1 of its first finding */
};

static int by_count(const void *a, const void *b, void *arg)
{
	const struct tally *t = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (t->n[x] != t->n[y])
		return t->n[x] > t->n[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Each account once per finding that names it (accepted ones do not count). */
static void tally_findings(struct tally *t, const struct spn_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *f = &fs->v[i];
		if (f->accepted)
			continue;
		for (size_t j = 0; j < f->naccounts; j++) {
			uint32_t id = f->accounts[j];
			bool seen = false;
			for (size_t k = 0; k < j && !seen; k++)
				seen = f->accounts[k] == id;
			if (seen)
				continue;
			if (t->n[id]++ == 0)
				t->first[id] = (uint32_t)i + 1;
		}
	}
}

/* An account's name, then (after the caller's markup) its kind, domain and
 * DN cells; the row ends. */
static void account_name(FILE *f, const struct spn_account *a)
{
	html_text(f, a->sam ? a->sam : "(no sAMAccountName)");
}

static void account_cells(FILE *f, const struct spn_account *a)
{
	fprintf(f, "<td>%s%s</td><td>", spn_kind_name((enum spn_kind)a->kind),
	        spn_account_disabled(a) ? ", disabled" : "");
	html_text(f, a->domain);
	fputs("</td><td class=\"dn\">", f);
	html_text(f, a->dn);
	fputs("</td></tr>\n", f);
}

static void top_row(FILE *f, const struct tally *t, uint32_t id)
{
	const struct spn_account *a = spn_model_account(t->m, id);
	fprintf(f, "<tr><td class=\"n\" data-count=\"account\">%u</td><td><a href=\"#f%u\">",
	        (unsigned)t->n[id], (unsigned)t->first[id]);
	account_name(f, a);
	fputs("</a></td>", f);
	account_cells(f, a);
}

/* ids: room for na account ids. */
static void top_table(FILE *f, struct tally *t, uint32_t *ids, size_t na)
{
	size_t k = 0;
	for (uint32_t id = 0; id < na; id++)
		if (t->n[id])
			ids[k++] = id;
	qsort_r(ids, k, sizeof(*ids), by_count, t);
	fputs("<h3>Accounts with the most findings</h3>\n", f);
	if (k == 0) {
		fputs("<p>No finding names an account.</p>\n", f);
		return;
	}
	fputs("<table id=\"top-accounts\">\n<thead><tr><th class=\"n\">findings</th>"
	      "<th>account</th><th>kind</th><th>domain</th><th>DN</th></tr></thead>\n<tbody>\n", f);
	for (size_t i = 0; i < k && i < TOP_ACCOUNTS; i++)
		top_row(f, t, ids[i]);
	fputs("</tbody>\n</table>\n", f);
	if (k > TOP_ACCOUNTS)
		fprintf(f, "<p>%zu more accounts have findings.</p>\n", k - TOP_ACCOUNTS);
}

static enum spn_rc top_accounts(FILE *f, const struct spn_model *m, const struct spn_findings *fs)
{
	size_t na = spn_model_naccounts(m);
	struct tally t = {m, calloc(na + 1, sizeof(uint32_t)), calloc(na + 1, sizeof(uint32_t))};
	uint32_t *ids = calloc(na + 1, sizeof(uint32_t));
	if (t.n && t.first)
		tally_findings(&t, fs);
	enum spn_rc rc = t.n && t.first && ids ? SPN_OK : SPN_NOMEM;
	if (rc == SPN_OK)
		top_table(f, &t, ids, na);
	free(t.n);
	free(t.first);
	free(ids);
	return rc;
}

static enum spn_rc overview(FILE *f, const struct spn_model *m, const struct spn_findings *fs,
                            const struct html_counts *c)
{
	fputs("<header>\n<h1>SPN findings</h1>\n", f);
	sources(f, m);
	fputs("</header>\n<main>\n<section id=\"overview\">\n<h2>Overview</h2>\n", f);
	status(f, m);
	fputs("<div class=\"overview\">\n", f);
	severity_table(f, c);
	check_table(f, c);
	fputs("</div>\n", f);
	enum spn_rc rc = top_accounts(f, m, fs);
	fputs("</section>\n", f);
	return rc;
}

/* ---- The filter ---- */

static void filters(FILE *f, const struct html_counts *c)
{
	fputs("<form id=\"filters\" aria-label=\"Show findings by severity and check\">\n"
	      "<fieldset><legend>Severity</legend>\n", f);
	for (int s = SPN_SEV_ERROR; s >= SPN_SEV_INFO; s--)
		fprintf(f, "<label><input type=\"checkbox\" id=\"fs-%s\" name=\"severity\" value=\"%s\" "
		        "checked> %s (%zu)</label>\n", sev_names[s], sev_names[s], sev_plural[s],
		        c->sev[s]);
	fputs("</fieldset>\n<fieldset><legend>Check</legend>\n", f);
	for (size_t i = 0; i < c->nchecks; i++) {
		const char *code = spn_check_at(i)->code;
		const size_t *n = c->by_check[i];
		if (n[0] + n[1] + n[2] == 0 || !plain_code(code))
			continue;
		fprintf(f, "<label><input type=\"checkbox\" id=\"fc-%s\" name=\"check\" value=\"%s\" "
		        "checked> %s (%zu)</label>\n", code, code, code, n[0] + n[1] + n[2]);
	}
	fputs("</fieldset>\n<p><input type=\"reset\" value=\"Show all\"> "
	      "<span id=\"shown\" aria-live=\"polite\"></span></p>\n</form>\n", f);
}

/* ---- The findings ---- */

/* When the holders' spellings differ: each one's own, in a column of its own. */
static void stored(FILE *f, const struct spn_model *m, const struct spn_finding *fn, size_t j)
{
	fputs("<td class=\"stored\">", f);
	if (fn->values[j] != SPN_NONE) {
		fputs("<code>", f);
		html_text(f, spn_model_value(m, fn->values[j])->str);
		fputs("</code>", f);
	}
	fputs("</td>", f);
}

/* Under account j's row: its provenance (dcs_report.c), when the model has it. */
static void provenance(FILE *f, const struct spn_model *m, const struct spn_finding *fn, size_t j,
                       int columns)
{
	char line[600];
	if (!report_provenance(m, fn->accounts[j], line, sizeof(line)))
		return;
	fprintf(f, "<tr class=\"provenance\"><td></td><td colspan=\"%d\" class=\"note\">",
	        columns - 1);
	html_text(f, line);
	fputs("</td></tr>\n", f);
}

static void holders(FILE *f, const struct spn_model *m, const struct spn_finding *fn)
{
	if (fn->naccounts == 0)
		return;
	bool differ = report_spellings_differ(m, fn);
	fprintf(f, "<h5>Holders</h5>\n<table class=\"holders\">\n<thead><tr><th>account</th>%s"
	        "<th>kind</th><th>domain</th><th>DN</th></tr></thead>\n<tbody>\n",
	        differ ? "<th>stores</th>" : "");
	for (size_t j = 0; j < fn->naccounts; j++) {
		const struct spn_account *a = spn_model_account(m, fn->accounts[j]);
		fputs("<tr><td>", f);
		account_name(f, a);
		fputs("</td>", f);
		if (differ)
			stored(f, m, fn, j);
		account_cells(f, a);
		provenance(f, m, fn, j, differ ? 5 : 4);
	}
	fputs("</tbody>\n</table>\n", f);
}

static void finding_head(FILE *f, const struct spn_model *m, const struct spn_finding *fn)
{
	fputs("<h4>", f);
	if (fn->spn) {
		fputs("<code class=\"spn\">", f);
		html_text(f, fn->spn);
		fputs("</code>", f);
	} else if (fn->naccounts) {
		const struct spn_account *a = spn_model_account(m, fn->accounts[0]);
		html_text(f, a->sam ? a->sam : a->dn);
	} else {
		html_text(f, fn->code);
	}
	fprintf(f, " <span class=\"badge %s\">%s</span></h4>\n", sev_names[fn->severity],
	        sev_names[fn->severity]);
}

static enum spn_rc finding(FILE *f, const struct spn_model *m, const struct spn_finding *fn,
                           size_t i, const char *source)
{
	fprintf(f, "<article class=\"finding\" id=\"f%zu\" data-severity=\"%s\" data-check=\"", i + 1,
	        sev_names[fn->severity]);
	html_attr(f, fn->code);
	fputs("\">\n", f);
	finding_head(f, m, fn);
	holders(f, m, fn);
	if (fn->message && *fn->message) {
		fputs("<h5>What breaks</h5>\n<p class=\"message\">", f);
		html_text(f, fn->message);
		fputs("</p>\n", f);
	}
	if (fn->fix && *fn->fix) {
		fputs("<h5>Fix</h5>\n<p class=\"fix\">", f);
		html_text(f, fn->fix);
		fputs("</p>\n", f);
	}
	enum spn_rc rc = html_fix(f, m, fn, source);
	char id[SPN_FINDING_ID_LEN + 1];
	if (spn_finding_id(m, fn, id))  /* the stable id an accept file names */
		fprintf(f, "<p class=\"id\">Id: <code>%s</code></p>\n", id);
	fputs("</article>\n", f);
	return rc;
}

static void group_head(FILE *f, const struct spn_finding *fn, size_t n)
{
	const struct spn_check *c = spn_check_find(fn->code);
	const char *sev = sev_names[fn->severity];
	fputs("<section class=\"group\" data-severity=\"", f);
	fprintf(f, "%s\" data-check=\"", sev);
	html_attr(f, fn->code);
	fputs("\">\n<h3><code>", f);
	html_text(f, fn->code);
	fprintf(f, "</code> (%zu)", n);
	if (c && c->title) {
		fputs(": ", f);
		html_text(f, c->title);
	}
	fputs("</h3>\n", f);
}

/* One severity's findings from i on, grouped by check (accepted ones left
 * out); returns where its run ends. */
static size_t severity_block(FILE *f, const struct spn_model *m, const struct spn_findings *fs,
                             size_t i, const char *source, enum spn_rc *rc)
{
	size_t end, nsev = report_run_length(fs, i, false, &end);
	if (nsev == 0)
		return end;
	const char *sev = sev_names[fs->v[i].severity];
	fprintf(f, "<section class=\"sev\" id=\"s-%s\" data-severity=\"%s\">\n"
	        "<h2>%s (%zu)</h2>\n", sev, sev, sev_plural[fs->v[i].severity], nsev);
	while (i < end && *rc == SPN_OK) {
		size_t cend, ncode = report_run_length(fs, i, true, &cend);
		if (ncode)
			group_head(f, &fs->v[i], ncode);
		for (; i < cend && *rc == SPN_OK; i++) {
			report_prefetch(m, fs, i);
			if (!fs->v[i].accepted)
				*rc = finding(f, m, &fs->v[i], i, source);
		}
		if (ncode)
			fputs("</section>\n", f);
	}
	fputs("</section>\n", f);
	return end;
}

static enum spn_rc findings(FILE *f, const struct spn_model *m, const struct spn_findings *fs,
                            const struct html_counts *c)
{
	const char *source = spn_model_nsources(m) ? spn_model_source(m, 0)->name : NULL;
	enum spn_rc rc = SPN_OK;
	if (c->total == 0)
		fputs("<h2>Findings</h2>\n<p class=\"clean\">No findings.</p>\n", f);
	for (size_t i = 0; i < fs->n && rc == SPN_OK;)
		i = severity_block(f, m, fs, i, source, &rc);
	return rc;
}

/* The accepted findings (--accept), one row each, as the text report
 * lists them: not counted, not filtered. */
static void accepted(FILE *f, const struct spn_model *m, const struct spn_findings *fs,
                     const struct html_counts *c)
{
	if (!c->accepted)
		return;
	fprintf(f, "<section id=\"accepted\">\n<h2>Accepted (%zu)</h2>\n<p class=\"note\">"
	        "Accepted with <code>--accept</code>: left out of the counts above and of the "
	        "exit status.</p>\n<table id=\"accepted-findings\">\n<thead><tr><th>check</th>"
	        "<th>SPN or account</th><th>severity</th><th>id</th></tr></thead>\n<tbody>\n",
	        c->accepted);
	for (size_t i = 0; i < fs->n; i++) {
		const struct spn_finding *fn = &fs->v[i];
		char id[SPN_FINDING_ID_LEN + 1];
		if (!fn->accepted)
			continue;
		fputs("<tr class=\"accepted\" data-check=\"", f);
		html_attr(f, fn->code);
		fputs("\"><td><code>", f);
		html_text(f, fn->code);
		fputs("</code></td><td>", f);
		if (fn->spn) {
			fputs("<code class=\"spn\">", f);
			html_text(f, fn->spn);
			fputs("</code>", f);
		} else if (fn->naccounts) {
			fputs("<span class=\"dn\">", f);
			html_text(f, spn_model_account(m, fn->accounts[0])->dn);
			fputs("</span>", f);
		}
		fprintf(f, "</td><td><span class=\"badge %s\">%s</span></td><td>",
		        sev_names[fn->severity], sev_names[fn->severity]);
		if (spn_finding_id(m, fn, id))
			fprintf(f, "<code>%s</code>", id);
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

enum spn_rc spn_report_findings_html(FILE *out, const struct spn_model *m,
                                     const struct spn_findings *fs)
{
	struct html_counts c;
	if (count(&c, fs) != SPN_OK)
		return SPN_NOMEM;
	head(out, &c);
	enum spn_rc rc = overview(out, m, fs, &c);
	if (rc == SPN_OK && c.total)
		filters(out, &c);
	if (rc == SPN_OK)
		rc = findings(out, m, fs, &c);
	if (rc == SPN_OK)
		accepted(out, m, fs, &c);
	fprintf(out, "</main>\n<script>%s</script>\n</body>\n</html>\n", script);
	free(c.by_check);
	return rc == SPN_OK ? report_status(out) : rc;
}
