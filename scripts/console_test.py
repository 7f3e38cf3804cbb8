"""The console page in a real browser: headless Debian chromium driven by selenium.

Starts the built daemon on a throwaway configuration and store, then logs in with a wrong admin
token (refused) and the right one, sends a message through the API whose text is markup, sees it
appear in the inbox view as text, opens its attempts, finds it in the message log, explains two
routes and logs out. Saves screenshots under .build/artifacts/. Any step that does not happen fails
the run; so does a missing chromium or chromium-driver (scripts/setup installs them).

Usage: .build-fuzz-venv/bin/python scripts/console_test.py [BINARY]   (scripts/test-console runs it)
BINARY is the daemon to start, by default the debug build; scripts/test gives it the production
build (scripts/build-release), so that the binary operators run serves the page and its files.
"""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".build/debug/switchboard"
ARTIFACTS = ROOT / ".build/artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
API_KEY = "console-api-key-0123456789"
ADMIN_TOKEN = "console-admin-token-0123456789"
# Markup in a message text: the page must show it as these characters, never run or render it.
HOSTILE_TEXT = 'Hi <img src=x onerror="window.__pwned=1"> <b>bold</b> & <script>window.__pwned=2</script>'
BRITISH = "+447700900123"
WAIT_SECONDS = 20

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAIL: {what}")


def fail(message):
    print(f"scripts/console_test.py: {message}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, path, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def start_daemon(work):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (work / "config.yaml").write_text(f"""
server:
  listen: 127.0.0.1:{port}
  api_keys: [{{ name: console, key: {API_KEY} }}]
admin:
  tokens: [{ADMIN_TOKEN}]
storage:
  sqlite: {work}/switchboard.sqlite
apps:
  demo:
    name: Demo
    message: "{{otp}} is your {{app}} code."
providers:
  default: {{ type: default }}
routes:
  - {{ name: uk, match: {{ countries: [GB] }}, sender: Demo, providers: [default] }}
  - {{ name: everyone, sender: "+14155550100", providers: [default] }}
""")
    log = open(work / "daemon.log", "w")
    daemon = subprocess.Popen(
        [str(BINARY), "serve", "--config", str(work / "config.yaml"), "--providers", str(ROOT / "providers")],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    for _ in range(300):
        if daemon.poll() is not None:
            fail("the daemon stopped:\n" + (work / "daemon.log").read_text())
        try:
            if request(base, "/healthz")[0] == 200:
                return daemon, base
        except OSError:
            pass
        time.sleep(0.1)
    daemon.terminate()
    fail("the daemon did not answer /healthz within 30 s:\n" + (work / "daemon.log").read_text())


def start_browser(profile):
    """Chromium with its profile in `profile`, inside the run's folder: left to itself it makes one
    in /tmp and leaves a folder there behind after every run."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900", "--disable-gpu",
                     f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def run(base, work):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import Select, WebDriverWait

    # The page's own headers, read without the browser.
    status, headers, page = request(base, "/console")
    headers = {key.lower(): value for key, value in headers.items()}
    check(status == 200 and headers.get("content-type", "").startswith("text/html"), "GET /console is an HTML page")
    policy = headers.get("content-security-policy", "")
    check("script-src 'self'" in policy and "unsafe-inline" not in policy, f"the CSP allows only the page's own script: {policy}")
    check("frame-ancestors 'none'" in policy and headers.get("x-frame-options") == "DENY", "nothing may frame the page")
    check(headers.get("x-content-type-options") == "nosniff", "answers are not sniffed")
    check(b"<script>" not in page and b"onclick" not in page, "the page has no inline script")

    browser = start_browser(work / "chromium")
    wait = WebDriverWait(browser, WAIT_SECONDS)
    try:
        browser.get(base + "/console")
        token = browser.find_element(By.ID, "token")

        token.send_keys("not-the-admin-token-0123")
        browser.find_element(By.ID, "login-button").click()
        error = wait.until(shown.visibility_of_element_located((By.ID, "login-error")))
        check(error.text.startswith("the admin token is not valid"), f"a wrong token is refused: {error.text!r}")
        check(not browser.find_element(By.ID, "app").is_displayed(), "a wrong token shows no data")
        check(browser.execute_script("return sessionStorage.length") == 0, "a wrong token is not kept")

        token.clear()
        token.send_keys(ADMIN_TOKEN)
        browser.find_element(By.ID, "login-button").click()
        wait.until(shown.visibility_of_element_located((By.ID, "view-inbox")))
        check(browser.execute_script("return sessionStorage.getItem('switchboard.adminToken')") == ADMIN_TOKEN, "the token is kept in sessionStorage")

        status, _, body = request(
            base, "/v1/messages", "POST", {"to": BRITISH, "app": "demo", "text": HOSTILE_TEXT}, {"Authorization": f"Bearer {API_KEY}"}
        )
        check(status == 201, f"the API sent the message: {status} {body[:200]!r}")
        message_id = json.loads(body)["id"]

        # The inbox polls: the message appears without a reload.
        row_path = f"//tbody[@id='inbox-rows']/tr[@data-message-id='{message_id}']"
        row = wait.until(shown.visibility_of_element_located((By.XPATH, row_path)))
        cells = row.find_elements(By.TAG_NAME, "td")
        check(cells[1].text == BRITISH and cells[2].text == "Demo", f"the inbox row shows to and from: {cells[1].text} {cells[2].text}")
        check(cells[3].text == HOSTILE_TEXT, f"the markup in the text is shown as text: {cells[3].text!r}")
        check(len(browser.find_elements(By.CSS_SELECTOR, "main img, main b, main script")) == 0, "no element was made from the text")
        check(browser.execute_script("return window.__pwned === undefined"), "nothing in the text ran")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "console.png"))

        row.find_element(By.CSS_SELECTOR, "button.link").click()
        attempt = wait.until(shown.visibility_of_element_located((By.XPATH, "//tbody[@id='attempt-rows']/tr")))
        attempt_cells = [cell.text for cell in attempt.find_elements(By.TAG_NAME, "td")]
        check(attempt_cells[1] == "default" and attempt_cells[2] == "accepted", f"the attempts show the default provider accepted it: {attempt_cells}")
        check(browser.find_element(By.ID, "message-id").text == message_id, "the message view names the message")
        browser.save_screenshot(str(ARTIFACTS / "console-attempts.png"))

        browser.find_element(By.CSS_SELECTOR, "button[data-view='messages']").click()
        filters = browser.find_element(By.ID, "message-filters")
        filters.find_element(By.NAME, "to").send_keys(BRITISH)
        Select(filters.find_element(By.NAME, "status")).select_by_visible_text("accepted")
        filters.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
        logged = wait.until(shown.visibility_of_element_located((By.XPATH, f"//tbody[@id='message-rows']/tr[@data-message-id='{message_id}']")))
        check("uk" in logged.text and "accepted" in logged.text, f"the message log shows the message: {logged.text!r}")
        Select(filters.find_element(By.NAME, "status")).select_by_visible_text("failed")
        filters.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
        wait.until(lambda b: len(b.find_elements(By.XPATH, "//tbody[@id='message-rows']/tr")) == 0)
        check(True, "filtering on another status leaves the log empty")
        logged_again = filters.find_element(By.NAME, "to")
        logged_again.clear()
        filters.find_element(By.NAME, "since").send_keys("yesterday")
        filters.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
        filter_error = wait.until(shown.visibility_of_element_located((By.ID, "messages-error")))
        check("since" in filter_error.text, f"a bad filter is explained: {filter_error.text!r}")

        browser.find_element(By.CSS_SELECTOR, "button[data-view='route']").click()
        route = browser.find_element(By.ID, "route-form")
        # Typed as people write it: the spaces must reach the server as spaces.
        route.find_element(By.NAME, "to").send_keys("+1 415 555 0123")
        route.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
        summary = wait.until(shown.visibility_of_element_located((By.ID, "route-summary")))
        check(
            summary.text.startswith("+14155550123 (US)") and "route 'everyone'" in summary.text and "providers default" in summary.text,
            f"the route is explained: {summary.text!r}",
        )
        rows = [row.text for row in browser.find_elements(By.XPATH, "//tbody[@id='route-rows']/tr")]
        check(len(rows) == 2 and rows[0].startswith("0 uk skipped:") and rows[1] == "1 everyone matched", f"each rule says why: {rows}")
        browser.save_screenshot(str(ARTIFACTS / "console-route.png"))

        number = route.find_element(By.NAME, "to")
        number.clear()
        number.send_keys("not a number")
        route.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
        route_error = wait.until(shown.visibility_of_element_located((By.ID, "route-error")))
        check("is not a valid number" in route_error.text, f"a bad number is explained: {route_error.text!r}")

        # The token never reached a URL: not the page's, not any request's.
        urls = browser.execute_script("return [location.href].concat(performance.getEntries().map(e => e.name))")
        check(all(ADMIN_TOKEN not in url for url in urls), "the token is in no URL")
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE" and "Content Security Policy" in entry["message"]]
        check(not errors, f"the page broke none of its own policy: {errors}")

        browser.find_element(By.ID, "logout").click()
        wait.until(shown.visibility_of_element_located((By.ID, "login")))
        check(browser.execute_script("return sessionStorage.length") == 0, "logging out forgets the token")
    finally:
        browser.quit()


def main():
    if not BINARY.exists():
        fail(f"{BINARY} is missing; run swift build (or scripts/build-release for the production build)")
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        fail(f"{CHROMIUM} or {CHROMEDRIVER} is missing; run scripts/setup (it installs Debian's chromium and chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        fail("selenium is missing from this Python; run scripts/setup and use .build-fuzz-venv/bin/python")
    work = pathlib.Path(tempfile.mkdtemp())
    daemon, base = start_daemon(work)
    try:
        run(base, work)
    except Exception as error:  # a step that timed out or found no element
        global failed
        failed += 1
        print(f"FAIL: {type(error).__name__}: {error}")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        if failed:
            print((work / "daemon.log").read_text()[-3000:], file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
