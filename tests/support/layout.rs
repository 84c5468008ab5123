//! Layout checks of the page the app shows, through element rectangles measured in the page:
//! parts that overlap, rows of items that wrap, tables cut off, a page wider than the window.
//! Each check returns what it found wrong as readable lines (empty when all is well), so a test
//! can look at every screen and size before it fails, and say everything at once.
//!
//! What is measured is what a person sees: an element's box together with its text and the text
//! of its descendants, each piece clipped by the boxes between it and the element that hide
//! overflow (a name shortened with an ellipsis is not "overflowing"). So text that spills out of
//! a grid cell with `white-space: nowrap` counts where it is painted, not where its box ends. Text
//! inside an absolutely positioned descendant (an open menu) is not counted as its parent's.

use serde_json::{Value, json};

use crate::webdriver::Browser;

/// The measuring functions the checks share, defined in the page once per check.
const MEASURE: &str = r#"
const visible = (element) => {
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return box.width > 0 && box.height > 0 && style.visibility !== 'hidden';
};
const clips = (element) => getComputedStyle(element).overflowX !== 'visible';
const intersect = (a, b) => ({
  left: Math.max(a.left, b.left), right: Math.min(a.right, b.right),
  top: Math.max(a.top, b.top), bottom: Math.min(a.bottom, b.bottom),
});
const union = (a, b) => ({
  left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
  top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom),
});
const empty = (r) => r.right - r.left <= 0.5 || r.bottom - r.top <= 0.5;
// The box of `element` and the painted extent of every piece of text inside it, but for text in a
// positioned popup inside it (an open menu lies over the page by design).
const extent = (element) => {
  const box = element.getBoundingClientRect();
  let seen = { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node.textContent.trim() === '') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    let piece = range.getBoundingClientRect();
    if (piece.width === 0 && piece.height === 0) continue;
    piece = { left: piece.left, right: piece.right, top: piece.top, bottom: piece.bottom };
    let popup = false;
    for (let up = node.parentElement; up !== null && up !== element.parentElement; up = up.parentElement) {
      if (clips(up)) piece = intersect(piece, up.getBoundingClientRect());
      if (up !== element && ['absolute', 'fixed'].includes(getComputedStyle(up).position)) popup = true;
    }
    if (!empty(piece) && !popup) seen = union(seen, piece);
  }
  return seen;
};
const name = (element) => {
  const id = element.id ? `#${element.id}` : '';
  const classes = typeof element.className === 'string' && element.className.trim() !== ''
    ? '.' + element.className.trim().split(/\s+/).filter((c) => !c.startsWith('svelte-')).join('.') : '';
  const text = (element.innerText || element.value || '').replace(/\s+/g, ' ').trim().slice(0, 40);
  return `${element.tagName.toLowerCase()}${id}${classes === '.' ? '' : classes} "${text}"`;
};
const px = (n) => Math.round(n * 10) / 10;
"#;

fn run(browser: &Browser, body: &str, args: Value) -> Vec<String> {
    let script = format!("const args = {args};\n{MEASURE}\nconst problems = [];\n{body}\nreturn problems;");
    let found = browser.script(&script);
    found
        .as_array()
        .map(|lines| lines.iter().filter_map(|line| line.as_str().map(str::to_owned)).collect())
        .unwrap_or_else(|| vec![format!("the layout check answered {found}")])
}

/// In each visible element matching `group`, the visible elements matching any of `parts`
/// (inside it) must not overlap one another, text included. Nested parts are not compared.
pub fn overlapping(browser: &Browser, group: &str, parts: &[&str]) -> Vec<String> {
    run(
        browser,
        r#"
const groups = [...document.querySelectorAll(args.group)].filter(visible);
groups.forEach((group, index) => {
  const parts = [...new Set(args.parts.flatMap((css) => [...group.querySelectorAll(css)]))].filter(visible);
  const extents = parts.map(extent);
  for (let i = 0; i < parts.length; i += 1) {
    for (let j = i + 1; j < parts.length; j += 1) {
      if (parts[i].contains(parts[j]) || parts[j].contains(parts[i])) continue;
      const both = intersect(extents[i], extents[j]);
      if (!empty(both)) {
        problems.push(`${args.group} [${index}]: ${name(parts[i])} overlaps ${name(parts[j])} by ${px(both.right - both.left)}×${px(both.bottom - both.top)} px`);
      }
    }
  }
});
"#,
        json!({ "group": group, "parts": parts }),
    )
}

/// In each visible element matching `group`, the visible elements matching any of `items` sit on
/// one line: their boxes share a horizontal band, and those of the same kind (tag and classes)
/// start at the same top.
pub fn not_on_one_line(browser: &Browser, group: &str, items: &[&str]) -> Vec<String> {
    run(
        browser,
        r#"
[...document.querySelectorAll(args.group)].filter(visible).forEach((group, index) => {
  const found = [...new Set(args.items.flatMap((css) => [...group.querySelectorAll(css)]))].filter(visible);
  if (found.length < 2) return;
  const label = `${args.group} [${index}]`;
  const boxes = found.map((element) => element.getBoundingClientRect());
  const lowestTop = Math.max(...boxes.map((box) => box.top));
  const highestBottom = Math.min(...boxes.map((box) => box.bottom));
  if (lowestTop >= highestBottom - 0.5) {
    const low = found[boxes.findIndex((box) => box.top === lowestTop)];
    const high = found[boxes.findIndex((box) => box.bottom === highestBottom)];
    problems.push(`${label}: not on one line: ${name(low)} starts at ${px(lowestTop)} px, below the bottom of ${name(high)} at ${px(highestBottom)} px`);
  }
  const kinds = new Map();
  const lower = [];
  found.forEach((element, at) => {
    const kind = element.tagName + '.' + element.className;
    if (!kinds.has(kind)) kinds.set(kind, at);
    if (Math.abs(boxes[at].top - boxes[kinds.get(kind)].top) > 1) lower.push(`${name(element)} at ${px(boxes[at].top)} px`);
  });
  if (lower.length > 0) {
    problems.push(`${label}: items lower than the first of their kind: ${lower.join(', ')}`);
  }
});
"#,
        json!({ "group": group, "items": items }),
    )
}

/// Every visible table matching `tables` shows its last column whole: its right edge (text
/// included) inside the window and inside every box around it that hides overflow, and no box
/// around it scrolls sideways.
pub fn tables_cut_off(browser: &Browser, tables: &str) -> Vec<String> {
    run(
        browser,
        r#"
[...document.querySelectorAll(args.tables)].filter(visible).forEach((table, index) => {
  const label = `${args.tables} [${index}]${table.id ? ' #' + table.id : ''}`;
  const row = table.querySelector('tr');
  const last = row && row.lastElementChild;
  if (!last) return;
  const right = extent(last).right;
  if (right > window.innerWidth + 0.5) {
    problems.push(`${label}: the last column ${name(last)} ends at ${px(right)} px, past the window's ${window.innerWidth} px`);
  }
  for (let up = table.parentElement; up !== null && up !== document.documentElement; up = up.parentElement) {
    if (!clips(up)) continue;
    const edge = up.getBoundingClientRect().left + up.clientLeft + up.clientWidth;
    if (right > edge + 0.5) {
      problems.push(`${label}: the last column ${name(last)} ends at ${px(right)} px, past the edge of ${name(up)} at ${px(edge)} px`);
    }
    if (up.scrollWidth > up.clientWidth + 1) {
      problems.push(`${label}: ${name(up)} scrolls sideways (${up.scrollWidth} px of content in ${up.clientWidth} px)`);
    }
  }
});
"#,
        json!({ "tables": tables }),
    )
}

/// The page is no wider than the window: nothing makes it scroll sideways.
pub fn wider_than_the_window(browser: &Browser) -> Vec<String> {
    run(
        browser,
        r#"
const page = document.documentElement;
if (page.scrollWidth > window.innerWidth) {
  const widest = [...document.body.querySelectorAll('*')].filter(visible)
    .map((element) => [element, element.getBoundingClientRect().right])
    .filter(([, right]) => right > window.innerWidth + 0.5)
    .sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([element, right]) => `${name(element)} to ${px(right)} px`);
  problems.push(`the page is ${page.scrollWidth} px wide in a ${window.innerWidth} px window: ${widest.join('; ')}`);
}
"#,
        json!({}),
    )
}
