/**
 * The compare panel's tables: one summary line per run (or epoch), and the per-layer differences,
 * largest change first, coloured by the direction of collapse.
 */
import type { CompareResult } from '../../../src/core/compare/compareResult';
import type { RunSummary } from '../../../src/core/compare/summary';
import { button, h } from '../../common/dom';
import { formatExact, formatShort } from '../../common/format';
import { SelectableRows } from '../../common/selectableRows';
import { changeName, formatSigned } from '../data/compareCharts';
import { changeCaption, differenceRows, TABLE_METRICS, type ChangeDirection } from '../data/differences';
import { SUMMARY_COLUMNS, summaryCells, summaryLine } from '../data/summaries';
import { swatch } from './swatch';
import { LOW_RANK_MARK } from '../../../src/core/lowRankNc1';
import { layerNamer, shortLayerName } from '../../../src/core/layerNames';

const LOW_RANK_NC1_CHANGE =
  `${LOW_RANK_MARK} The first or the last run's NC1 here is low-rank (Σ_B rank < K−1: the layer is narrower than K−1 or class means coincide), so this change does not show a change in collapse.`;

export interface SummaryRowHead {
  label: string;
  /** A swatch of the run's series. */
  color?: string;
  dashed?: boolean;
  /** Opens the run's own analysis panel. */
  open?: () => void;
  title?: string;
}

function th(text: string, title: string, numeric: boolean): HTMLTableCellElement {
  return h('th', { className: numeric ? 'cl-num' : '', text, attrs: { scope: 'col', title } });
}

export function summaryTable(caption: string, heads: readonly SummaryRowHead[], summaries: readonly RunSummary[], background: string): HTMLElement {
  const headRow = h('tr', {}, [th(caption, '', false), ...SUMMARY_COLUMNS.map((c) => th(c.label, c.title, c.numeric))]);
  const body = h('tbody');
  summaries.forEach((summary, i) => {
    const head = heads[i] ?? { label: summary.label };
    const name = h('th', { className: 'cl-run-name', attrs: { scope: 'row', 'aria-label': summaryLine(summary) } });
    if (head.color) name.append(swatch(head.color, head.dashed ?? false, background));
    name.append(
      head.open
        ? button(head.label, head.open, { className: 'cl-link', attrs: { title: head.title ?? `Open the analysis of ${head.label}`, 'data-focus-key': `open-run-${i}` } })
        : h('span', { text: head.label, attrs: head.title ? { title: head.title } : {} }),
    );
    const cells = summaryCells(summary);
    const tr = h('tr', {}, [name]);
    for (const c of SUMMARY_COLUMNS) tr.append(h('td', { className: c.numeric ? 'cl-num' : 'cl-name-cell', text: cells[c.id] }));
    body.append(tr);
  });
  return h('div', { className: 'cl-table-wrap' }, [h('table', { className: 'cl-table cl-compare-table cl-summary-table', attrs: { 'aria-label': caption } }, [h('thead', {}, [headRow]), body])]);
}

const DIRECTION_WORDS: Record<ChangeDirection, string> = {
  collapse: 'toward collapse',
  spread: 'away from collapse',
  none: 'no change',
};

export interface DifferencesOptions {
  selectedKey: string | null;
  selectRow(key: string): void;
  exportCsv(): void;
}

export function differencesSection(comparison: CompareResult, options: DifferencesOptions): HTMLElement {
  const relative = comparison.alignment === 'relative-depth';
  const last = comparison.runs[comparison.runs.length - 1]?.label ?? 'the last run';
  const headRow = h('tr', {}, [
    th('#', 'Rank by the largest change of any compared metric', true),
    th(relative ? `Layer (${comparison.runs[0]?.label ?? 'first run'})` : 'Layer', relative ? "The first run's layer at this relative depth" : 'Layer name', false),
  ]);
  if (relative) headRow.append(th('Rel. depth', 'Relative depth (0 = first probe, 1 = last)', true), th('Aligned layers', "Each run's layer nearest this relative depth", false));
  for (const m of TABLE_METRICS) headRow.append(th(changeName(m), `${changeName(m)}: ${last} against ${comparison.runs[0]?.label ?? 'the first run'} (training split)`, true));
  headRow.append(th('max |Δ|', 'Largest absolute change over all compared metrics (NC2 numbers included): the sort key', true));

  const rows = differenceRows(comparison);
  // Layers by their short names (src/core/layerNames.ts), the full tensor name in the cell's tooltip.
  const shortName = layerNamer(comparison.rows.map((r) => r.key));
  const body = h('tbody');
  const selectable = new SelectableRows(Math.max(0, rows.findIndex((r) => r.key === options.selectedKey)));
  rows.forEach((row, i) => {
    const tr = selectable.add(row.key === options.selectedKey, 'Mark this layer in the charts', () => options.selectRow(row.key));
    tr.append(h('td', { className: 'cl-num', text: String(i + 1) }), h('td', { className: 'cl-name', text: shortName(row.key), attrs: { title: row.key, 'data-layer': row.key } }));
    if (relative) {
      tr.append(
        h('td', { className: 'cl-num', text: formatShort(row.relativeDepth) }),
        h('td', { className: 'cl-aligned-layers' }, row.layers.map((l, r) => h('div', { text: `${comparison.runs[r]?.label ?? `run ${r + 1}`}: ${l === null ? 'n/a' : shortLayerName(l)}`, attrs: l === null ? {} : { title: l } }))),
      );
    }
    for (const cell of row.cells) {
      const title = `${changeName(cell.metric)} = ${formatExact(cell.value)} (${DIRECTION_WORDS[cell.direction]} in ${last})`;
      tr.append(
        h('td', {
          className: `cl-num cl-delta cl-delta-${cell.direction}${cell.lowRank ? ' cl-low-rank' : ''}`,
          text: formatSigned(cell.value) + (cell.lowRank ? LOW_RANK_MARK : ''),
          attrs: { title: cell.lowRank ? `${title}. ${LOW_RANK_NC1_CHANGE}` : title },
        }),
      );
    }
    tr.append(h('td', { className: 'cl-num cl-score', text: formatShort(row.score) }));
    body.append(tr);
  });
  const table = h('table', { className: 'cl-table cl-compare-table cl-differences-table', attrs: { 'aria-label': 'Per-layer differences, largest first' } }, [h('thead', {}, [headRow]), body]);
  const key = h('p', { className: 'cl-hint cl-delta-key' }, [
    h('span', { className: 'cl-delta cl-delta-collapse cl-delta-sample', text: 'toward collapse' }),
    ' NC1, CDNV or ETF distance lower, NCC accuracy higher in ',
    h('strong', { text: last }),
    ' · ',
    h('span', { className: 'cl-delta cl-delta-spread cl-delta-sample', text: 'away from collapse' }),
    ' the opposite.',
  ]);
  return h('section', { className: 'cl-section', attrs: { 'aria-labelledby': 'cl-differences-heading', 'data-focus-group': 'differences-table' } }, [
    h('div', { className: 'cl-section-heading' }, [
      h('h2', { text: 'Largest changes by layer', attrs: { id: 'cl-differences-heading' } }),
      button('Export CSV', options.exportCsv, { className: 'cl-small-button', attrs: { title: 'Save the differences (every compared metric, full precision) as CSV', 'data-focus-key': 'table-csv' } }),
    ]),
    h('p', { className: 'cl-hint', text: `${changeCaption(comparison)} Click a row (or focus it and press Enter) to mark that layer in the charts.` }),
    key,
    h('div', { className: 'cl-table-wrap' }, [table]),
  ]);
}
