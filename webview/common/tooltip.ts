/**
 * One tooltip for the whole panel, shown on hover and on keyboard focus. It is a role="tooltip" element
 * (screen readers read it through aria-describedby on the focused mark) positioned with CSSOM styles.
 */
import type { TooltipContent } from '../charts/types';
import { clear, h } from './dom';

export interface Tooltip {
  /** Shows the content near a point given in client (viewport) coordinates. */
  show(content: TooltipContent, clientX: number, clientY: number): void;
  hide(): void;
  readonly id: string;
}

export function createTooltip(parent: HTMLElement = document.body): Tooltip {
  const id = 'cl-tooltip';
  const el = h('div', { className: 'cl-tooltip', attrs: { id, role: 'tooltip', 'aria-hidden': 'true' } });
  parent.append(el);
  const place = (clientX: number, clientY: number): void => {
    const gap = 14;
    const box = el.getBoundingClientRect();
    const viewW = document.documentElement.clientWidth;
    const viewH = document.documentElement.clientHeight;
    let left = clientX + gap;
    let top = clientY + gap;
    if (left + box.width > viewW - 4) left = Math.max(4, clientX - gap - box.width);
    if (top + box.height > viewH - 4) top = Math.max(4, clientY - gap - box.height);
    el.style.setProperty('left', `${left + window.scrollX}px`);
    el.style.setProperty('top', `${top + window.scrollY}px`);
  };
  return {
    id,
    show(content, clientX, clientY) {
      clear(el);
      el.append(h('div', { className: 'cl-tooltip-title', text: content.title }));
      const table = h('div', { className: 'cl-tooltip-rows' });
      for (const row of content.rows) {
        table.append(h('span', { className: 'cl-tooltip-label', text: row.label }), h('span', { className: 'cl-tooltip-value', text: row.value }));
      }
      el.append(table);
      el.classList.add('visible');
      el.setAttribute('aria-hidden', 'false');
      place(clientX, clientY);
    },
    hide() {
      el.classList.remove('visible');
      el.setAttribute('aria-hidden', 'true');
    },
  };
}
