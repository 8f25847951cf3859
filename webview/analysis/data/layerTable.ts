/**
 * The per-layer table: its rows, its columns, sorting, and the CSV export. DOM-free.
 */
import type { AnalysisResult, SplitLayerMetrics, SplitName } from '../../../src/core/result';
import { formatCount, formatPercent, formatShort } from '../../common/format';
import { LOW_RANK_MARK, lowRankNc1Reason, lowRankOf } from '../../../src/core/lowRankNc1';
import { layerDepth, resultSplits } from './overview';
import { layerNamer } from '../../../src/core/layerNames';

export type ColumnId = 'depth' | 'name' | 'op' | 'dim' | 'nc1Train' | 'nc1Test' | 'nccTrain' | 'nccTest' | 'cdnvTrain' | 'etfTrain';

export interface LayerRow {
  depth: number;
  /** The full tensor name: what selecting the row selects, and the cell's tooltip. */
  name: string;
  /** The name as the table shows it (src/core/layerNames.ts, the charts' and the Layers view's rule). */
  shortName: string;
  op: string;
  dim: number;
  nc1Train: number | null;
  nc1Test: number | null;
  nccTrain: number | null;
  nccTest: number | null;
  cdnvTrain: number | null;
  etfTrain: number | null;
  /** Why the train / test NC1 is marked (it is low-rank: Σ_B rank < K−1); null when it is not. */
  nc1TrainCaveat: string | null;
  nc1TestCaveat: string | null;
}

export interface ColumnDef {
  id: ColumnId;
  label: string;
  /** Shown as the header's tooltip. */
  title: string;
  numeric: boolean;
  format(row: LayerRow): string;
  /** Why this row's cell is marked, when it is (shown in the cell's tooltip). */
  caveat?(row: LayerRow): string | null;
}

/** The reason a split's NC1 is marked, or null when it is full rank. */
function nc1Caveat(metrics: SplitLayerMetrics | undefined, classCount: number): string | null {
  const rank = lowRankOf(metrics, classCount);
  return rank === null ? null : `${lowRankNc1Reason(rank, classCount)}.`;
}

/** An NC1 with the low-rank mark after it when it is marked. */
const markedNc1 = (value: number | null, caveat: string | null): string => formatShort(value) + (caveat !== null ? LOW_RANK_MARK : '');

const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function layerRows(result: AnalysisResult): LayerRow[] {
  const shortName = layerNamer(result.layers.map((l) => l.name));
  return result.layers.map((layer, index) => {
    const train = layer.metrics.train;
    const test = layer.metrics.test;
    return {
      depth: layerDepth(layer, index),
      name: layer.name,
      shortName: shortName(layer.name),
      // The reduction beside the op where it is not the plain flatten (cls, mean, gap): the row's D is the reduced width.
      op: layer.reduction && layer.reduction !== 'flatten' ? `${layer.op} · ${layer.reduction}` : layer.op,
      dim: layer.dim,
      nc1Train: num(train.nc1),
      nc1Test: num(test?.nc1),
      nccTrain: num(train.nccAccuracy),
      nccTest: num(test?.nccAccuracy),
      cdnvTrain: num(train.cdnv),
      etfTrain: num(train.etfDistance),
      nc1TrainCaveat: nc1Caveat(train, result.classes.count),
      nc1TestCaveat: nc1Caveat(test, result.classes.count),
    };
  });
}

const ALL_COLUMNS: ColumnDef[] = [
  { id: 'depth', label: '#', title: 'Probe order (0 = shallowest)', numeric: true, format: (r) => String(r.depth) },
  { id: 'name', label: 'Layer', title: 'Layer, by its short name (hover a name for the full tensor name)', numeric: false, format: (r) => r.shortName },
  { id: 'op', label: 'Op', title: 'Operation that produced the tensor', numeric: false, format: (r) => r.op },
  { id: 'dim', label: 'Dim', title: 'Values per sample (D)', numeric: true, format: (r) => formatCount(r.dim) },
  { id: 'nc1Train', label: 'NC1 train', title: 'tr(Σ_W Σ_B⁺)/K on the training split', numeric: true, format: (r) => markedNc1(r.nc1Train, r.nc1TrainCaveat), caveat: (r) => r.nc1TrainCaveat },
  { id: 'nc1Test', label: 'NC1 test', title: 'tr(Σ_W Σ_B⁺)/K on the held-out split', numeric: true, format: (r) => markedNc1(r.nc1Test, r.nc1TestCaveat), caveat: (r) => r.nc1TestCaveat },
  { id: 'nccTrain', label: 'NCC train', title: 'Nearest-class-centre accuracy, training split', numeric: true, format: (r) => formatPercent(r.nccTrain) },
  { id: 'nccTest', label: 'NCC test', title: 'Nearest-class-centre accuracy, held-out split (training means)', numeric: true, format: (r) => formatPercent(r.nccTest) },
  { id: 'cdnvTrain', label: 'CDNV train', title: 'Mean CDNV over class pairs, training split', numeric: true, format: (r) => formatShort(r.cdnvTrain) },
  { id: 'etfTrain', label: 'ETF dist. train', title: 'Distance of the centred class means to a simplex ETF, training split', numeric: true, format: (r) => formatShort(r.etfTrain) },
];

const TEST_COLUMNS: ReadonlySet<ColumnId> = new Set(['nc1Test', 'nccTest']);

/** The columns to show; the test columns only when the result has a held-out split. */
export function tableColumns(result: AnalysisResult): ColumnDef[] {
  const hasTest = resultSplits(result).includes('test');
  return ALL_COLUMNS.filter((c) => hasTest || !TEST_COLUMNS.has(c.id));
}

/** The line under the table that explains the mark, or null when no NC1 is marked. */
export function lowRankTableNote(rows: readonly LayerRow[], classCount: number): string | null {
  const marked = rows.filter((r) => r.nc1TrainCaveat !== null || r.nc1TestCaveat !== null).length;
  if (marked === 0) return null;
  return (
    `${LOW_RANK_MARK} NC1 over rank r < K−1 = ${classCount - 1} of Σ_B at ${marked} layer(s): the layer is narrower than K−1 or class means coincide, ` +
    `so NC1 measures the spread inside an r-dimensional subspace only and a small value does not mean the classes are separated. Hover the value for r.`
  );
}

export type SortDirection = 'ascending' | 'descending';

export interface TableSort {
  column: ColumnId;
  direction: SortDirection;
}

/** Sorted copy; missing values always last, ties kept in depth order. */
export function sortRows(rows: readonly LayerRow[], sort: TableSort): LayerRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = a.row[sort.column];
      const y = b.row[sort.column];
      if (x === null && y === null) return a.i - b.i;
      if (x === null) return 1;
      if (y === null) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((e) => e.row);
}

/** Clicking a header sorts by it; clicking it again flips the direction. Names start A-Z, numbers low-high. */
export function nextSort(current: TableSort | null, column: ColumnId): TableSort {
  if (current && current.column === column)
    return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { column, direction: 'ascending' };
}

const CSV_METRICS: readonly (keyof SplitLayerMetrics)[] = [
  'nc1',
  'nc1Rank',
  'nccAccuracy',
  'cdnv',
  'etfDistance',
  'equinorm',
  'equiangularity',
  'maxAngle',
];

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Every layer with every scalar metric of every split, numbers at full precision (JavaScript's shortest
 * round-trip form), empty where a metric is null. CRLF line ends as RFC 4180 asks; spreadsheets accept it.
 */
export function layerTableCsv(result: AnalysisResult): string {
  const splits: SplitName[] = resultSplits(result);
  const header = ['depth', 'name', 'op', 'shape', 'dim', ...splits.flatMap((s) => CSV_METRICS.map((m) => `${s}_${m}`))];
  const lines = [header.map(csvField).join(',')];
  result.layers.forEach((layer, index) => {
    const cells: (string | number | null)[] = [layerDepth(layer, index), layer.name, layer.op, layer.shape.join('x'), layer.dim];
    for (const split of splits) {
      const metrics = layer.metrics[split];
      for (const m of CSV_METRICS) {
        const v = metrics?.[m];
        cells.push(typeof v === 'number' ? v : null);
      }
    }
    lines.push(cells.map(csvField).join(','));
  });
  return lines.join('\r\n') + '\r\n';
}
