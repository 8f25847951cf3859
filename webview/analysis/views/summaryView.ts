/**
 * The summary facts (with layer links that select the layer), the conventions note and the warnings.
 */
import type { AnalysisResult } from '../../../src/core/result';
import { layerNamer } from '../../../src/core/layerNames';
import { button, h } from '../../common/dom';
import { resultWarnings, summaryFacts } from '../data/summary';

export function summaryView(result: AnalysisResult, complete: boolean, selectLayer: (name: string) => void): HTMLElement {
  const list = h('dl', { className: 'cl-facts' });
  const shortName = layerNamer(result.layers.map((l) => l.name));
  for (const fact of summaryFacts(result, complete)) {
    const value = h('dd', {}, fact.text ? [fact.text] : []);
    if (fact.layer) {
      const layer = fact.layer;
      value.append(
        button(`#${layer.depth} ${shortName(layer.name)}`, () => selectLayer(layer.name), {
          className: 'cl-link',
          attrs: { title: `Show ${layer.name} in the detail below`, 'data-focus-key': `fact-${fact.id}` },
        }),
      );
      if (fact.after) value.append(fact.after);
    }
    list.append(h('div', { className: `cl-fact cl-fact-${fact.id}` }, [h('dt', { text: fact.label }), value]));
  }
  const section = h('section', { className: 'cl-summary', attrs: { 'aria-label': 'Summary' } }, [list]);

  const warnings = resultWarnings(result);
  if (warnings.length > 0) {
    section.append(
      h('div', { className: 'cl-banner cl-banner-warning', attrs: { role: 'note', 'aria-label': 'Warnings' } }, [
        h('strong', { text: warnings.length === 1 ? 'Warning' : `${warnings.length} warnings` }),
        h(
          'ul',
          {},
          warnings.map((w) => h('li', { text: w })),
        ),
      ]),
    );
  }
  if (result.conventions.length > 0) {
    section.append(
      h('p', { className: 'cl-conventions' }, [h('span', { className: 'cl-conventions-label', text: 'Conventions: ' }), result.conventions.join(' · ')]),
    );
  }
  return section;
}
