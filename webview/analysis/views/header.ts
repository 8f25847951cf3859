/**
 * The panel's top: run label, its state (running / complete / failed), the run-level actions and the
 * failure banner (the progress bar below it is views/progressBar.ts).
 */
import { button, h } from '../../common/dom';
import { PHASE_TEXT, runPhase, type PanelModel } from '../data/panelModel';

export interface HeaderActions {
  exportJson(): void;
  exportCsv(): void;
  rerun(): void;
  showLog(): void;
}

function statusChip(model: PanelModel): HTMLElement {
  const phase = runPhase(model);
  const kind = phase === 'failed' ? ' cl-chip-error' : phase === 'complete' ? '' : ' cl-chip-running';
  return h('span', { className: `cl-chip${kind}`, text: PHASE_TEXT[phase].chip });
}

export function headerView(model: PanelModel, actions: HeaderActions): HTMLElement {
  // Before any result the host's panel title (set in the page's <title>) still names the run.
  const title = model.run ? model.run.label : document.title.replace(/^Collapse Lens: /, '') || 'Collapse Lens';
  const tools = h('div', { className: 'cl-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Run actions' } });
  if (model.run) {
    tools.append(
      button('Export JSON', actions.exportJson, { attrs: { title: 'Save the whole result as JSON', 'data-focus-key': 'export-json' } }),
      button('Export CSV', actions.exportCsv, { attrs: { title: 'Save the per-layer table as CSV', 'data-focus-key': 'export-csv' } }),
    );
  }
  if (model.complete || model.failure !== null)
    tools.append(button('Re-run', actions.rerun, { className: 'cl-secondary', attrs: { title: 'Run this analysis again', 'data-focus-key': 'rerun' } }));
  tools.append(button('Show log', actions.showLog, { className: 'cl-secondary', attrs: { title: 'Open the Collapse Lens output log', 'data-focus-key': 'show-log' } }));
  const checkpoint = model.run ? h('div', { className: 'cl-subtitle', text: model.run.result.checkpoint.path }) : null;
  const titleBlock = h('div', { className: 'cl-title-block' }, [h('div', { className: 'cl-title-row' }, [h('h1', { text: title }), statusChip(model)])]);
  if (checkpoint) titleBlock.append(checkpoint);
  return h('header', { className: 'cl-header' }, [titleBlock, tools]);
}

export function failureBanner(message: string, actions: HeaderActions, keptResults: boolean): HTMLElement {
  return h('div', { className: 'cl-banner cl-banner-error', attrs: { role: 'alert' } }, [
    h('strong', { text: 'The analysis failed. ' }),
    h('span', { className: 'cl-banner-message', text: message }),
    h('span', { className: 'cl-banner-hint', text: keptResults ? ' What was computed before the failure is still shown below.' : ' Nothing had been computed yet.' }),
    h('div', { className: 'cl-banner-actions' }, [
      button('Show log', actions.showLog, { attrs: { 'data-focus-key': 'banner-log' } }),
      button('Re-run', actions.rerun, { className: 'cl-secondary', attrs: { 'data-focus-key': 'banner-rerun' } }),
    ]),
  ]);
}
