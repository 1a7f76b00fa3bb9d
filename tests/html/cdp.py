"""cdp.py - a tiny Chrome DevTools Protocol client, standard library only,
for the html suite: it starts a real headless Chromium with
--remote-debugging-pipe (the protocol as NUL-terminated JSON on file
descriptors 3 and 4: no port to collide with a parallel test, no
WebSocket code) and talks to one page.

    with Browser.start() as b:      # None when no Chromium is installed
        page = b.page()
        page.navigate("file:///...")
        page.eval("document.title")
        page.click("#fs-error")     # a real mouse press and release
        png = page.screenshot()

Every event the browser sends is kept (page.events) so a test can look at
console messages, CSP reports and network requests afterwards.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

# The flags the machines here need (see the README of tests/html): no
# sandbox as root, no GPU, and nothing that phones home on a closed network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--remote-debugging-pipe"]


class CDPError(Exception):
    pass


def find_chromium():
    """The browser: $SPNCTL_CHROMIUM, else Debian's chromium, else others."""
    env = os.environ.get("SPNCTL_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self, proc, wfd, rfd, profile):
        self.proc, self.wfd, self.rfd, self.profile = proc, wfd, rfd, profile
        self.buf = b""
        self.next_id = 0
        self.events = []

    @classmethod
    def start(cls, width=1280, height=1600, log=None):
        exe = find_chromium()
        if not exe:
            return None
        profile = tempfile.mkdtemp(prefix="spnctl-chromium-")
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def fds():
            # Chromium reads commands on fd 3 and writes answers on fd 4.
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        proc = subprocess.Popen([exe, *FLAGS, f"--user-data-dir={profile}",
                                 f"--window-size={width},{height}", "about:blank"],
                                pass_fds=(3, 4), preexec_fn=fds, stdin=subprocess.DEVNULL,
                                stdout=log or subprocess.DEVNULL,
                                stderr=log or subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        return cls(proc, to_chrome_w, from_chrome_r, profile)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.send("Browser.close")
        except OSError:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.wfd, self.rfd):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    # ---- the wire ----

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self.wfd, data):]
        return self.next_id

    def _read(self, deadline):
        """One message, or None at the deadline."""
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.rfd], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.rfd, 1 << 16)
            if not chunk:
                raise CDPError("the browser closed the pipe (did it start?)")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        want = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read(deadline)
            if msg is None:
                raise CDPError(f"{method}: no answer in {timeout} s")
            if msg.get("id") == want:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, name, timeout=30, since=0):
        """The first event called name from index since on of self.events."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events[since:]:
                if ev["method"] == name:
                    return ev
            since = len(self.events)
            msg = self._read(deadline)
            if msg is None:
                raise CDPError(f"no {name} event in {timeout} s")
            if "method" in msg:
                self.events.append(msg)

    def page(self):
        targets = self.call("Target.getTargets")["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        if not pages:
            raise CDPError("the browser has no page")
        session = self.call("Target.attachToTarget",
                            {"targetId": pages[0]["targetId"], "flatten": True})["sessionId"]
        return Page(self, session)


class Page:
    def __init__(self, browser, session):
        self.b, self.s = browser, session
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    @property
    def events(self):
        return self.b.events

    def call(self, method, params=None, timeout=30):
        return self.b.call(method, params, self.s, timeout)

    def navigate(self, url, timeout=30):
        mark = len(self.b.events)
        r = self.call("Page.navigate", {"url": url})
        if r.get("errorText"):
            raise CDPError(f"navigate {url}: {r['errorText']}")
        self.b.wait_event("Page.loadEventFired", timeout, since=mark)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise CDPError(f"{expr[:80]}...: {r['exceptionDetails'].get('text')} "
                           f"{r['exceptionDetails'].get('exception', {}).get('description', '')}")
        return r["result"].get("value")

    def click(self, selector):
        """Press and release the left button over the element's middle, as a
        person would (scrolled into view first)."""
        box = self.eval(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return null;
            e.scrollIntoView({{block: "center"}});
            const r = e.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2];
        }})()""")
        if not box:
            raise CDPError(f"click: nothing matches {selector}")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1})

    def screenshot(self):
        return base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])

    def pdf(self):
        return base64.b64decode(self.call("Page.printToPDF", {"printBackground": False},
                                          timeout=120)["data"])
