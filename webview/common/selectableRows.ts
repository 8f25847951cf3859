/**
 * Table rows that each pick something (a layer, an aligned row): a click, Enter or Space picks the row,
 * and ArrowUp/ArrowDown move a single tab stop between the rows (a roving tabindex), so a long table is
 * one Tab stop rather than one per row.
 */
import { h } from './dom';

export class SelectableRows {
  private readonly rows: HTMLTableRowElement[] = [];

  /** `tabStopIndex`: the row that holds the tab stop at first (the selected one, else the first). */
  constructor(private readonly tabStopIndex: number) {}

  /** The next row, empty: the caller appends its cells and puts it in the table body. */
  add(selected: boolean, title: string, pick: () => void): HTMLTableRowElement {
    const i = this.rows.length;
    const tr = h('tr', {
      className: selected ? 'selected' : '',
      attrs: { tabindex: i === this.tabStopIndex ? '0' : '-1', 'aria-selected': String(selected), title },
    });
    tr.addEventListener('click', () => pick());
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        pick();
        return;
      }
      const delta = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
      const next = this.rows[i + delta];
      if (delta === 0 || !next) return;
      event.preventDefault();
      this.rows.forEach((r) => r.setAttribute('tabindex', '-1'));
      next.setAttribute('tabindex', '0');
      next.focus();
    });
    this.rows.push(tr);
    return tr;
  }
}
