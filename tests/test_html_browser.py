"""The --html page in a real browser (headless Chromium driven by Playwright):
the Sankey's nodes and links against the report workbook, no console errors,
deep links and controls that work.

Needs Debian's `chromium` (`apt-get install -y chromium`; `.ci/run` installs
it). Where it is missing the test is skipped, except in CI (CI=true), where a
missing browser is a failure."""

from __future__ import annotations

import os
import re
import shutil

import pandas as pd
import pytest

from conftest import BASE_SHEETS, REPO, with_cn, write_workbook
from model.cli import main

pytestmark = pytest.mark.component

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser test (see .ci/run)")
    pytest.skip("no chromium on this machine (apt-get install -y chromium)", allow_module_level=True)
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def open_page(browser, path, anchor=""):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri() + anchor)
    page.wait_for_selector("#sankey svg, #sankey p")
    return page, errors


def drawn_links(page) -> dict[tuple[str, str], float]:
    """(from, to) -> t, read from each path's tooltip 'A -> B: 12.5 t (...)'."""
    out = {}
    for title in page.locator("#sankey path title").all_text_contents():
        m = re.match(r"(.+) -> (.+?): ([\d,.]+) t", title)
        out[(m.group(1), m.group(2))] = float(m.group(3).replace(",", ""))
    return out


def test_small_sankey_matches_the_hand_worked_flows(tmp_path, browser):
    # CN sells 20 t at 5 + 1 freight = 6/t, AU the other 10 t at 10 + 5 = 15/t: demand 30 t.
    sheets = with_cn(Supply="""
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,10
        CN_OX,CNX,OX,20,5
    """)
    wb = write_workbook(tmp_path, {**BASE_SHEETS, **sheets})
    html = tmp_path / "page.html"
    assert main(["solve", str(wb), "-o", str(tmp_path / "r.xlsx"), "--html", str(html), "-q"]) == 0
    page, errors = open_page(browser, html, "#m=OX&p=2025")
    assert drawn_links(page) == {("bought in CN", "CNX"): 20, ("bought in AU", "MINE"): 10,
                                 ("CNX", "BUYER"): 20, ("MINE", "BUYER"): 10,
                                 ("BUYER", "demand at BUYER"): 30}
    assert sorted(page.locator("#sankey rect").evaluate_all("rs => rs.map(r => r.dataset.id)")) == \
        sorted(["bought in AU", "bought in CN", "BUYER", "CNX", "MINE", "demand at BUYER"])
    assert not errors


def report_flows(report, material, period) -> dict[tuple[str, str], float]:
    """The same flows computed from the report workbook's sheets."""
    sheets = pd.read_excel(report, sheet_name=["Purchases", "Shipments"], engine="calamine")
    pur, ship = sheets["Purchases"], sheets["Shipments"]
    pur = pur[(pur["material_id"] == material) & (pur["period"] == period) & (pur["quantity_t"] > 0)]
    ship = ship[(ship["material_id"] == material) & (ship["period"] == period)
                & (ship["quantity_t"] > 0) & (ship["from_site"] != ship["to_site"])]
    flows = {}
    for s, d, t in zip("bought in " + pur["country"], pur["site_id"], pur["quantity_t"]):
        flows[(s, d)] = flows.get((s, d), 0) + t
    for s, d, t in zip(ship["from_site"], ship["to_site"], ship["quantity_t"]):
        flows[(s, d)] = flows.get((s, d), 0) + t
    return flows


@pytest.fixture(scope="module")
def example_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    html, report = out / "example.html", out / "example.xlsx"
    assert main(["solve", str(REPO / "inputs" / "example.xlsx"), "-o", str(report),
                 "--html", str(html), "-q"]) == 0
    return html, report


def test_example_sankey_equals_the_report(browser, example_page):
    html, report = example_page
    page, errors = open_page(browser, html, "#m=NDPR_OXIDE&p=2028")
    assert page.locator("#mat").input_value() == "NDPR_OXIDE"
    assert page.locator("#per").input_value() == "2028"
    drawn = drawn_links(page)
    expected = report_flows(report, "NDPR_OXIDE", 2028)
    assert expected, "the example buys or ships NdPr oxide in 2028"
    assert drawn.keys() == expected.keys()
    for key, t in expected.items():
        assert drawn[key] == pytest.approx(t, abs=0.01)
    assert not errors


def test_example_controls_redraw_and_focus(browser, example_page):
    html, _ = example_page
    page, errors = open_page(browser, html, "#m=NDPR_OXIDE&p=2028")
    one_year = page.locator("#sankey path").count()
    page.select_option("#per", "all periods")
    assert page.locator("#sankey path").count() > one_year
    page.select_option("#mat", "all materials")
    everything = page.locator("#sankey path").count()
    page.check("#dis")                                   # discards shown: more links
    assert page.locator("#sankey path").count() > everything
    node = page.locator("#sankey rect[data-id='US_BUYER']")
    node.click()
    assert "focus" in page.locator("#sankey").get_attribute("class")
    lit = page.locator("#sankey path.on")
    assert lit.count() > 0
    ends = lit.evaluate_all("ps => ps.map(p => [p.dataset.s, p.dataset.d])")
    assert all("US_BUYER" in pair for pair in ends)
    node.click()                                         # a second click clears the focus
    assert page.locator("#sankey path.on").count() == 0
    assert not errors


def test_legend_lists_the_drawn_materials_in_their_colours(browser, example_page):
    html, _ = example_page
    page, errors = open_page(browser, html, "#m=NDFEB&p=all")     # NdFeB's whole supply chain
    paths = page.locator("#sankey path").evaluate_all(
        "ps => ps.map(p => [p.getAttribute('stroke'), p.querySelector('title').textContent])")
    drawn = {}                               # material -> the colours its links are drawn in
    for stroke, title in paths:
        material = re.search(r"\((\S+) [\d,.]+ t\)$", title).group(1)
        drawn.setdefault(material, set()).add(stroke)
    keys = page.locator("#legend .key").evaluate_all(
        "ks => ks.map(k => [k.dataset.m, getComputedStyle(k.querySelector('i')).backgroundColor])")
    legend = {m: colour for m, colour in keys}
    assert len(drawn) > 1 and set(legend) == set(drawn)        # every drawn material, no other
    for m, strokes in drawn.items():                           # one colour each, the legend's
        assert len(strokes) == 1
        stroke = next(iter(strokes))
        r, g, b = (int(stroke[i:i + 2], 16) for i in (1, 3, 5))
        assert legend[m] == f"rgb({r}, {g}, {b})"
    page.select_option("#mat", "all materials")                # one colour: one legend entry
    assert page.locator("#legend .key").count() == 1
    assert "all materials" in page.locator("#legend").inner_text()
    assert not errors
