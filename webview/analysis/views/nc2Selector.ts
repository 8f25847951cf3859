/**
 * The NC2 chart's selector of which NC2 number to plot (ETF distance, equinorm, ...), the same in the
 * analysis panel's overview and in the compare panel's run and trajectory charts.
 */
import { NC2_METRICS, type Nc2Metric } from '../data/overview';
import { segmented } from './chartCard';

export function nc2Selector(current: Nc2Metric, onChange: (metric: Nc2Metric) => void): HTMLElement {
  return segmented(
    'NC2 number',
    NC2_METRICS.map((m) => ({ id: m.id, label: m.label, title: m.meaning })),
    current,
    onChange,
  );
}
