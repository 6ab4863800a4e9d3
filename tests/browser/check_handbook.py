#!/usr/bin/env python3
"""Opens a rolebook handbook in headless Chromium and checks it as a reader's browser sees it.

    check_handbook.py HANDBOOK.html SHOTS_DIR [--chromium PATH] [--contents]

(--contents: the page is the split index, which has no form.)

Checks, at A4 width (794 CSS px on screen; 180 mm of printable width in print media):
  * nothing overflows the page horizontally;
  * the page makes no network request (nothing but the file itself is loaded);
  * nothing is logged to the console as an error, and no exception is thrown;
and saves screenshots (cover, first form, chart) and the A4 PDF print in SHOTS_DIR.

Talks to Chromium over --remote-debugging-pipe (Chrome DevTools Protocol on fds 3 and 4), so it
needs nothing but Python's standard library and Debian's `chromium`. Exit code 0 when every
check passes, 1 with the failures listed otherwise, 2 when Chromium could not be driven.
"""

import base64
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

A4_WIDTH_PX = 794  # 210 mm at 96 CSS px per inch
A4_HEIGHT_PX = 1123
PRINT_WIDTH_PX = 680  # 210 mm minus the 15 mm page margins of style.css
TIMEOUT = 60.0


class Browser:
    def __init__(self, chromium, profile):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def fds():
            # Chromium reads commands from fd 3 and writes replies to fd 4. Move both ends out
            # of the way first, in case the pipes themselves were given fds 3 and 4.
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        args = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            f"--window-size={A4_WIDTH_PX},{A4_HEIGHT_PX}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            preexec_fn=fds,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=True):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method):
        deadline = time.monotonic() + TIMEOUT
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                del self.events[i]
                return e
        while True:
            e = self._read_message(deadline)
            if e.get("method") == method:
                return e
            self.events.append(e)

    def drain(self, seconds):
        """Collects the events that arrive in the next `seconds`."""
        import select

        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                return
            self._buf += os.read(self._from_child, 1 << 20)
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                self.events.append(json.loads(raw))

    def attach(self, domains):
        """Attaches to the first page and enables the DevTools `domains` on it."""
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send(
            "Target.attachToTarget",
            {"targetId": page["targetId"], "flatten": True},
            session=False,
        )["sessionId"]
        for domain in domains:
            self.send(f"{domain}.enable")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def console_failures(events):
    """What the page logged as an error, and the exceptions it threw."""
    failures = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            failures.append(f"console error: {text}")
        elif method == "Runtime.exceptionThrown":
            failures.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            failures.append(f"console error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
    return failures


MEASURE = """
(() => {
  const doc = document.documentElement;
  const limit = doc.clientWidth + 0.5;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > limit) {
      wide.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
        ? '.' + String(el.className).split(' ').join('.') : '') + ' right=' + Math.round(r.right));
      if (wide.length >= 8) break;
    }
  }
  return JSON.stringify({
    scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide,
    forms: document.querySelectorAll('article.position').length,
  });
})()
"""


def rect_of(browser, selector):
    expr = (
        "(() => { const e = document.querySelector(%s); if (!e) return null;"
        " const r = e.getBoundingClientRect();"
        " return JSON.stringify({x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}); })()"
        % json.dumps(selector)
    )
    value = browser.send("Runtime.evaluate", {"expression": expr, "returnByValue": True})
    raw = value.get("result", {}).get("value")
    return json.loads(raw) if raw else None


def screenshot(browser, path, clip=None):
    params = {"format": "png", "captureBeyondViewport": True}
    if clip:
        params["clip"] = {**clip, "scale": 1}
    data = browser.send("Page.captureScreenshot", params)["data"]
    path.write_bytes(base64.b64decode(data))
    return path


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    handbook = pathlib.Path(argv[1]).resolve()
    shots = pathlib.Path(argv[2]).resolve()
    chromium = argv[argv.index("--chromium") + 1] if "--chromium" in argv else None
    chromium = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found (apt-get install -y chromium)", file=sys.stderr)
        return 2
    shots.mkdir(parents=True, exist_ok=True)
    url = handbook.as_uri()
    failures = []

    with tempfile.TemporaryDirectory(prefix="rolebook-chromium-") as profile:
        browser = Browser(chromium, profile)
        try:
            browser.attach(("Page", "Network", "Runtime", "Log"))
            browser.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": A4_WIDTH_PX, "height": A4_HEIGHT_PX, "deviceScaleFactor": 1, "mobile": False},
            )
            browser.send("Page.navigate", {"url": url})
            browser.wait_for("Page.loadEventFired")
            browser.drain(1.0)

            # Screen at A4 width.
            screen = json.loads(
                browser.send("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True})[
                    "result"
                ]["value"]
            )
            if screen["scrollWidth"] > screen["clientWidth"] or screen["wide"]:
                failures.append(f"horizontal overflow on screen at {A4_WIDTH_PX}px: {screen}")
            if screen["forms"] == 0 and "--contents" not in argv:
                failures.append("no position form in the page")
            page_clip = {"x": 0, "y": 0, "width": A4_WIDTH_PX, "height": A4_HEIGHT_PX}
            saved = [screenshot(browser, shots / "cover-a4.png", page_clip)]
            for name, selector in (("form", "article.position"), ("chart", "#chart")):
                r = rect_of(browser, selector)
                if r:
                    clip = {"x": 0, "y": r["y"] - 20, "width": A4_WIDTH_PX, "height": min(r["h"] + 40, 2400)}
                    saved.append(screenshot(browser, shots / f"{name}-a4.png", clip))

            # Print media at the printable width of A4.
            browser.send("Emulation.setEmulatedMedia", {"media": "print"})
            browser.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": PRINT_WIDTH_PX, "height": A4_HEIGHT_PX, "deviceScaleFactor": 1, "mobile": False},
            )
            browser.drain(0.3)
            printed = json.loads(
                browser.send("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True})[
                    "result"
                ]["value"]
            )
            if printed["scrollWidth"] > printed["clientWidth"] or printed["wide"]:
                failures.append(f"horizontal overflow in print at {PRINT_WIDTH_PX}px: {printed}")
            browser.send("Emulation.setEmulatedMedia", {"media": ""})
            pdf = browser.send(
                "Page.printToPDF",
                {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True},
            )["data"]
            (shots / "handbook-a4.pdf").write_bytes(base64.b64decode(pdf))
            saved.append(shots / "handbook-a4.pdf")
            browser.drain(0.5)
        except Exception as e:  # noqa: BLE001 - any failure to drive Chromium is reported
            stderr = b""
            browser.close()
            if browser.proc.stderr:
                stderr = browser.proc.stderr.read()[-2000:]
            print(f"could not drive chromium: {e}\n{stderr.decode(errors='replace')}", file=sys.stderr)
            return 2
        events = browser.events
        browser.close()

    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Network.requestWillBeSent":
            req = params.get("request", {}).get("url", "")
            if req != url:
                failures.append(f"network request: {req}")
    failures.extend(console_failures(events))

    for path in saved:
        print(f"saved {path}")
    if failures:
        for f in failures:
            print(f"FAIL {f}", file=sys.stderr)
        return 1
    print(f"ok: {screen['forms']} forms, no overflow at A4 width, no network request, no console error")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
