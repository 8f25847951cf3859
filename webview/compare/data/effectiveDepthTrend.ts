/**
 * The effective depth at each epoch of a trajectory (the first probed layer, in depth order, whose
 * training NCC error is at most ε: src/core/metrics/effective-depth.ts, the one implementation), from the
 * trajectory's own NCC series, as a line chart of the layer's position against epoch. As collapse travels
 * towards the input, the line falls. DOM-free.
 */
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';
import { effectiveDepth, type EffectiveDepth } from '../../../src/core/metrics/effective-depth';
import { layerNamer } from '../../../src/core/layerNames';
import type { LineChartSpec } from '../../charts/types';
import { formatPercent } from '../../common/format';
import { joinNotes } from '../../analysis/data/overview';
import { epochAxis } from './trajectory';

/** effectiveDepth's default, the `collapseLens.effectiveDepthEpsilon` setting's default. */
export const TRAJECTORY_EPSILON = 0.01;

export interface EpochEffectiveDepth extends EffectiveDepth {
  epoch: number;
}

export function effectiveDepthByEpoch(trajectory: TrajectoryResult, epsilon = TRAJECTORY_EPSILON): EpochEffectiveDepth[] {
  return trajectory.epochs.map((epoch, i) => ({
    epoch,
    ...effectiveDepth(
      trajectory.layers.map((name) => ({ name, trainNccAccuracy: trajectory.series[name]?.nccAccuracy.train[i] ?? null })),
      epsilon,
    ),
  }));
}

const listEpochs = (epochs: readonly number[]): string => (epochs.length <= 6 ? epochs.join(', ') : `${epochs.slice(0, 5).join(', ')} and ${epochs.length - 5} more`);

export function effectiveDepthSpec(trajectory: TrajectoryResult, epsilon = TRAJECTORY_EPSILON): LineChartSpec {
  const axis = epochAxis(trajectory.epochs);
  const depths = effectiveDepthByEpoch(trajectory, epsilon);
  const shortName = layerNamer(trajectory.layers);
  const count = trajectory.layers.length;
  const notReached = depths.filter((d) => d.depth === null).map((d) => d.epoch);
  // Each analysis computed its own effective depth with the ε set then; a different layer there means
  // another ε (or other layers): said, so two numbers on screen never silently disagree.
  const differs = depths.filter((d, i) => {
    const own = trajectory.summaries[i]?.effectiveDepth;
    return own !== undefined && own !== d.layer;
  });
  const note = joinNotes(
    notReached.length > 0 ? `Not reached at epoch ${listEpochs(notReached)}: no layer's train NCC error is ≤ ${formatPercent(epsilon)} there (gaps in the line).` : undefined,
    differs.length > 0
      ? `At epoch ${listEpochs(differs.map((d) => d.epoch))} the analysis itself reported another layer (it used its own ε setting, or other layers); the table below shows its value.`
      : undefined,
  );
  const spec: LineChartSpec = {
    id: 'effective-depth-epochs',
    title: `Effective depth against epoch (ε = ${formatPercent(epsilon)})`,
    xLabel: axis.label,
    yLabel: `layer position (1 = first of ${count})`,
    yScale: 'linear',
    yDomain: [1, Math.max(2, count)],
    yFormat: 'number',
    xTicks: axis.ticks,
    series: [
      {
        id: 'effective-depth',
        label: 'Effective depth',
        color: 'green',
        points: depths.map((d) => ({
          x: axis.x(d.epoch),
          y: d.depth === null ? null : d.depth + 1,
          key: `epoch ${d.epoch}`,
          tooltip: {
            title: `epoch ${d.epoch}`,
            rows: [
              { label: 'Effective depth', value: d.layer === null ? `not reached (no layer's train NCC error ≤ ${formatPercent(epsilon)})` : `${shortName(d.layer)} (layer ${d.depth! + 1} of ${count})` },
              ...(d.layer !== null && shortName(d.layer) !== d.layer ? [{ label: 'Tensor', value: d.layer }] : []),
            ],
          },
        })),
      },
    ],
    hLines: [],
    vLines: [],
  };
  if (note) spec.note = note;
  return spec;
}
