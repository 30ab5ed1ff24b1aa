// The one sanitiser profile for every HTML sink (Choice html today; HyperText, Markdown, ... later).
//
// HTML that reaches `dangerouslySetInnerHTML` comes from the config or from task data, and task data is
// untrusted: it must stay text-like markup inside its box. The profile keeps inline formatting and simple
// structure (b, i, em, strong, span, small, sub, sup, br, p, lists, tables, headings, ...) and removes:
//
// - script and every event handler (DOMPurify's own rules);
// - `style` elements and `style` attributes, so nothing can position itself over the notebook
//   (`position:fixed`) or pull a `background:url(...)`;
// - `class` and `id` (and `name`): a class could pick up the page's CSS (JupyterLab's own
//   `position:fixed` dialog classes, our `lnb-*` classes) and an id or name could clobber globals or be
//   mistaken for the widget's own elements; `data-*` and `aria-*` attributes go too, for the same reason
//   (the widget and its tests find their parts by `data-*`);
// - forms and form controls (form, input, button, select, textarea, option, ...);
// - frames and plug-ins (iframe, frame, frameset, object, embed, portal), `base`, `link`, `meta`,
//   `template`, media elements, and foreign content (`svg`, `math`);
// - every remote reference: `href` (anchors stay, but as inert text: they never navigate, not even to a
//   fragment), `srcset`, `action`, `formaction`, `xlink:href`, `poster`, `background`, `ping`, ... and any
//   `src` that is not a `data:image/...` raster image on an `<img>`. So an `<img src="http://...">` beacon
//   never makes the browser ask for anything.
//
// HyperText (sanitizeHyperText below) uses this same profile with one option: what the profile would drop or
// unwrap is replaced by an inert stub element instead, so the shown document keeps the element and text
// node counts Label Studio's XPaths count on.
//
// The hooks live on a private DOMPurify instance, so they apply to this profile only and never to some other
// caller of the shared DOMPurify object.

import DOMPurify, { type Config, type DOMPurify as Purifier } from "dompurify";

/** `data:` images an `<img>` in sanitised HTML may show: raster types only (no SVG documents), base64. */
const SAFE_IMAGE_DATA_URL = /^data:image\/(?:png|jpeg|jpg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon);base64,[a-z0-9+/=\s]*$/i;

const ALLOWED_TAGS = [
  "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
  "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
  "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i",
  "img", "ins", "kbd", "li", "main", "mark", "nav", "nobr", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
  "samp", "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td",
  "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
]; // prettier-ignore

const ALLOWED_ATTR = ["alt", "title", "lang", "dir", "colspan", "rowspan", "scope", "datetime", "src"];

// Not allowed anyway (they are not in ALLOWED_TAGS / ALLOWED_ATTR); listed so that a later widening of the
// allow-lists cannot let them back in by accident.
const FORBID_TAGS = [
  "style", "script", "noscript", "template", "slot",
  "form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "fieldset", "output",
  "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe",
  "base", "link", "meta", "title",
  "svg", "math", "audio", "video", "source", "track", "picture", "canvas", "dialog",
]; // prettier-ignore
const FORBID_ATTR = [
  "style", "class", "id", "name", "href", "srcset", "sizes", "action", "formaction", "xlink:href", "poster",
  "background", "ping", "target", "longdesc", "usemap", "srcdoc", "data", "codebase", "lowsrc", "dynsrc",
  "cite", "form", "popover", "popovertarget", "autofocus", "tabindex", "contenteditable", "accesskey",
]; // prettier-ignore

const PROFILE: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  FORBID_TAGS,
  FORBID_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_XML: true,
  SANITIZE_DOM: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM: false,
  RETURN_DOM_FRAGMENT: false,
  RETURN_TRUSTED_TYPE: false,
};

/** Is `url` an image an `<img>` in sanitised HTML may show (an inline raster `data:` image)? */
export function isSafeImageDataUrl(url: string): boolean {
  return SAFE_IMAGE_DATA_URL.test(url.trim());
}

let purifier: Purifier | null | undefined;
/** true while sanitizeHyperText runs: the attribute hook then keeps the marks of its stubs */
let stubbing = false;

function instance(): Purifier | null {
  if (purifier !== undefined) return purifier;
  if (typeof window === "undefined") return (purifier = null);
  const p = DOMPurify(window);
  if (!p.isSupported) return (purifier = null);
  p.addHook("uponSanitizeAttribute", (node, data) => {
    const name = data.attrName.toLowerCase();
    if (stubbing && node.nodeName.toLowerCase() === STUB_TAG && (name === STUB_NAME || name === "hidden")) {
      // a HyperText stub's own marks (sanitizeHyperText put them there, on its own elements only)
      data.forceKeepAttr = true;
    } else if (name === "src") {
      // the only URL an element keeps: an inline raster image on an <img>; nothing remote, ever
      data.keepAttr = node.nodeName.toLowerCase() === "img" && isSafeImageDataUrl(data.attrValue);
      data.forceKeepAttr = undefined;
    } else if (FORBID_ATTR.includes(name) || name.startsWith("on")) {
      data.keepAttr = false;
      data.forceKeepAttr = undefined;
    }
  });
  p.addHook("afterSanitizeAttributes", (node) => {
    if (node.nodeName.toLowerCase() === "img") {
      // belt and braces: an image never sends a referrer and never loads anything but its data: URL
      node.setAttribute("referrerpolicy", "no-referrer");
      const src = node.getAttribute("src");
      if (src !== null && !isSafeImageDataUrl(src)) node.removeAttribute("src");
    }
  });
  return (purifier = p);
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Clean HTML from the config or the task data with the one profile (see the top of this file). Fails
 * closed: where no DOM sanitiser can run, the markup comes back escaped, shown as text.
 */
export function sanitizeHtml(html: string): string {
  const p = instance();
  if (p === null) return escapeText(html);
  return p.sanitize(html, PROFILE) as string;
}

/** `dangerouslySetInnerHTML={innerHtml(html)}`: the only way HTML from data reaches the page. */
export function innerHtml(html: string): { __html: string } {
  return { __html: sanitizeHtml(html) };
}

// -- HyperText: the same profile, keeping Label Studio's node counts ---------------------------------------
// Label Studio shows a HyperText's HTML after its own sanitiser, which keeps every element and attribute but
// event handlers and drops <script> and <iframe> elements with their content (LSF:utils/html.js
// sanitizeHtml, sanitize-html with allowedTags: false), and its spans name text nodes by XPath from the
// root of that document (`/div[1]/table[1]/tbody[1]/tr[11]/td[3]/text()[1]`). This profile drops far more,
// and an element it unwraps or removes would shift the indexes after it. So here every element the profile
// does not allow becomes an inert `<lnb-stub data-lnb-tag="form">` holding what the element held: an
// element with the name the XPaths count it by (objects/hypertext/dom.ts reads the mark), its text nodes
// still counted, its content shown when a page would show it (a <form>'s fields' words) and `hidden` when
// not (a <style>'s rules, an <svg>, a <select>'s options, the head's elements). Scripts and iframes go as
// Label Studio drops them. The stubs then pass through the profile like everything else: they carry no
// attribute but their two marks, and the content they hold is cleaned as any other.

/** The element that stands in for one the profile does not allow, and the attribute naming what it was. */
export const STUB_TAG = "lnb-stub";
export const STUB_NAME = "data-lnb-tag";

const XHTML = "http://www.w3.org/1999/xhtml";
/** Dropped with their content, as Label Studio's sanitiser drops them. */
const DROPPED = new Set(["script", "iframe"]);
/** Stubs not shown: what a page does not show as markup (raw text, the head, embedded media, form values). */
const HIDDEN_STUBS = new Set([
  "style", "title", "textarea", "select", "option", "optgroup", "datalist", "input", "noscript", "noembed",
  "noframes", "xmp", "plaintext", "template", "object", "embed", "applet", "video", "audio", "canvas",
  "picture", "source", "track", "frameset", "frame", "portal", "fencedframe", "base", "link", "meta", "head",
  "dialog", "map", "area", "slot", "param",
]); // prettier-ignore

export interface HyperTextContent {
  /** the cleaned document, text nodes merged as a browser's parser would leave them */
  fragment: DocumentFragment;
  /** for each <a> of the fragment, in document order: its http(s) URL (for clickableLinks), else null */
  links: (string | null)[];
}

/** An absolute http(s) URL, or null (javascript:, data:, relative and broken URLs never open). */
export function webLink(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The task's HTML parsed as Label Studio's HyperText parses it, in an inert document (nothing runs or loads
 * there): as a document's body (the default, shown in an iframe there), or with `inline` as the content of
 * a <div>.
 */
function parseInert(html: string, inline: boolean): HTMLElement {
  const doc = new DOMParser().parseFromString(inline ? "" : html, "text/html");
  // the content goes to the sanitiser in a <div> (a <body> of its own it would unwrap)
  const box = doc.createElement("div");
  if (!inline) box.append(...Array.from(doc.body.childNodes));
  else if (typeof box.setHTMLUnsafe === "function") box.setHTMLUnsafe(html);
  else {
    // no fragment parser: the document's head and body one after the other is the same but for a full page
    const parsed = new DOMParser().parseFromString(html, "text/html");
    const lead = /^[\t\n\f\r ]+/.exec(html);
    if (lead) box.append(doc.createTextNode(lead[0]));
    box.append(...Array.from(parsed.head.childNodes), ...Array.from(parsed.body.childNodes));
  }
  return box;
}

/** Replace the elements the profile does not allow under `parent` by stubs, in document order; note the links. */
function stubOut(parent: Node, links: (string | null)[] | null): void {
  for (const child of Array.from(parent.childNodes)) {
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    const el = child as Element;
    const name = el.nodeName.toLowerCase();
    if (DROPPED.has(name)) {
      el.remove();
      continue;
    }
    if (el.namespaceURI === XHTML && ALLOWED_TAGS.includes(name) && !FORBID_TAGS.includes(name)) {
      if (name === "a") links?.push(webLink(el.getAttribute("href")));
      stubOut(el, links);
      continue;
    }
    const stub = el.ownerDocument.createElement(STUB_TAG);
    stub.setAttribute(STUB_NAME, name);
    if (el.namespaceURI !== XHTML || HIDDEN_STUBS.has(name)) stub.setAttribute("hidden", "");
    stub.append(...Array.from(el.childNodes));
    el.replaceWith(stub);
    stubOut(stub, links);
  }
}

/**
 * Clean a HyperText's HTML with the one profile, keeping Label Studio's node counts (see above). `links`:
 * also report each anchor's http(s) URL (clickableLinks); the fragment itself never holds one. Null where no
 * DOM sanitiser can run (nothing is shown then).
 */
export function sanitizeHyperText(html: string, options: { inline?: boolean; links?: boolean } = {}): HyperTextContent | null {
  const p = instance();
  if (p === null) return null;
  const box = parseInert(html, options.inline === true);
  const links: (string | null)[] | null = options.links ? [] : null;
  stubOut(box, links);
  stubbing = true;
  let cleaned: DocumentFragment;
  try {
    cleaned = p.sanitize(box, { ...PROFILE, ADD_TAGS: [STUB_TAG], RETURN_DOM_FRAGMENT: true });
  } finally {
    stubbing = false;
  }
  const fragment = cleaned.ownerDocument.createDocumentFragment();
  const wrapper = cleaned.firstElementChild;
  if (wrapper) fragment.append(...Array.from(wrapper.childNodes));
  // what the profile removed (comments, say) leaves text nodes side by side: one, as in a parsed page
  fragment.normalize();
  const anchors = fragment.querySelectorAll("a").length;
  return { fragment, links: links && links.length === anchors ? links : new Array<string | null>(anchors).fill(null) };
}
