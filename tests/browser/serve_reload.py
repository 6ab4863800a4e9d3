#!/usr/bin/env python3
"""Checks `rolebook serve` in headless Chromium: the open page follows the files.

    serve_reload.py URL POSITIONS_DIR [--chromium PATH]

URL is the preview's address, POSITIONS_DIR the folder it serves (a copy of
tests/fixtures/build/zh: this script edits it). With the page open, and without navigating:
  * a saved edit of cs-manager.toml shows in the handbook frame;
  * a defect saved in cs-supervisor.toml (an unknown superior) shows in the findings panel,
    and its link brings the frame to the form row it is about;
  * nothing is logged as an error (a Content-Security-Policy violation would be), no exception.
The page only changes if its reload script works: the script is what is tested.

Drives Chromium over --remote-debugging-pipe with the Browser of check_handbook.py. Exit code 0
when every check passes, 1 with the failures listed, 2 when Chromium could not be driven.
"""

import os
import pathlib
import shutil
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from check_handbook import Browser, console_failures  # noqa: E402

WAIT = 20.0


def evaluate(browser, expression):
    reply = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
    if "exceptionDetails" in reply:
        raise RuntimeError(f"{expression}: {reply['exceptionDetails'].get('text')}")
    return reply.get("result", {}).get("value")


def wait_until(browser, expression, what):
    """Polls `expression` in the open page until it is true; False after WAIT seconds."""
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        if evaluate(browser, expression):
            return True
        browser.drain(0.1)
    print(f"FAIL the open page never showed {what}", file=sys.stderr)
    return False


def save(path, text):
    """Saves the way editors do: a temporary file renamed over the old one."""
    tmp = path.with_name(path.name + ".tmp~")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise RuntimeError(f"{old!r} not in {path}")
    save(path, text.replace(old, new))


FRAME_TEXT = "(document.getElementById('rb-book').contentDocument?.body?.innerText || '')"
PANEL_TEXT = "(document.getElementById('rb-status')?.innerText || '')"


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    url, folder = argv[1], pathlib.Path(argv[2])
    chromium = argv[argv.index("--chromium") + 1] if "--chromium" in argv else None
    chromium = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found (apt-get install -y chromium)", file=sys.stderr)
        return 2
    ok = True
    with tempfile.TemporaryDirectory(prefix="rolebook-chromium-") as profile:
        browser = Browser(chromium, profile)
        try:
            browser.attach(("Page", "Runtime", "Log"))
            browser.send("Page.navigate", {"url": url})
            browser.wait_for("Page.loadEventFired")
            ok &= wait_until(browser, f"{FRAME_TEXT}.includes('客户关系维护')", "the handbook")
            # A mark on this page: it must still be there at the end (the page was not left).
            evaluate(browser, "window.rbOpened = 'yes'")

            edit(folder / "cs-manager.toml", "客户关系维护", "客户关系BROWSER维护")
            ok &= wait_until(browser, f"{FRAME_TEXT}.includes('客户关系BROWSER维护')", "the edit")

            edit(folder / "cs-supervisor.toml", 'reports_to = "cs-manager"', 'reports_to = "cs-manger"')
            ok &= wait_until(browser, f"{PANEL_TEXT}.includes('unknown-superior')", "the finding")
            href = evaluate(
                browser,
                "(() => { const li = [...document.querySelectorAll('#rb-status li')]"
                ".find(l => l.innerText.includes('unknown-superior'));"
                " const a = li && li.querySelector('a'); if (!a) return null; a.click();"
                " return a.getAttribute('href'); })()",
            )
            if href != "handbook.html#p-cs-supervisor--reports_to":
                print(f"FAIL the finding links to {href!r}", file=sys.stderr)
                ok = False
            ok &= wait_until(
                browser,
                "document.getElementById('rb-book').contentWindow.location.hash"
                " === '#p-cs-supervisor--reports_to'"
                " && !!document.getElementById('rb-book').contentDocument"
                ".getElementById('p-cs-supervisor--reports_to')",
                "the row of the finding in the frame",
            )
            if evaluate(browser, "window.rbOpened") != "yes":
                print("FAIL the page was navigated away or reloaded whole", file=sys.stderr)
                ok = False
            browser.drain(0.5)
        except Exception as e:  # noqa: BLE001 - any failure to drive Chromium is reported
            browser.close()
            stderr = browser.proc.stderr.read()[-2000:] if browser.proc.stderr else b""
            print(f"could not drive chromium: {e}\n{stderr.decode(errors='replace')}", file=sys.stderr)
            return 2
        events = browser.events
        browser.close()

    for failure in console_failures(events):
        print(f"FAIL {failure}", file=sys.stderr)
        ok = False
    if ok:
        print("ok: the open page followed the edit and showed the finding, linked to its row")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
