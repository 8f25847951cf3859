/**
 * A tiny element builder: the panels build their chrome with it and leave the charts to d3.
 * Inline styles are never written as attributes (the CSP has no 'unsafe-inline'); classes carry the look.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (options.className) el.className = options.className;
  if (options.text !== undefined) el.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) el.setAttribute(name, value);
  for (const child of children) el.append(child);
  return el;
}

export function button(label: string, onClick: () => void, options: ElementOptions = {}): HTMLButtonElement {
  const el = h('button', { ...options, text: label, attrs: { type: 'button', ...(options.attrs ?? {}) } });
  el.addEventListener('click', onClick);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}
