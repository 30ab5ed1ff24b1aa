// happy-dom made enough of a browser for DOMPurify, for the test files that sanitise (sanitize.test.ts,
// hypertext.test.ts). Call `useBrowserLikeDom()` at the top of such a file.
import { beforeAll } from "vitest";

// happy-dom is not a browser in three ways that matter to DOMPurify, all fixed here, for the calling file only:
// - it runs <script> (and fetches stylesheets) in documents made by DOMParser, where a browser's are inert;
// - `nodeName` is an accessor on each node class and Node.prototype's own returns "", while DOMPurify reads
//   Node.prototype's (a browser's single accessor dispatches on the node): DOMPurify would see every name as "";
// - its NodeIterator does not follow the DOM's "pre-removing steps": when DOMPurify removes the node it is
//   looking at, the iterator loses its place and skips what followed (a <script> after a removed <b> stays).
function liveNodeIterator(root: Node, whatToShow: number) {
  let reference: Node | null = null; // the node last returned
  let before: Node | null = null; // where it was: the node preceding it in tree order when it was returned
  const shown = (n: Node) => ((whatToShow >>> (n.nodeType - 1)) & 1) === 1;
  const following = (n: Node): Node | null => {
    if (n.firstChild) return n.firstChild;
    for (let c: Node | null = n; c && c !== root; c = c.parentNode) if (c.nextSibling) return c.nextSibling;
    return null;
  };
  const lastDescendant = (n: Node): Node => (n.lastChild ? lastDescendant(n.lastChild) : n);
  return {
    nextNode(): Node | null {
      let n: Node | null;
      if (reference === null) n = root;
      else {
        const from = root === reference || root.contains(reference) ? reference : before; // removed: go on from there
        n = from ? following(from) : null;
      }
      while (n && !shown(n)) n = following(n);
      if (n) {
        reference = n;
        before = n.previousSibling ? lastDescendant(n.previousSibling) : n.parentNode;
      }
      return n;
    },
  };
}

/** Patch happy-dom before the file's tests run (a real DOM is left alone). */
export function useBrowserLikeDom(): void {
  beforeAll(() => {
    const happy = (window as unknown as { happyDOM?: { settings: Record<string, unknown> } }).happyDOM;
    if (!happy) return; // a real DOM needs none of this
    happy.settings.disableJavaScriptEvaluation = true;
    happy.settings.disableJavaScriptFileLoading = true;
    happy.settings.disableCSSFileLoading = true;
    const base = Object.getOwnPropertyDescriptor(Node.prototype, "nodeName")?.get;
    Object.defineProperty(Node.prototype, "nodeName", {
      configurable: true,
      get(this: Node) {
        for (let p = Object.getPrototypeOf(this); p && p !== Node.prototype; p = Object.getPrototypeOf(p)) {
          const own = Object.getOwnPropertyDescriptor(p, "nodeName")?.get;
          if (own) return own.call(this);
        }
        return base ? base.call(this) : "";
      },
    });
    // (happy-dom's window.Document is not the class of `document`: patch where the method really lives)
    let docProto = Object.getPrototypeOf(document);
    while (docProto && !Object.prototype.hasOwnProperty.call(docProto, "createNodeIterator")) {
      docProto = Object.getPrototypeOf(docProto);
    }
    Object.defineProperty(docProto ?? Object.getPrototypeOf(document), "createNodeIterator", {
      configurable: true,
      writable: true,
      value: (root: Node, whatToShow = 0xffffffff) => liveNodeIterator(root, whatToShow),
    });
  });
}
