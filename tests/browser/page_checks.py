"""Checks on what a page shows, read from the real browser: accessibility (axe-core), text that is
cut off or runs out of its box, and where a practice mark is drawn.

* :func:`axe_problems` runs axe-core (WCAG 2.1 A and AA rules) on part of the page and returns the
  serious and critical violations, one readable line each.
* :func:`clipped_text` lists elements whose text is cut (hidden overflow, an ellipsis) or that stick
  out of the area they are shown in, at the page's width.
* :func:`radio_marks` says, for every radio group, which option is checked and which label carries
  a ✓ or ✗ (the mark is CSS generated content, so only the browser knows where it is drawn).
"""

from __future__ import annotations

from playwright.sync_api import Page

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")


def axe_problems(page: Page, include: list[str]) -> list[str]:
    """Serious and critical axe-core violations inside the elements matched by ``include``."""
    from axe_playwright_python.sync_playwright import Axe

    present = [selector for selector in include if page.locator(selector).count()]
    if not present:
        raise AssertionError(f"nothing to check: none of {include} is on the page")
    results = Axe().run(page, context={"include": [[s] for s in present]},
                        options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in SERIOUS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        found.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) on {len(violation['nodes'])} "
                     f"node(s), e.g. {targets}")
    return found


_CLIPPED_JS = """
(selector) => {
  const areas = Array.from(document.querySelectorAll(selector));
  const found = [];
  const describe = (el) => (el.className && typeof el.className === 'string'
                            ? '.' + el.className.split(' ')[0] : el.tagName) +
                           ': ' + (el.innerText || el.value || '').trim().slice(0, 60);
  for (const area of areas) {
    const box = area.getBoundingClientRect();
    if (!box.width) { continue; }
    for (const el of area.querySelectorAll('*')) {
      if (!el.getClientRects().length) { continue; }
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') { continue; }
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
      const text = own || ['INPUT', 'TEXTAREA', 'BUTTON', 'LABEL'].includes(el.tagName);
      if (!text) { continue; }
      const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
      if (hides && el.scrollWidth > el.clientWidth + 2 && el.tagName !== 'TEXTAREA' && el.tagName !== 'INPUT') {
        found.push('cut off: ' + describe(el) + ' (' + el.scrollWidth + ' px of text in ' + el.clientWidth + ' px)');
        continue;
      }
      if (['hidden', 'clip'].includes(style.overflowY) && el.scrollHeight > el.clientHeight + 2 &&
          el.tagName !== 'TEXTAREA' && el.clientHeight > 0) {
        found.push('cut off below: ' + describe(el));
        continue;
      }
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > box.right + 2 || r.right > window.innerWidth + 1)) {
        const by = Math.round(r.right - Math.min(box.right, window.innerWidth));
        found.push('sticks out by ' + by + ' px: ' + describe(el));
      }
    }
  }
  return found;
}
"""


def clipped_text(page: Page, area: str) -> list[str]:
    """Text cut off, or elements sticking out of the areas matched by ``area``, as readable lines."""
    return page.evaluate(_CLIPPED_JS, area)


_MARKS_JS = """
() => Array.from(document.querySelectorAll('.nc-choice')).map((group) => {
  const labels = Array.from(group.querySelectorAll('.widget-radio-box > label'));
  const checked = labels.findIndex((label) => label.querySelector('input').checked);
  const marked = labels.map((label, i) => [i, getComputedStyle(label, '::after').content])
                       .filter(([, content]) => content && content !== 'none' && content !== 'normal');
  const box = (i) => { if (i < 0) { return null; } const r = labels[i].getBoundingClientRect();
                       return [Math.round(r.top), Math.round(r.bottom)]; };
  return {checked: checked, marked: marked.map(([i, c]) => [i, c]), checkedBox: box(checked),
          markedBox: marked.length ? box(marked[0][0]) : null};
})
"""


def radio_marks(page: Page) -> list[dict]:
    """Per practice radio group: the checked option's index, the marked labels, and their vertical spans."""
    return page.evaluate(_MARKS_JS)
