"""The service's pages in headless Chromium: sign in with a token, upload a file, read its report."""

from __future__ import annotations

import pytest

from tests.grader.browserkit import headless_chromium
from tests.grader.servicekit import EXAMPLES, HW1, Server, add_accounts, wait_done

pytest.importorskip("fastapi", reason="the serve extra is not installed (pip install 'matgrade[serve]')")
pytestmark = pytest.mark.browser

EVE = "<i>eve</i>&amp;"  # a name that is markup: it must show as these characters


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    (root / "hw1.toml").write_text(HW1, encoding="utf-8")
    data = root / "data"
    tokens = add_accounts(data, [EVE], "prof")
    server = Server(data, [root / "hw1.toml"]).start()
    yield server, tokens, root
    server.stop()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's) driven by Playwright; skipped without them."""
    yield from headless_chromium()


def test_a_student_signs_in_uploads_a_file_and_reads_its_report_in_chromium(service, browser):
    """Token -> /me; the form uploads mistakes.py; the page refreshes until the report link shows it."""
    server, tokens, root = service
    page = browser.new_page()
    page.goto(server.url + "/")
    page.fill("#token", tokens[EVE])
    page.click("#sign-in")
    page.wait_for_url("**/me")
    assert page.inner_text("#who") == EVE  # escaped by the template: shown as text, not markup
    assert page.locator("#who i").count() == 0
    (root / "mistakes.py").write_bytes((EXAMPLES / "mistakes.py").read_bytes())
    page.select_option("#assignment", "hw1")
    page.set_input_files("#file", str(root / "mistakes.py"))
    page.click("#upload")
    page.wait_for_url("**/me?submitted=*")
    link = page.locator("#submissions a", has_text="report")
    link.wait_for(timeout=120_000)  # the page refreshes itself every 3 s while grading
    assert "mistakes.py" in page.inner_text("#submissions")
    link.click()
    page.wait_for_load_state()
    text = page.inner_text("body")
    assert "neuron_grad" in text and "missing-mask" in text
    assert "d_ln_x2" not in text  # hidden by the assignment
    page.close()


def test_a_bad_upload_on_the_page_shows_the_message_and_a_wrong_token_is_refused(service, browser):
    """A .txt file: the student page says why; a wrong token: the sign-in page says it is not valid."""
    server, tokens, root = service
    page = browser.new_page()
    page.goto(server.url + "/")
    page.fill("#token", "wrong")
    page.click("#sign-in")
    assert "not valid" in page.inner_text("#error")
    page.fill("#token", tokens[EVE])
    page.click("#sign-in")
    page.wait_for_url("**/me")
    (root / "notes.txt").write_text("hello", encoding="utf-8")
    page.set_input_files("#file", str(root / "notes.txt"))
    page.click("#upload")
    assert "not a .py file or a .ipynb notebook" in page.inner_text("#error")
    page.close()


def test_the_instructor_page_links_the_live_class_report_and_the_gradebook(service, browser):
    """prof signs in, opens the class report from /instructor; it lists the student, escaped."""
    server, tokens, _ = service
    with server.client(tokens["prof"]) as prof:
        for record in prof.get("/api/v1/submissions").json():
            wait_done(prof, record["id"])
    page = browser.new_page()
    page.goto(server.url + "/")
    page.fill("#token", tokens["prof"])
    page.click("#sign-in")
    page.wait_for_url("**/instructor")
    assert EVE in page.inner_text("body")
    page.click("text=class report (live)")
    page.wait_for_load_state()
    assert EVE in page.inner_text("body")
    page.close()
