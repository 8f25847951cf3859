/**
 * The bar above the charts: the series legend as toggle buttons (a click hides or shows a run, or picks
 * a layer of a trajectory) and the train / held-out switch. It sticks to the top while the charts scroll.
 */
import type { SplitName } from '../../../src/core/result';
import { button, h } from '../../common/dom';
import { segmented } from '../../analysis/views/chartCard';
import { swatch } from './swatch';

export interface ToggleItem {
  key: string;
  label: string;
  title: string;
  color: string;
  dashed: boolean;
  pressed: boolean;
  onToggle(): void;
}

export function toggleList(label: string, items: readonly ToggleItem[], background: string): HTMLElement {
  const list = h('div', { className: 'cl-legend-items', attrs: { role: 'group', 'aria-label': label } });
  for (const item of items) {
    const b = button('', item.onToggle, {
      className: 'cl-legend-item',
      attrs: { 'aria-pressed': String(item.pressed), title: item.title, 'data-focus-key': `legend-${item.key}` },
    });
    b.append(swatch(item.color, item.dashed, background), h('span', { className: 'cl-legend-label', text: item.label }));
    list.append(b);
  }
  return list;
}

export function splitSwitch(current: SplitName, available: boolean, onChange: (split: SplitName) => void): HTMLElement {
  if (!available) return h('span', { className: 'cl-hint cl-inline-hint', text: 'Training split (no held-out split in these results)' });
  return segmented(
    'Split',
    [
      { id: 'train', label: 'Training split', title: 'Metrics on the training data' },
      { id: 'test', label: 'Held-out split', title: 'Metrics on the held-out data (NCC uses the training means)' },
    ],
    current,
    onChange,
  );
}

export function legendBar(title: string, items: HTMLElement, extras: HTMLElement[]): HTMLElement {
  return h('div', { className: 'cl-legend-bar', attrs: { role: 'region', 'aria-label': `${title} and split` } }, [
    h('span', { className: 'cl-label cl-legend-title', text: title }),
    items,
    h('div', { className: 'cl-legend-extras' }, extras),
  ]);
}
