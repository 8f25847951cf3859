/**
 * "Classifier (from weights)": the classifier rows' NC2 numbers, their norms as a small bar list, the
 * bias spread and the K x K cosines of the centred rows. Needs no data: shown first in the panel.
 */
import type { AnalysisResult } from '../../../src/core/result';
import { renderHeatmap } from '../../charts/heatmap';
import { h } from '../../common/dom';
import { formatExact, formatShort } from '../../common/format';
import { classifierCardModel, type RowNormBar } from '../data/classifierCard';
import { chartCard } from './chartCard';
import type { ViewContext } from './context';

const TITLE = 'Classifier (from weights)';

function rowNormList(bars: RowNormBar[]): HTMLElement {
  const list = h('ul', { className: 'cl-classifier-norms', attrs: { 'aria-label': 'Centred row norms ‖w_c − w̄‖' } });
  for (const bar of bars) {
    // A <meter> draws the bar without inline styles (the panel's CSP allows none).
    const meter = h('meter', { attrs: { min: '0', max: '1', value: String(bar.fraction), 'aria-label': `${bar.name}: ${formatExact(bar.value)}` } });
    list.append(h('li', { attrs: { title: `‖w_c − w̄‖ = ${formatExact(bar.value)}` } }, [h('span', { className: 'cl-classifier-norm-name', text: bar.name }), meter, h('span', { className: 'cl-classifier-norm-value', text: formatShort(bar.value) })]));
  }
  return list;
}

export function classifierView(context: ViewContext, result: AnalysisResult): HTMLElement {
  const model = classifierCardModel(result);
  const section = h('section', { className: 'cl-card cl-classifier-card', attrs: { 'aria-label': TITLE, 'data-testid': 'classifier-card' } }, [
    h('div', { className: 'cl-card-header' }, [h('h3', { text: TITLE })]),
  ]);
  if (model.kind === 'none') {
    section.append(h('p', { className: 'cl-note cl-classifier-none', text: `No classifier: ${model.reason}.` }));
    return section;
  }
  section.append(h('p', { className: 'cl-note', text: `${model.shape}; rows centred by their mean. 0 everywhere = a simplex ETF.` }));
  const facts = h('dl', { className: 'cl-facts cl-classifier-numbers' });
  for (const n of model.numbers) {
    const title = n.unavailable ? `Not computed: ${n.unavailable}` : `${formatExact(n.value)}: ${n.hint}`;
    facts.append(h('div', { className: `cl-fact cl-classifier-${n.id}`, attrs: { title } }, [h('dt', { text: n.label }), h('dd', { text: formatShort(n.value) })]));
  }
  const bias = model.bias;
  const biasText = bias === undefined ? 'not recorded' : bias === null ? 'no bias term' : `mean ${formatShort(bias.mean)}, std ${formatShort(bias.std)}, range [${formatShort(bias.min)}, ${formatShort(bias.max)}]`;
  facts.append(h('div', { className: 'cl-fact cl-classifier-bias', attrs: { title: 'Spread of the bias b over the classes (population std)' } }, [h('dt', { text: 'Bias' }), h('dd', { text: biasText })]));
  section.append(facts);
  const parts: HTMLElement[] = [];
  if (model.rowNorms) parts.push(h('div', { className: 'cl-classifier-norms-box' }, [h('h4', { text: 'Row norms ‖w_c − w̄‖' }), rowNormList(model.rowNorms)]));
  const heatmap = model.heatmap;
  if (heatmap) {
    parts.push(
      chartCard(context, {
        title: heatmap.title,
        exportId: heatmap.id,
        height: (width) => Math.round(Math.min(Math.max(width - 110, 180), 360)),
        draw: (container, size) => renderHeatmap(container, heatmap, size, context.theme, { tooltip: context.tooltip }),
      }),
    );
  }
  if (parts.length > 0) section.append(h('div', { className: 'cl-classifier-parts' }, parts));
  if (model.note) section.append(h('p', { className: 'cl-note', text: model.note }));
  return section;
}
