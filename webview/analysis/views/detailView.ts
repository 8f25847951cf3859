/**
 * The per-layer detail: cosine matrix beside the ideal ETF, CDNV heatmap with the most confused pairs,
 * per-class variability, the 2-D projection and, at the classifier's input, NC3/NC4 and the classifier's
 * own ETF numbers.
 */
import type { AnalysisResult, LayerResult, SplitName } from '../../../src/core/result';
import type { LayerMatrixField } from '../../../src/protocol/webview';
import { renderBarChart } from '../../charts/barChart';
import { renderHeatmap } from '../../charts/heatmap';
import { RASTER_MIN_CLASSES } from '../../charts/gridLookup';
import { renderScatter } from '../../charts/scatter';
import type { HeatmapSpec } from '../../charts/types';
import { button, h } from '../../common/dom';
import { formatExact, formatPercent, formatShort } from '../../common/format';
import {
  cdnvHeatmap,
  classifierFacts,
  classNames,
  cosineHeatmap,
  detailSplit,
  findClass,
  idealEtfHeatmap,
  mostConfusedPairs,
  projectionScatter,
  type ConfusedPair,
  variabilityBars,
  layerMatrix,
  worstEtfDeviation,
  type ClassifierFacts,
} from '../data/layerDetail';
import { layerNamer } from '../../../src/core/layerNames';
import { describeLayer, layerDepth, resultSplits } from '../data/overview';
import { chartCard, segmented } from './chartCard';
import type { ViewContext } from './context';
import { lowRankNc1Reason, lowRankOf } from '../../../src/core/lowRankNc1';

/** Pairs outlined and listed; with a bitmap heatmap (K > 40) the list carries the detail, so it is longer. */
const confusedPairsShown = (k: number): number => (k > RASTER_MIN_CLASSES ? 10 : 5);

export interface DetailPrefs {
  split: SplitName;
  /** True when the layer was picked (not the default shown before any pick). */
  explicit: boolean;
  setSplit(split: SplitName): void;
  /** What to say for a matrix the host holds back (loading, or why it cannot be had); null when not held. */
  heldNote(field: LayerMatrixField, split: SplitName): string | null;
}

/** Above this many classes a heatmap takes a whole row of the grid, so its cells stay visible. */
const WIDE_HEATMAP_CLASSES = 20;

function heatmapHeight(k: number): (width: number) => number {
  // Room for the row labels and colour bar beside the square, the slanted column labels below it.
  return (width) => Math.round(Math.min(Math.max(width - 110, 200), k > WIDE_HEATMAP_CLASSES ? 760 : 480));
}

/**
 * A card for a chart the result cannot draw: why it is not computed, or not in the result. `held`: a
 * matrix the host kept back (heldMatrices.ts), which is in the result: its note (loading, or why the host
 * could not send it) is shown instead, never "not computed", on as wide a card as the heatmap will take.
 */
function unavailableCard(title: string, layer: LayerResult, split: SplitName, metric: string, held?: { note: string | null; k: number }): HTMLElement {
  const reason = layer.metrics[split]?.unavailable?.[metric];
  const heldNote = held?.note ?? null;
  const text = heldNote ?? (reason ? `Not computed: ${reason}` : `Not in this result for the ${split} split.`);
  const heldClass = heldNote === null ? '' : held!.k > WIDE_HEATMAP_CLASSES ? ' cl-card-held cl-card-wide' : ' cl-card-held';
  return h('section', { className: `cl-card cl-card-empty${heldClass}`, attrs: { 'aria-label': title } }, [
    h('div', { className: 'cl-card-header' }, [h('h3', { text: title })]),
    h('p', { className: 'cl-note', text, attrs: heldNote !== null ? { role: 'status', 'aria-live': 'polite' } : {} }),
  ]);
}

function heatmapCard(context: ViewContext, spec: HeatmapSpec, footer?: HTMLElement): HTMLElement {
  return chartCard(context, {
    title: spec.title,
    exportId: spec.id,
    height: heatmapHeight(spec.rowLabels.length),
    draw: (container, size) => renderHeatmap(container, spec, size, context.theme, { tooltip: context.tooltip }),
    footer,
    className: spec.rowLabels.length > WIDE_HEATMAP_CLASSES ? 'cl-card-wide' : undefined,
  });
}

/** A numbered list of class pairs with their values, under a heading. */
function pairsFooter(heading: string, names: string[], pairs: ConfusedPair[]): HTMLElement {
  const list = h('ol', { className: 'cl-pairs' });
  for (const p of pairs) {
    list.append(
      h('li', {}, [
        h('span', { className: 'cl-pair-names', text: `${names[p.a]} ↔ ${names[p.b]}` }),
        h('span', { className: 'cl-pair-value', text: formatShort(p.value), attrs: { title: formatExact(p.value) } }),
      ]),
    );
  }
  return h('div', { className: 'cl-card-footer' }, [h('h4', { text: heading }), list]);
}

function confusedPairsList(result: AnalysisResult, layer: LayerResult, split: SplitName): HTMLElement {
  const pairs = mostConfusedPairs(layerMatrix(layer, split, 'cdnvMatrix'), confusedPairsShown(result.classes.count));
  return pairsFooter('Most confused pairs (highest CDNV, outlined above)', classNames(result), pairs);
}

/**
 * With a bitmap heatmap (K > 40) no cell carries its value: the pairs whose centred means point the most
 * alike (highest cosine, i.e. farthest above the ETF's −1/(K−1)) are listed under it.
 */
function closestMeansList(result: AnalysisResult, layer: LayerResult, split: SplitName): HTMLElement | undefined {
  if (result.classes.count <= RASTER_MIN_CLASSES) return undefined;
  const pairs = mostConfusedPairs(layerMatrix(layer, split, 'meanCosines'), confusedPairsShown(result.classes.count));
  if (pairs.length === 0) return undefined;
  return pairsFooter('Most similar class means (highest cosine)', classNames(result), pairs);
}

/** A search box over the class names (with the names as suggestions); `onPick` gets the class found, or null. */
function classSearch(names: string[], onPick: (group: number | null) => void): HTMLElement {
  const listId = `cl-class-names-${++searchCounter}`;
  const datalist = h('datalist', { attrs: { id: listId } }, names.map((n) => h('option', { attrs: { value: n } })));
  const input = h('input', {
    className: 'cl-class-search',
    attrs: { type: 'search', list: listId, placeholder: 'Find a class…', 'aria-label': 'Find a class in the projection', 'data-focus-key': 'class-search' },
  });
  const status = h('span', { className: 'cl-hint', attrs: { role: 'status', 'aria-live': 'polite' } });
  input.addEventListener('input', () => {
    const found = findClass(names, input.value);
    status.textContent = input.value.trim() === '' ? '' : found === null ? 'no class matches' : `showing ${names[found]}`;
    onPick(found);
  });
  return h('div', { className: 'cl-card-controls cl-class-search-row' }, [input, datalist, status]);
}

let searchCounter = 0;

function etfDeviationNote(result: AnalysisResult, layer: LayerResult, split: SplitName): HTMLElement | undefined {
  const worst = worstEtfDeviation(layerMatrix(layer, split, 'meanCosines'));
  if (!worst) return undefined;
  const names = classNames(result);
  return h('div', { className: 'cl-card-footer' }, [
    h('p', {
      className: 'cl-note',
      text: `Farthest pair from the ETF angle: ${names[worst.row]} ↔ ${names[worst.col]}, |cos − ideal| = ${formatShort(worst.value)}.`,
    }),
  ]);
}

function classifierCard(facts: ClassifierFacts, layerName: string): HTMLElement {
  const valueCell = (v: number | null, percent = false): HTMLElement =>
    h('td', { className: 'cl-num', text: percent ? formatPercent(v, 2) : formatShort(v), attrs: { title: formatExact(v) } });
  const collapse = h('table', { className: 'cl-mini-table' }, [
    h('tbody', {}, [
      h('tr', {}, [h('th', { text: 'NC3 self-duality', attrs: { scope: 'row', title: '‖Wᵀ/‖W‖ − M̃/‖M̃‖‖²_F (0 = classifier rows aligned with the class means)' } }), valueCell(facts.nc3)]),
      h('tr', {}, [h('th', { text: 'NC4 disagreement, train', attrs: { scope: 'row', title: 'Share of samples where the network and the nearest-class-centre rule disagree' } }), valueCell(facts.nc4Train, true)]),
      ...(facts.hasTest
        ? [h('tr', {}, [h('th', { text: 'NC4 disagreement, test', attrs: { scope: 'row', title: 'Held-out split, with the training class means' } }), valueCell(facts.nc4Test, true)])]
        : []),
    ]),
  ]);
  const etf = h('table', { className: 'cl-mini-table' }, [
    h('thead', {}, [h('tr', {}, [h('th', { text: 'ETF number (0 = simplex ETF)' }), h('th', { className: 'cl-num', text: 'Class means' }), h('th', { className: 'cl-num', text: 'Classifier rows' })])]),
    h(
      'tbody',
      {},
      facts.etf.map((row) => h('tr', {}, [h('th', { text: row.label, attrs: { scope: 'row' } }), valueCell(row.means), valueCell(row.weights)])),
    ),
  ]);
  const card = h('section', { className: 'cl-card cl-card-classifier', attrs: { 'aria-label': 'Classifier' } }, [
    h('div', { className: 'cl-card-header' }, [h('h3', { text: 'Classifier (this layer feeds it)' })]),
    h('p', { className: 'cl-note', text: `The last linear layer reads ${layerName}; NC3 and NC4 are measured here.` }),
    collapse,
    etf,
  ]);
  if (facts.unavailable.length > 0) card.append(h('p', { className: 'cl-note', text: `Not computed: ${facts.unavailable.join('; ')}` }));
  return card;
}

export function detailView(context: ViewContext, result: AnalysisResult, layer: LayerResult | null, prefs: DetailPrefs): HTMLElement {
  const section = h('section', { className: 'cl-section cl-detail', attrs: { 'aria-labelledby': 'cl-detail-heading' } });
  if (!layer) {
    section.append(h('h2', { text: 'Layer detail', attrs: { id: 'cl-detail-heading' } }), h('p', { className: 'cl-hint', text: 'No layer has finished yet.' }));
    return section;
  }
  const index = result.layers.indexOf(layer);
  const splits = resultSplits(result);
  const split = detailSplit(result, prefs.split);
  const isClassifierInput = result.classifier?.input === layer.name;
  const rank = layer.metrics[split]?.nc1Rank;
  const shortName = layerNamer(result.layers.map((l) => l.name))(layer.name);
  // The heading names the layer as the charts and the table do; the full tensor name follows it.
  const meta = [shortName === layer.name ? null : layer.name, describeLayer(layer), rank === null || rank === undefined ? null : `Σ_B rank used ${rank} of ${result.classes.count - 1}`].filter((s): s is string => s !== null).join(' · ');
  const heading = h('div', { className: 'cl-detail-heading' }, [
    h('h2', { attrs: { id: 'cl-detail-heading' } }, [`Layer #${layerDepth(layer, index)} `, h('code', { text: shortName, attrs: { title: layer.name, 'data-layer': layer.name } })]),
    h('span', { className: 'cl-subtitle', text: meta }),
  ]);
  if (isClassifierInput) heading.append(h('span', { className: 'cl-chip', text: 'classifier input' }));
  const lowRank = lowRankOf(layer.metrics[split], result.classes.count);
  if (lowRank !== null) heading.append(h('span', { className: 'cl-chip cl-chip-low-rank', text: 'low-rank NC1', attrs: { title: `${lowRankNc1Reason(lowRank, result.classes.count)}.`, role: 'note' } }));
  section.append(heading);
  const toolbar = h('div', { className: 'cl-detail-toolbar' });
  if (splits.length > 1) {
    toolbar.append(
      h('span', { className: 'cl-label', text: 'Split:' }),
      segmented(
        'Split shown in the layer detail',
        splits.map((s) => ({ id: s, label: s === 'train' ? 'Train' : 'Held-out test' })),
        split,
        prefs.setSplit,
      ),
    );
  }
  if (!prefs.explicit)
    toolbar.append(h('span', { className: 'cl-hint', text: isClassifierInput ? "Showing the classifier's input layer; pick another in the charts or the table." : 'Showing the deepest layer; pick another in the charts or the table.' }));
  if (index > 0 || index < result.layers.length - 1) {
    const nav = h('div', { className: 'cl-layer-nav' });
    const prev = result.layers[index - 1];
    const next = result.layers[index + 1];
    if (prev) nav.append(button('← Shallower', () => context.selectLayer(prev.name), { className: 'cl-secondary', attrs: { title: prev.name, 'data-focus-key': 'layer-prev' } }));
    if (next) nav.append(button('Deeper →', () => context.selectLayer(next.name), { className: 'cl-secondary', attrs: { title: next.name, 'data-focus-key': 'layer-next' } }));
    toolbar.append(nav);
  }
  section.append(toolbar);

  const grid = h('div', { className: 'cl-grid cl-grid-detail' });
  const cosine = cosineHeatmap(result, layer, split);
  grid.append(cosine ? heatmapCard(context, cosine, closestMeansList(result, layer, split)) : unavailableCard('Cosines of the centred class means', layer, split, 'meanCosines', { note: prefs.heldNote('meanCosines', split), k: result.classes.count }));
  const ideal = idealEtfHeatmap(result);
  if (ideal) grid.append(heatmapCard(context, ideal, etfDeviationNote(result, layer, split)));
  const cdnv = cdnvHeatmap(result, layer, split, confusedPairsShown(result.classes.count));
  grid.append(cdnv ? heatmapCard(context, cdnv, confusedPairsList(result, layer, split)) : unavailableCard('CDNV between classes', layer, split, 'cdnvMatrix', { note: prefs.heldNote('cdnvMatrix', split), k: result.classes.count }));
  const bars = variabilityBars(result, layer);
  if (bars) {
    grid.append(
      chartCard(context, {
        title: bars.title,
        exportId: bars.id,
        height: () => Math.min(900, Math.max(220, 70 + bars.labels.length * (bars.series.length * 9 + 10))),
        draw: (container, size) => renderBarChart(container, bars, size, context.theme, { tooltip: context.tooltip }),
      }),
    );
  } else grid.append(unavailableCard('Within-class variability per class', layer, split, 'classVariability'));
  const projection = projectionScatter(result, layer, split);
  if (projection) {
    const axes = 'Axes: the top two principal directions of the centred class means; large dots are the means, small ones sampled points.';
    const cdnvHeld = prefs.heldNote('cdnvMatrix', projection.split);
    const featured = !projection.spec.featured
      ? ''
      : cdnvHeld !== null
        ? ` In colour for now: the first ${projection.spec.featured.length} classes, until the CDNV matrix picks the most confused pairs; the others in grey. Search a class to pick it out. ${cdnvHeld}`
        : ` In colour: the ${projection.spec.featured.length} classes of the most confused pairs (by CDNV); the others in grey. Search a class to pick it out.`;
    const note = (projection.split !== split ? `${axes} Only the training split has a projection in this result; it is shown.` : axes) + featured;
    let highlight: number | null = null;
    let redraw = (): void => undefined;
    const search = projection.spec.featured
      ? classSearch(projection.spec.groupLabels, (group) => {
          highlight = group;
          redraw();
        })
      : undefined;
    grid.append(
      chartCard(context, {
        title: `${projection.spec.title} (${projection.split})`,
        exportId: projection.spec.id,
        height: (width) => Math.round(Math.min(Math.max(width * 0.72, 280), 520)),
        draw: (container, size) => renderScatter(container, { ...projection.spec, highlight }, size, context.theme, { tooltip: context.tooltip }),
        controls: search,
        bindRedraw: (r) => (redraw = r),
        note,
      }),
    );
  } else grid.append(unavailableCard('2-D projection of the class means', layer, 'train', 'projection'));
  const facts = classifierFacts(result, layer);
  if (facts) grid.append(classifierCard(facts, layer.name));
  section.append(grid);
  return section;
}
