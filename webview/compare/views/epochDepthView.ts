/**
 * "Collapse across depth": epoch x depth heatmaps of NC1 and NCC accuracy and the effective depth per
 * epoch, the view where collapse is seen travelling from the last layers towards the first.
 */
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';
import type { SplitName } from '../../../src/core/result';
import { renderHeatmap } from '../../charts/heatmap';
import { h } from '../../common/dom';
import { chartCard } from '../../analysis/views/chartCard';
import { epochDepthHeatmap, epochDepthHeatmapHeight, type HeatmapMetric } from '../data/epochDepthHeatmap';
import { effectiveDepthSpec } from '../data/effectiveDepthTrend';
import { greyDeletedEpochs } from '../data/watchStatus';
import { chartGrid } from './charts';
import type { CompareViewContext } from './context';

function heatmapCard(context: CompareViewContext, trajectory: TrajectoryResult, metric: HeatmapMetric, split: SplitName, deletedEpochs: ReadonlySet<number>): HTMLElement {
  const spec = epochDepthHeatmap(trajectory, metric, split, deletedEpochs);
  return chartCard(context, {
    title: spec.title,
    exportId: spec.id,
    height: (width) => epochDepthHeatmapHeight(spec, width),
    draw: (container, size) => renderHeatmap(container, spec, size, context.theme, { tooltip: context.tooltip }),
    note: metric === 'nc1' ? 'Log colour scale; the strongest colour is the lowest NC1 (most collapsed).' : 'Linear colour scale from 0 to 100%; the strongest colour is the highest accuracy.',
  });
}

export function epochDepthSection(context: CompareViewContext, trajectory: TrajectoryResult, split: SplitName, deletedEpochs: ReadonlySet<number>, splitControl: HTMLElement): HTMLElement {
  const grid = chartGrid(context, [{ spec: greyDeletedEpochs(effectiveDepthSpec(trajectory), deletedEpochs), selectable: false }]);
  grid.prepend(heatmapCard(context, trajectory, 'nc1', split, deletedEpochs), heatmapCard(context, trajectory, 'nccAccuracy', split, deletedEpochs));
  return h('section', { className: 'cl-section', attrs: { 'aria-labelledby': 'cl-depth-heading' } }, [
    h('h2', { text: 'Collapse across depth', attrs: { id: 'cl-depth-heading' } }),
    h('p', {
      className: 'cl-hint',
      text: 'One row per epoch, one column per layer from the input to the output. Collapse shows as colour spreading from the last layers towards the first. The effective depth is the first layer whose train NCC error is at most ε; it falls as collapse moves towards the input. Hover a cell for its value.',
    }),
    h('div', { className: 'cl-legend-bar' }, [splitControl]),
    grid,
  ]);
}
