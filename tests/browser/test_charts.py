"""Charts in Chromium (spec/counting.md#charts): measured with getBBox() so that no name runs
into a figure and every chart stays within its size limits; each saved as a PNG in
tests/browser/screenshots/ for a person to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from browser.chromium import save_screenshot
from reports.test_charts import real_charts
from suffrage.reports.charts import MAX_WIDTH

MEASURE = """() => {
  const svg = document.querySelector('svg');
  const boxes = cls => [...svg.querySelectorAll('text.' + cls)].map(t => {
    const b = t.getBBox();
    return {text: t.textContent, x: b.x, y: b.y, r: b.x + b.width, b: b.y + b.height};
  });
  const names = boxes('name').concat(boxes('status')), values = boxes('value');
  const hits = [];
  for (const n of names) for (const v of values)
    if (n.x < v.r - 0.5 && v.x < n.r - 0.5 && n.y < v.b - 0.5 && v.y < n.b - 0.5)
      hits.push([n.text, v.text]);
  const all = boxes('name').concat(boxes('status'), values, boxes('heading'), boxes('title'));
  const width = svg.width.baseVal.value, height = svg.height.baseVal.value;
  const outside = all.filter(t => t.x < 0 || t.r > width + 0.5).map(t => t.text);
  return {hits, outside, width, height};
}"""


@pytest.fixture(scope="module")
def charts() -> dict[str, str]:
    return real_charts()


@pytest.mark.parametrize(
    "name",
    [
        "chart-irv-burlington",
        "chart-stv-scotland",
        "chart-stv-19-stages",
        "chart-list-oslo",
        "chart-referendum",
        "chart-condorcet-debian",
        "chart-irv-burlington-ar",
        "chart-two-round-fr",
    ],
)
def test_chart_in_chromium(page: Page, charts: dict[str, str], name: str) -> None:
    page.set_content(
        '<!doctype html><html><body style="margin:0;background:#fff">'
        + charts[name]
        + "</body></html>"
    )
    measured = page.evaluate(MEASURE)
    assert measured["hits"] == [], f"names overlap figures in {name}"
    assert measured["outside"] == [], f"text outside the chart in {name}"
    assert measured["width"] <= MAX_WIDTH
    assert measured["height"] <= 900
    svg = page.locator("svg")
    page.set_viewport_size(
        {"width": int(measured["width"]) + 1, "height": int(measured["height"]) + 1}
    )
    svg.screenshot(path=str(save_screenshot(page, name)))
