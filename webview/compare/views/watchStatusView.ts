/**
 * The watch behind a live trajectory, above its charts: the header line ("watching · 3 analysed,
 * 1 queued"), the checkpoints still pending, the corrupt ones with their reason (flagged, skipped) and any
 * disagreement between the watch and the trajectory.
 */
import { h } from '../../common/dom';
import { pendingWord, type WatchView } from '../data/watchStatus';

export function watchStatusView(view: WatchView): HTMLElement {
  const block = h('section', { className: 'cl-watch-status', attrs: { 'aria-label': 'Watch status', 'aria-live': 'polite' } }, [
    h('p', { className: `cl-watch-header${view.watching ? ' cl-watch-live' : ''}`, text: view.header }),
  ]);
  if (view.pending.length > 0) {
    block.append(
      h('p', {
        className: 'cl-hint cl-watch-pending',
        text: `Pending: ${view.pending.map((p) => `${p.label} (epoch ${p.epoch}, ${pendingWord(p.state)})`).join(', ')}`,
      }),
    );
  }
  if (view.corrupt.length > 0 || view.inconsistencies.length > 0) {
    block.append(
      h('div', { className: 'cl-banner cl-banner-warning cl-watch-corrupt', attrs: { role: 'alert' } }, [
        h('strong', { text: view.corrupt.length > 0 ? 'Skipped checkpoints:' : 'The watch and the trajectory disagree:' }),
        h('ul', {}, [
          ...view.corrupt.map((c) => h('li', { text: `${c.label} (epoch ${c.epoch}): ${c.failed ? 'the analysis failed' : 'could not be read'}: ${c.reason}` })),
          ...view.inconsistencies.map((text) => h('li', { text })),
        ]),
      ]),
    );
  }
  if (view.deletedEpochs.size > 0) {
    block.append(h('p', { className: 'cl-hint', text: `Greyed: epoch ${[...view.deletedEpochs].join(', ')}, whose checkpoint was deleted; its analysis is kept.` }));
  }
  return block;
}
