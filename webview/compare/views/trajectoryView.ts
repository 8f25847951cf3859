/**
 * A training trajectory: the watch's status when it is live, epoch x depth heatmaps of NC1 and NCC
 * accuracy with the effective depth per epoch, each metric against epoch for the chosen layers (a
 * multi-select of layers, three spread over depth by default), the classifier's NC3 and NC4 against
 * epoch, and one summary line per epoch. A live trajectory with no epoch yet waits for its first one.
 */
import type { TrajectoryResult } from '../../../src/core/compare/trajectory';
import type { TrajectoryWatchStatus } from '../../../src/protocol/webview';
import { layerNamer } from '../../../src/core/layerNames';
import { button, h } from '../../common/dom';
import { nc2Selector } from '../../analysis/views/nc2Selector';
import { seriesStyle } from '../data/runStyle';
import { CLASSIFIER_CHARTS, chosenLayers, classifierSpec, defaultTrajectoryLayers, epochAxis, hasHeldOutTrajectory, TRAJECTORY_CHARTS, trajectorySpec } from '../data/trajectory';
import type { ComparePrefs } from '../data/webviewState';
import { chartGrid } from './charts';
import type { CompareViewContext } from './context';
import { warningsBanner } from './header';
import { legendBar, splitSwitch, toggleList } from './legend';
import { summaryTable } from './tables';
import { greyDeletedEpochs, watchView } from '../data/watchStatus';
import { epochRowLabel } from '../data/epochDepthHeatmap';
import { epochDepthSection } from './epochDepthView';
import { watchStatusView } from './watchStatusView';

export interface TrajectoryViewOptions {
  prefs: ComparePrefs;
  setPrefs(change: Partial<ComparePrefs>): void;
}

export function trajectoryView(context: CompareViewContext, trajectory: TrajectoryResult, options: TrajectoryViewOptions, watch?: TrajectoryWatchStatus): HTMLElement[] {
  const { prefs } = options;
  const theme = context.theme;
  const layers = chosenLayers(trajectory, prefs.trajectoryLayers ?? undefined);
  const out: HTMLElement[] = [];
  const live = watch ? watchView(trajectory, watch) : null;
  if (live) out.push(watchStatusView(live));
  const deleted = live?.deletedEpochs ?? new Set<number>();
  if (trajectory.epochs.length === 0) {
    out.push(
      h('p', {
        className: 'cl-hint cl-waiting cl-trajectory-empty',
        text: live?.watching === false ? 'The watch stopped before any checkpoint was analysed.' : 'Waiting for the first checkpoint: its analysis appears here as soon as it is done.',
      }),
    );
    return out;
  }

  const warnings = warningsBanner(trajectory.warnings, 'The checkpoints were analysed on different data.', 'A change across epochs may come from the data, not the training.');
  if (warnings) out.push(warnings);

  const shortName = layerNamer(trajectory.layers);
  const toggles = toggleList(
    'Layers shown in the charts',
    trajectory.layers.map((layer, i) => {
      const style = seriesStyle(i);
      const on = layers.includes(layer);
      return {
        key: `layer-${i}`,
        label: shortName(layer),
        title: `${on ? 'Hide' : 'Show'} ${layer}`,
        color: theme.colors[style.color],
        dashed: style.dashed,
        pressed: on,
        onToggle: () => options.setPrefs({ trajectoryLayers: on ? layers.filter((l) => l !== layer) : trajectory.layers.filter((l) => l === layer || layers.includes(l)) }),
      };
    }),
    theme.background,
  );
  const reset = button('Default layers', () => options.setPrefs({ trajectoryLayers: defaultTrajectoryLayers(trajectory) }), {
    className: 'cl-small-button',
    attrs: { title: "Three layers spread over depth, ending at the classifier's input", 'data-focus-key': 'default-layers' },
  });
  const heldOut = hasHeldOutTrajectory(trajectory);
  const split = heldOut ? prefs.split : 'train';
  const axis = epochAxis(trajectory.epochs);
  const chartOptions = { layers, split, nc2Metric: prefs.nc2Metric };
  out.push(epochDepthSection(context, trajectory, split, deleted, splitSwitch(split, heldOut, (s) => options.setPrefs({ split: s }))));
  out.push(
    h('section', { className: 'cl-section', attrs: { 'aria-labelledby': 'cl-epochs-heading' } }, [
      h('h2', { text: 'Across training', attrs: { id: 'cl-epochs-heading' } }),
      h('p', {
        className: 'cl-hint',
        text: `x = epoch${axis.scale === 'log' ? ' on a log scale (the epochs span more than two decades)' : ''}; NC1 and CDNV on log axes. Click a layer below to add or remove it; hover for exact values.`,
      }),
      legendBar('Layers', toggles, [reset, splitSwitch(split, heldOut, (s) => options.setPrefs({ split: s }))]),
      chartGrid(context, [
        ...TRAJECTORY_CHARTS.map((id) => ({
          spec: greyDeletedEpochs(trajectorySpec(trajectory, id, chartOptions), deleted),
          selectable: false,
          ...(id === 'nc2'
            ? { controls: nc2Selector(prefs.nc2Metric, (nc2Metric) => options.setPrefs({ nc2Metric })) }
            : {}),
        })),
        ...CLASSIFIER_CHARTS.map((id) => ({ spec: greyDeletedEpochs(classifierSpec(trajectory, id), deleted), selectable: false })),
      ]),
    ]),
  );

  out.push(
    h('section', { className: 'cl-section', attrs: { 'aria-labelledby': 'cl-epoch-summary-heading' } }, [
      h('h2', { text: 'Per checkpoint', attrs: { id: 'cl-epoch-summary-heading' } }),
      summaryTable(
        'Epoch',
        trajectory.summaries.map((s, i) => {
          const epoch = trajectory.epochs[i];
          const gone = epoch !== undefined && deleted.has(epoch);
          return { label: gone ? epochRowLabel(epoch, true) : s.label, title: `${trajectory.checkpoints[i] ?? s.checkpoint}${gone ? ' (deleted; its analysis is kept)' : ''}` };
        }),
        trajectory.summaries,
        theme.background,
      ),
    ]),
  );
  return out;
}
