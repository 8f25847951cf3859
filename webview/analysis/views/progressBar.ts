/**
 * The slim progress bar both panels show while the engine works: an element updated in place, as
 * progress messages come often.
 */
import type { ProgressInfo } from '../../../src/protocol/engine';
import { h } from '../../common/dom';
import { formatPercent } from '../../common/format';
import { progressFraction, progressText } from '../data/panelModel';

export class ProgressBar {
  readonly element: HTMLElement;
  private readonly bar = h('div', { className: 'cl-progress-bar' });
  private readonly text = h('div', { className: 'cl-progress-text', attrs: { 'aria-live': 'polite' } });

  /** `ariaLabel` names the bar for screen readers, e.g. "Analysis progress". */
  constructor(ariaLabel: string) {
    this.element = h('div', { className: 'cl-progress', attrs: { role: 'progressbar', 'aria-label': ariaLabel, 'aria-valuemin': '0', 'aria-valuemax': '100' } });
    this.element.append(h('div', { className: 'cl-progress-track' }, [this.bar]), this.text);
    this.update(null, false);
  }

  /**
   * Hidden unless `running`; running with no progress yet, an indeterminate bar says it waits for the
   * engine. `label` (the compare panel's "which run") goes before the stage.
   */
  update(progress: ProgressInfo | null, running: boolean, label = ''): void {
    this.element.classList.toggle('hidden', !running);
    if (!running) return;
    const fraction = progress ? progressFraction(progress) : null;
    this.element.classList.toggle('indeterminate', fraction === null);
    this.bar.style.setProperty('width', fraction === null ? '30%' : `${(fraction * 100).toFixed(1)}%`);
    if (fraction === null) this.element.removeAttribute('aria-valuenow');
    else this.element.setAttribute('aria-valuenow', (fraction * 100).toFixed(0));
    const prefix = label ? `${label} · ` : '';
    this.text.textContent = progress ? `${prefix}${progressText(progress)}${fraction === null ? '' : ` (${formatPercent(fraction, 0)})`}` : 'Starting: waiting for the engine…';
  }
}
