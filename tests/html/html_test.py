#!/usr/bin/env python3
"""html_test.py - one test of the suite 'html': `spnctl audit -o html` in a
real headless Chromium (Debian's chromium), driven over the DevTools
protocol (cdp.py).

usage: html_test.py --spnctl PATH --out DIR [--now DAY] [--spngen PATH
                    --gen "ARGS"] [--hostile FILE] [--accept FILE] [-f FILE ...]

Audits the files (and, with --spngen, a directory spngen generates with
ARGS, read first) as JSON and as HTML, keeps the page in DIR and opens it.
Fails unless
  - the page loads from the file alone: no request leaves it, no CSP report,
    no script error, and the page's own script ran (its hash is the one the
    CSP names);
  - the counts shown (data-count: total, per severity, per check; the
    accounts with the most findings) and the findings on the page equal
    the JSON report's, and "complete" agrees;
  - the filter works: a real click on a severity box hides exactly those
    findings and says how many are shown and puts the choice in the
    address; "Show all" brings them back; an address #check=CODE (and
    #severity=...&check=...) opens with only those; with JavaScript off the
    page shows every finding and the boxes still filter (CSS :has());
  - printed (print media), the filter is gone and code wraps; a PDF is
    written;
  - with --accept: the accepted findings are counted nowhere (title,
    counts, top list, filter, the findings shown) and listed apart, one
    row each, as many as JSON marks "accepted";
  - with --hostile: every planted value of FILE (a DN, sAMAccountName or
    SPN holding markup) is on the page as text, nothing planted ran
    (window.__spnctl_pwned) - also with the page's CSP taken out, so the
    escaping alone is tested -, the page has its one script and one style
    and no element or on* attribute from the directory.
Artefacts in DIR: report.html, report.json, screenshot.png (the overview),
filtered.png, report.pdf. Exit 77 (skip) when no Chromium is installed.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SEVERITIES = ["error", "warning", "info"]
problems = []


def check(ok, what):
    if not ok:
        problems.append(what)
    return ok


def audit(spnctl, files, now, fmt, accept=None):
    cmd = [spnctl, "audit"]
    for f in files:
        cmd += ["-f", f]
    if accept:
        cmd += ["--accept", accept]
    cmd += ["--now", now, "-o", fmt]
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode not in (0, 1, 2) or not r.stdout:
        sys.exit(f"FAIL: {' '.join(cmd)}: exit {r.returncode}: {r.stderr.decode()[:500]}")
    return r.returncode, r.stdout


def generate(spngen, args, out):
    path = os.path.join(out, "generated.ldif")
    man = os.path.join(out, "generated.json")
    r = subprocess.run([spngen, *args.split(), "-o", path, "--manifest", man],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"FAIL: spngen {args}: {r.stderr.strip()}")
    with open(man, encoding="utf-8") as f:
        m = json.load(f)
    return m["files"], m["now"]


def planted(path):
    """Values of the hostile file that hold markup (plain, not base64)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(dn|sAMAccountName|servicePrincipalName): (.*)$", line.rstrip("\n"))
            if m and re.search(r"[<>\"']", m.group(2)):
                out.append(m.group(2))
    return sorted(set(out))


# ---- what the JSON says ----

def expected(doc):
    fs = doc["findings"]
    exp = {"total": len(fs)}
    for s in SEVERITIES:
        exp[f"severity:{s}"] = sum(1 for f in fs if f["severity"] == s)
    for code, n in Counter(f["code"] for f in fs).items():
        exp[f"check:{code}"] = n
    return exp


def account_counts(doc):
    """Findings per account DN, each account once per finding."""
    c = Counter()
    for f in doc["findings"]:
        for dn in {a["dn"] for a in f["accounts"]}:
            c[dn] += 1
    return c


# ---- what the page shows ----

VISIBLE = """[...document.querySelectorAll('article.finding')]
  .filter(e => e.checkVisibility()).map(e => [e.dataset.severity, e.dataset.check])"""


def counts_shown(page):
    return page.eval("""(() => {
      const c = {};
      document.querySelectorAll('[data-count]').forEach(e => {
        if (e.dataset.count !== 'account') c[e.dataset.count] = Number(e.textContent);
      });
      return c;
    })()""")


def top_shown(page):
    return page.eval("""[...document.querySelectorAll('#top-accounts tbody tr')]
      .map(r => [Number(r.cells[0].textContent), r.cells[4].textContent])""")


def reload(page, url):
    page.navigate("about:blank")
    page.navigate(url)


def shown_text(page):
    return page.eval("document.getElementById('shown') ? "
                     "document.getElementById('shown').textContent : null")


# ---- the checks ----

def check_load(page, html, out):
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    if check(script, "the page has no script"):
        digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
        check(f"'sha256-{digest}'" in html,
              f"the CSP does not name the script's hash sha256-{digest} "
              "(update HTML_SCRIPT_SHA256 in lib/report/html_report.c)")
    for ev in page.events:
        m, p = ev["method"], ev.get("params", {})
        if m == "Network.requestWillBeSent":
            url = p["request"]["url"]
            check(url.startswith(("file:", "data:", "about:")), f"the page asked for {url}")
        elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            problems.append(f"browser log: {p['entry']['text']}")
        elif m == "Runtime.exceptionThrown":
            problems.append(f"script error: {p['exceptionDetails'].get('text')}")
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning"):
            problems.append(f"console {p['type']}: {p.get('args')}")


def check_counts(page, doc):
    want = expected(doc)
    got = counts_shown(page)
    got.pop("accepted", None)  # check_accepted's
    check(got == want, f"counts shown {got} != the JSON report's {want}")
    cards = page.eval("document.querySelectorAll('article.finding').length")
    check(cards == len(doc["findings"]), f"{cards} findings on the page, JSON has "
          f"{len(doc['findings'])}")
    order = page.eval("""[...document.querySelectorAll('article.finding')]
      .map(e => [e.dataset.severity, e.dataset.check])""")
    check(order == [[f["severity"], f["code"]] for f in doc["findings"]],
          "the findings on the page are not the JSON's, in its order")
    complete = page.eval("document.querySelector('[data-complete]').dataset.complete")
    check(complete == ("true" if doc["complete"] else "false"),
          f"the page says complete={complete}, JSON {doc['complete']}")
    per = account_counts(doc)
    top = top_shown(page)
    check(len(top) == min(10, len(per)), f"{len(top)} accounts in the top list, "
          f"{len(per)} have findings")
    for n, dn in top:
        check(per.get(dn) == n, f"top list: {dn} has {n} findings on the page, {per.get(dn)} in JSON")
    check([n for n, _ in top] == sorted(per.values(), reverse=True)[:len(top)],
          f"the top list {[n for n, _ in top]} is not the accounts with the most findings")
    total = len(doc["findings"])
    check(shown_text(page) == f"All {total} findings shown.",
          f"the page's script did not run or counts wrong: {shown_text(page)!r}")
    check(len(page.eval(VISIBLE)) == total, "not every finding is visible at first")


def check_filter(page, doc, url, out):
    fs = doc["findings"]
    total = len(fs)
    sev = next((s for s in SEVERITIES if 0 < sum(f["severity"] == s for f in fs) < total),
               None)
    if sev:
        page.click(f"#fs-{sev}")
        vis = page.eval(VISIBLE)
        want = total - sum(f["severity"] == sev for f in fs)
        check(len(vis) == want and all(v[0] != sev for v in vis),
              f"after unticking {sev}: {len(vis)} visible, expected {want} without {sev}")
        check(shown_text(page) == f"{want} of {total} findings shown.",
              f"after unticking {sev} the page says {shown_text(page)!r}")
        rest = ",".join(s for s in SEVERITIES if s != sev)
        check(page.eval("location.hash") == f"#severity={rest}",
              f"the address keeps {page.eval('location.hash')!r}, not #severity={rest}")
        with open(os.path.join(out, "filtered.png"), "wb") as f:
            f.write(page.screenshot())
        page.click("#filters input[type=reset]")
        page.eval("new Promise(r => setTimeout(r, 50))")
        check(len(page.eval(VISIBLE)) == total, "'Show all' did not show every finding again")
        check(page.eval("location.hash") == "", "'Show all' left a filter in the address")
        want = sum(f["severity"] == sev for f in fs)
        reload(page, f"{url}#severity={sev}")
        vis = page.eval(VISIBLE)
        check(len(vis) == want and all(v[0] == sev for v in vis),
              f"#severity={sev}: {len(vis)} visible, expected its {want}")
    codes = Counter(f["code"] for f in fs)
    for code, n in codes.most_common(2):
        reload(page, f"{url}#check={code}")
        vis = page.eval(VISIBLE)
        check(len(vis) == n and all(v[1] == code for v in vis),
              f"#check={code}: {len(vis)} visible, expected its {n}")
        boxes = page.eval("[...document.querySelectorAll('input[name=check]:checked')]"
                          ".map(b => b.value)")
        check(boxes == [code], f"#check={code} ticks {boxes}")
        s = next(f["severity"] for f in fs if f["code"] == code)
        want = sum(f["code"] == code and f["severity"] == s for f in fs)
        reload(page, f"{url}#severity={s}&check={code}")
        vis = page.eval(VISIBLE)
        check(len(vis) == want and all(v == [s, code] for v in vis),
              f"#severity={s}&check={code}: {len(vis)} visible, expected {want}")


def check_without_js(page, doc, url):
    fs = doc["findings"]
    page.call("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        reload(page, url)
        check(len(page.eval(VISIBLE)) == len(fs), "without JavaScript not every finding shows")
        check(shown_text(page) == "", "the script ran although JavaScript is off")
        sev = next((s for s in SEVERITIES if sum(f["severity"] == s for f in fs)), None)
        if sev:
            page.click(f"#fs-{sev}")
            vis = page.eval(VISIBLE)
            want = sum(f["severity"] != sev for f in fs)
            check(len(vis) == want, f"without JavaScript, unticking {sev} leaves {len(vis)} "
                  f"visible, expected {want} (CSS :has())")
    finally:
        page.call("Emulation.setScriptExecutionDisabled", {"value": False})


def check_accepted(page, accepted):
    """The accepted findings (JSON's "accepted": true) apart: one row each,
    counted in the title and the overview as accepted only."""
    rows = page.eval("""[...document.querySelectorAll('#accepted-findings tbody tr')]
      .map(r => r.dataset.check)""")
    check(rows == [f["code"] for f in accepted],
          f"accepted rows {rows}, JSON accepts {[f['code'] for f in accepted]}")
    title = page.eval("document.title")
    want = f"({len(accepted)} accepted)"
    check((want in title) == bool(accepted), f"the title {title!r} and {len(accepted)} accepted")
    check(counts_shown(page).get("accepted", 0) == len(accepted),
          f"the overview counts {counts_shown(page).get('accepted')} accepted, "
          f"JSON {len(accepted)}")


def check_print(page, url, out):
    reload(page, url)
    page.call("Emulation.setEmulatedMedia", {"media": "print"})
    check(page.eval("getComputedStyle(document.getElementById('filters') || "
                    "document.body).display") in ("none", "block"), "no computed style")
    if page.eval("!!document.getElementById('filters')"):
        check(page.eval("getComputedStyle(document.getElementById('filters')).display") == "none",
              "printed, the filter still shows")
    if page.eval("!!document.querySelector('pre')"):
        check(page.eval("getComputedStyle(document.querySelector('pre')).whiteSpace") ==
              "pre-wrap", "printed, code blocks do not wrap")
    page.call("Emulation.setEmulatedMedia", {"media": ""})
    pdf = page.pdf()
    check(pdf.startswith(b"%PDF") and len(pdf) > 2000, "printing to PDF gave no PDF")
    with open(os.path.join(out, "report.pdf"), "wb") as f:
        f.write(pdf)


def check_hostile(page, values):
    check(page.eval("typeof window.__spnctl_pwned") == "undefined",
          f"a planted script ran: window.__spnctl_pwned = {page.eval('window.__spnctl_pwned')}")
    text = page.eval("document.body.textContent")
    for v in values:
        check(v in text, f"the planted value {v!r} is not on the page as text")
    check(page.eval("document.scripts.length") == 1, "the page has more than its one script")
    check(page.eval("document.querySelectorAll('style').length") == 1,
          "the page has more than its one style")
    tags = page.eval("[...document.querySelectorAll('img,svg,iframe,object,embed,link,base,"
                     "meta[http-equiv=refresh]')].map(e => e.outerHTML)")
    check(not tags, f"elements from the directory: {tags}")
    on = page.eval("""[...document.querySelectorAll('*')].flatMap(e =>
      [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))""")
    check(not on, f"event handler attributes: {on}")


def check_without_csp(page, html, out):
    """The page with its CSP taken out: escaping alone must keep every
    planted value from running (the CSP is a second wall, not the first)."""
    bare = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", html, count=1)
    check(bare != html, "the page has no CSP to take out")
    path = os.path.join(out, "report-without-csp.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(bare)
    reload(page, "file://" + path)
    check(page.eval("typeof window.__spnctl_pwned") == "undefined",
          f"without the CSP a planted script ran: window.__spnctl_pwned = "
          f"{page.eval('window.__spnctl_pwned')}")
    check(page.eval("document.scripts.length") == 1, "without the CSP: more than one script")
    check((shown_text(page) or "").startswith("All "), "without the CSP the page's script did not run")


def png_size(data):
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    return struct.unpack(">II", data[16:24])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spnctl", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--now", default="2026-11-01")
    ap.add_argument("--spngen")
    ap.add_argument("--gen", default="")
    ap.add_argument("--hostile")
    ap.add_argument("--accept")
    ap.add_argument("-f", dest="files", action="append", default=[])
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    out = os.path.abspath(args.out)
    files, now = list(args.files), args.now
    if args.spngen:
        gen_files, now = generate(args.spngen, args.gen, out)
        files = gen_files + files
    if args.hostile:
        files.append(args.hostile)
    rc_json, js = audit(args.spnctl, files, now, "json", args.accept)
    rc_html, html = audit(args.spnctl, files, now, "html", args.accept)
    check(rc_json == rc_html, f"exit status {rc_html} with -o html, {rc_json} with -o json")
    doc = json.loads(js)
    # What the page counts and shows: the findings not accepted.
    accepted = [f for f in doc["findings"] if f.get("accepted")]
    doc["findings"] = [f for f in doc["findings"] if not f.get("accepted")]
    if args.accept:
        check(accepted, f"{args.accept} accepted nothing: the test tests nothing")
    page_path = os.path.join(out, "report.html")
    for name, data in (("report.json", js), ("report.html", html)):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    url = "file://" + page_path
    with open(os.path.join(out, "chromium.log"), "wb") as log:
        browser = cdp.Browser.start(log=log)
        if browser is None:
            print("SKIP: no Chromium (apt-get install chromium; or set SPNCTL_CHROMIUM)")
            return 77
        with browser:
            page = browser.page()
            page.navigate(url)
            shot = page.screenshot()
            with open(os.path.join(out, "screenshot.png"), "wb") as f:
                f.write(shot)
            check(png_size(shot) and png_size(shot)[0] == 1280, "the screenshot is no 1280 px PNG")
            check_counts(page, doc)
            check_accepted(page, accepted)
            if args.hostile:
                check_hostile(page, planted(args.hostile))
                check_without_csp(page, html.decode("utf-8"), out)
            check_filter(page, doc, url, out)
            check_without_js(page, doc, url)
            check_print(page, url, out)
            check_load(page, html.decode("utf-8"), out)
    for p in problems:
        print("FAIL: " + p)
    print(f"{'FAIL' if problems else 'ok'}: {len(doc['findings'])} findings from "
          f"{len(files)} file(s); page, screenshot and PDF in {out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
