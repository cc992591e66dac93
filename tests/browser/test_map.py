"""The map (map/): points drawn, titles on hover, a click opens the paper,
pan and zoom by mouse, keys and touch, and nothing fetched from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import save_screenshot
from tests.browser.explore import PAPER, PAPER_TITLE, record_problems, record_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAP = "#paper-map"


def open_map(page: Page, query: str = "") -> None:
    page.goto("map/" + query)
    expect(page.locator(MAP)).to_have_attribute("data-ready", "true")


def painted_pixels(page: Page) -> int:
    """How many pixels of the canvas are painted (not transparent)."""
    return page.evaluate("""() => {
        const canvas = document.querySelector('#paper-map canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
        return painted;
    }""")


def point_of(page: Page, slug: str) -> tuple[float, float]:
    """Where a paper's point is on the page, in CSS pixels."""
    x, y = page.evaluate("""(slug) => {
        const map = document.querySelector('#paper-map').paperMap;
        return map.screenPosition(map.indexOf(slug));
    }""", slug)
    box = page.locator(f"{MAP} canvas").bounding_box()
    return box["x"] + x, box["y"] + y


def view(page: Page) -> list[float]:
    return page.evaluate("() => { const m = document.querySelector('#paper-map').paperMap;"
                         " return [m.scale, m.originX, m.originY]; }")


def test_every_paper_is_drawn_with_named_topics_and_nothing_fetched_elsewhere(
        page: Page, base_url: str, screenshots: Path) -> None:
    problems, requested = record_problems(page), record_requests(page)
    open_map(page)
    expect(page.locator(".paper-map-status")).to_have_text(re.compile(r"^689 papers; \d+ topics named$"))
    # 689 points of ~38 pixels each, some overlapping, plus the topic names.
    assert painted_pixels(page) > 689 * 15
    expect(page.locator(".paper-map-legend li")).not_to_have_count(0)
    expect(page.locator(".paper-map-legend")).to_contain_text("diffusion models")
    save_screenshot(page, screenshots / "map.png")
    assert problems == []
    assert requested and all(url.startswith(base_url) for url in requested)


def test_hover_shows_the_title_and_a_click_opens_the_paper(page: Page) -> None:
    problems = record_problems(page)
    open_map(page, f"?paper={PAPER}")  # centred and zoomed in: no neighbour on top of it
    x, y = point_of(page, PAPER)
    page.mouse.move(x + 1, y + 1)
    expect(page.locator(".paper-map-tip")).to_have_text(PAPER_TITLE)
    page.mouse.click(x + 1, y + 1)
    expect(page).to_have_url(re.compile(f"/papers/{PAPER}/$"))
    expect(page.locator("article h1")).to_have_text(PAPER_TITLE)
    assert problems == []


def test_show_on_the_map_centres_the_paper(page: Page) -> None:
    page.goto(f"papers/{PAPER}/")
    page.get_by_role("link", name="Show on the map").click()
    expect(page.locator(MAP)).to_have_attribute("data-ready", "true")
    expect(page.locator(".paper-map-tip")).to_contain_text(PAPER_TITLE)
    box = page.locator(f"{MAP} canvas").bounding_box()
    x, y = point_of(page, PAPER)
    assert abs(x - (box["x"] + box["width"] / 2)) < 2 and abs(y - (box["y"] + box["height"] / 2)) < 2
    page.keyboard.press("Enter")  # the map has the focus: Enter opens the paper
    expect(page).to_have_url(re.compile(f"/papers/{PAPER}/$"))


def test_mouse_wheel_and_drag_zoom_and_move_the_map(page: Page) -> None:
    open_map(page)
    box = page.locator(f"{MAP} canvas").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scale, _, _ = view(page)
    page.mouse.move(*centre)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"document.querySelector('#paper-map').paperMap.scale > {scale * 1.5}")
    _, x, y = view(page)
    page.mouse.down()
    page.mouse.move(centre[0] + 100, centre[1] + 50, steps=5)
    page.mouse.up()
    _, moved_x, moved_y = view(page)
    assert (round(moved_x - x), round(moved_y - y)) == (100, 50)
    expect(page).to_have_url(re.compile("/map/$"))  # a drag is not a click


def test_keys_move_and_zoom_the_focused_map(page: Page) -> None:
    open_map(page)
    page.locator(f"{MAP} canvas").focus()
    scale, x, y = view(page)
    page.keyboard.press("+")
    assert view(page)[0] == pytest.approx(scale * 1.5)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    _, moved_x, moved_y = view(page)
    page.keyboard.press("0")
    assert view(page) == pytest.approx([scale, x, y])
    page.get_by_role("button", name="Zoom in").click()
    assert view(page)[0] == pytest.approx(scale * 1.5)
    assert moved_x != x and moved_y != y


def isolated_paper(page: Page) -> str:
    """A paper drawn in sight, with no other point within 20 pixels of it."""
    return page.evaluate("""() => {
        const map = document.querySelector('#paper-map').paperMap;
        const top = map.canvas.getBoundingClientRect().top, shown = [];
        const bottom = Math.min(map.height, window.innerHeight - top);
        for (let i = 0; i < map.count; i++) {
            const [x, y] = map.screenPosition(i);
            if (x > 20 && y > 20 && x < map.width - 20 && y < bottom - 20) shown.push([i, x, y]);
        }
        const alone = shown.find(([i, x, y]) => i !== map.selected && shown.every(
            ([j, u, v]) => i === j || Math.hypot(x - u, y - v) > 20));
        return map.data.slug[alone[0]];
    }""")


def test_on_a_touch_screen_a_tap_shows_the_title_and_a_second_opens_it(
        new_context, base_url: str, screenshots: Path) -> None:
    page = new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                       is_mobile=True, has_touch=True).new_page()
    page.goto(f"{base_url}map/?paper={PAPER}")
    expect(page.locator(MAP)).to_have_attribute("data-ready", "true")
    slug = isolated_paper(page)
    title = page.evaluate("(slug) => document.querySelector('#paper-map').paperMap.data.title["
                          "document.querySelector('#paper-map').paperMap.indexOf(slug)]", slug)
    x, y = point_of(page, slug)
    page.touchscreen.tap(x, y)
    expect(page.locator(".paper-map-tip")).to_have_text(f"{title} (tap again to open)")
    save_screenshot(page, screenshots / "map-phone.png")
    page.touchscreen.tap(x, y)
    expect(page).to_have_url(re.compile(f"/papers/{slug}/$"))
