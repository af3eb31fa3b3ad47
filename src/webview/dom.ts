// A tiny DOM builder for the webview: elements from tag, attributes and children, text always
// through text nodes. There is no path from a string to markup here (no innerHTML anywhere).

/** Attributes of `h`: `id`, `class`, `testid` (→ data-testid) and any other plain attribute. */
export type Attrs = Record<string, string | number | boolean | undefined>;

/** A child: an element, or text (numbers are stringified); null/undefined/false are skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    const name = k === 'class' ? 'class' : k === 'testid' ? 'data-testid' : k;
    if (name.toLowerCase().startsWith('on') || name.toLowerCase() === 'style') throw new Error(`h(): refusing attribute ${name}`);
    e.setAttribute(name, v === true ? '' : String(v));
  }
  append(e, ...children);
  return e;
}

/** Appends children (text as text nodes). */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Removes every child of `e`. */
export function clear(e: Node): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
