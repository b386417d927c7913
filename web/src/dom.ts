// A tiny element builder. Text is always set as text, never parsed as HTML, so nothing the API
// or a person typed can become markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K];
/** A custom element (the GC Design System's `gcds-*`): attributes as the component documents them. */
export function h(tag: `${string}-${string}`, attrs?: Attrs | null, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs | null = null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      el.className = String(value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let counter = 0;
/** An id unique in the page, for label/aria links. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** The element itself when it takes the focus, or the first thing inside it that does, shadow
 *  roots included (a design-system component draws its input or link in its shadow root). */
export function firstFocusable(el: Element): HTMLElement | null {
  if (el.matches("a[href], button, input, select, textarea")) return el as HTMLElement;
  for (const child of [...Array.from(el.shadowRoot?.children ?? []), ...Array.from(el.children)]) {
    const found = firstFocusable(child);
    if (found) return found;
  }
  return null;
}
