// How the config tree is laid out, as far as the editor's rules need to know it.

/** Tags whose children are laid out (so controls inside count as shown). The renderers live in objects/. */
export const CONTAINERS: ReadonlySet<string> = new Set(["View"]);
