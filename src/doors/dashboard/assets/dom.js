// Builds elements from data without ever parsing markup: every value becomes a text node or an
// attribute, so a package name like <img src=x onerror=alert(1)> stays text. No HTML-parsing sink anywhere
// (the page's CSP requires Trusted Types for it, and allows none).

const SVG_NS = "http://www.w3.org/2000/svg";
/** Attributes that could run script or load from elsewhere are never set from data. */
const FORBIDDEN = /^(on|style$|srcdoc$|formaction$)/i;

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "on") {
      for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    } else if (FORBIDDEN.test(key)) {
      throw new Error(`refusing to set ${key}`);
    } else if ((key === "href" || key === "src" || key === "action") && !/^(#|\?|[a-z0-9._/-]+(\?|#|$))/i.test(String(value))) {
      throw new Error(`refusing a ${key} that leaves this page: ${value}`);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h("a", { href: "#/x" }, "text", otherElement). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element, built the same way. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** Replaces the content of `el`. */
export function show(el, ...children) {
  el.replaceChildren();
  append(el, children);
}
