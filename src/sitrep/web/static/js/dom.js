// Building page elements from untrusted strings. Every string from the API reaches the page through
// these helpers (textContent, setAttribute on safe attributes), never through innerHTML.

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

// A link only for http(s) URLs, opened apart from this page; anything else (javascript:, data:, a
// relative path) is shown as text.
export function safeLink(url, label) {
  let parsed = null;
  try { parsed = new URL(url); } catch (_) { /* not an absolute URL: shown as text */ }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    return el("span", url, "url-text");
  }
  const link = el("a", label || url);
  link.setAttribute("href", parsed.href);
  link.setAttribute("target", "_blank");
  link.setAttribute("rel", "noopener noreferrer");
  return link;
}

// Offsets from the API count code points (Python strings); JavaScript strings index UTF-16 units,
// which differ after any character outside the BMP (emoji are common in Telegram posts).
export function utf16Index(text, codePoints) {
  let index = 0;
  for (let seen = 0; seen < codePoints && index < text.length; seen++) {
    const unit = text.charCodeAt(index);
    index += unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length ? 2 : 1;
  }
  return index;
}
