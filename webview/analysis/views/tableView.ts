/**
 * The per-layer table: sortable by any column (click or Enter on a header), a row selects its layer.
 */
import type { AnalysisResult } from '../../../src/core/result';
import { button, h } from '../../common/dom';
import { formatExact } from '../../common/format';
import { SelectableRows } from '../../common/selectableRows';
import { layerRows, lowRankTableNote, nextSort, sortRows, tableColumns, type LayerRow, type TableSort } from '../data/layerTable';

export interface TablePrefs {
  sort: TableSort | null;
  selectedLayer: string | null;
  setSort(sort: TableSort): void;
  selectLayer(name: string): void;
  exportCsv(): void;
}

const EXACT_COLUMNS: ReadonlySet<string> = new Set(['nc1Train', 'nc1Test', 'nccTrain', 'nccTest', 'cdnvTrain', 'etfTrain']);

function lowRankNotes(rows: readonly LayerRow[], classCount: number): HTMLElement[] {
  const note = lowRankTableNote(rows, classCount);
  return note === null ? [] : [h('p', { className: 'cl-note cl-low-rank-note', text: note, attrs: { role: 'note' } })];
}

export function tableView(result: AnalysisResult, prefs: TablePrefs): HTMLElement {
  const columns = tableColumns(result);
  const allRows = layerRows(result);
  const rows = prefs.sort ? sortRows(allRows, prefs.sort) : allRows;
  const headRow = h('tr');
  for (const column of columns) {
    const sorted = prefs.sort?.column === column.id ? prefs.sort.direction : null;
    const arrow = sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : '';
    const th = h('th', { className: column.numeric ? 'cl-num' : '', attrs: { scope: 'col', 'aria-sort': sorted ?? 'none' } }, [
      button(`${column.label}${arrow}`, () => prefs.setSort(nextSort(prefs.sort, column.id)), {
        className: 'cl-sort',
        attrs: { title: `${column.title}. Click to sort.`, 'data-focus-key': `sort-${column.id}` },
      }),
    ]);
    headRow.append(th);
  }
  const body = h('tbody');
  const selectable = new SelectableRows(Math.max(0, rows.findIndex((r) => r.name === prefs.selectedLayer)));
  rows.forEach((row: LayerRow) => {
    const tr = selectable.add(row.name === prefs.selectedLayer, `Show ${row.name} in the layer detail`, () => prefs.selectLayer(row.name));
    for (const column of columns) {
      const td = h('td', { className: column.numeric ? 'cl-num' : column.id === 'name' ? 'cl-name' : '', text: column.format(row) });
      if (column.id === 'name') {
        td.title = row.name;
        td.dataset['layer'] = row.name;
      }
      if (EXACT_COLUMNS.has(column.id)) {
        const v = row[column.id as keyof LayerRow];
        td.title = formatExact(typeof v === 'number' ? v : null);
      }
      const caveat = column.caveat?.(row) ?? null;
      if (caveat !== null) {
        td.classList.add('cl-low-rank');
        td.title = `${td.title}\n${caveat}`;
      }
      tr.append(td);
    }
    body.append(tr);
  });
  const table = h('table', { className: 'cl-table', attrs: { 'aria-label': 'Metrics per layer', 'aria-describedby': 'cl-table-hint' } }, [h('thead', {}, [headRow]), body]);
  return h('section', { className: 'cl-section', attrs: { 'aria-labelledby': 'cl-table-heading', 'data-focus-group': 'layer-table' } }, [
    h('div', { className: 'cl-section-heading' }, [
      h('h2', { text: 'All layers', attrs: { id: 'cl-table-heading' } }),
      button('Export CSV', prefs.exportCsv, { className: 'cl-small-button', attrs: { title: 'Save every metric of every layer as CSV', 'data-focus-key': 'table-csv' } }),
    ]),
    h('p', { className: 'cl-hint', text: 'Click a header to sort; click a row (or focus it and press Enter) to show that layer above.', attrs: { id: 'cl-table-hint' } }),
    h('div', { className: 'cl-table-wrap' }, [table]),
    ...lowRankNotes(allRows, result.classes.count),
  ]);
}
