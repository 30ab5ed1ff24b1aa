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
// The hooks live on a private DOMPurify instance, so they apply to this profile only and never to some other
// caller of the shared DOMPurify object.

import DOMPurify, { type Config, type DOMPurify as Purifier } from "dompurify";

/** `data:` images an `<img>` in sanitised HTML may show: raster types only (no SVG documents), base64. */
const SAFE_IMAGE_DATA_URL = /^data:image\/(?:png|jpeg|jpg|gif|webp|avif|bmp|x-icon|vnd\.microsoft\.icon);base64,[a-z0-9+/=\s]*$/i;

const ALLOWED_TAGS = [
  "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div",
  "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
  "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong",
  "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
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

function instance(): Purifier | null {
  if (purifier !== undefined) return purifier;
  if (typeof window === "undefined") return (purifier = null);
  const p = DOMPurify(window);
  if (!p.isSupported) return (purifier = null);
  p.addHook("uponSanitizeAttribute", (node, data) => {
    const name = data.attrName.toLowerCase();
    if (name === "src") {
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
