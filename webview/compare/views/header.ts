/**
 * The compare panel's top: what is compared, the export actions, the failure banner and the
 * data-mismatch warnings (the progress bar is the analysis panel's views/progressBar.ts).
 */
import { button, h } from '../../common/dom';
import type { CompareContent } from '../data/model';

export interface HeaderActions {
  exportJson(): void;
  /** Absent for a trajectory (its table is the JSON). */
  exportCsv?(): void;
}

function describe(content: CompareContent | null): { title: string; chip: string | null; subtitle: string | null } {
  if (!content) return { title: 'Collapse Lens: compare', chip: null, subtitle: null };
  if (content.kind === 'compare') {
    const c = content.view.comparison;
    const labels = c.runs.map((r) => r.label);
    return {
      title: labels.length <= 3 ? labels.join(' vs ') : `${labels.length} runs compared`,
      chip: c.alignment === 'name' ? 'Aligned by layer name' : 'Aligned by relative depth',
      subtitle: c.alignmentNote,
    };
  }
  const t = content.trajectory;
  const span = t.epochs.length > 0 ? ` (epoch ${t.epochs[0]} → ${t.epochs[t.epochs.length - 1]})` : '';
  const first = t.checkpoints[0] ?? '';
  // A watched trajectory says whether it is still live: a stopped watch no longer grows.
  const chip = content.watch ? (content.watch.watching ? 'Live: watching the folder' : 'Watch stopped') : null;
  return { title: `Training trajectory · ${t.epochs.length} checkpoint${t.epochs.length === 1 ? '' : 's'}${span}`, chip, subtitle: first.replace(/[\\/][^\\/]*$/, '') || null };
}

export function headerView(content: CompareContent | null, actions: HeaderActions): HTMLElement {
  const d = describe(content);
  const tools = h('div', { className: 'cl-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Comparison actions' } });
  if (content) {
    tools.append(
      button('Export JSON', actions.exportJson, {
        attrs: { title: content.kind === 'compare' ? 'Save the comparison as JSON (what `collapse-lens compare` writes)' : 'Save the trajectory as JSON', 'data-focus-key': 'export-json' },
      }),
    );
    if (actions.exportCsv) tools.append(button('Export CSV', actions.exportCsv, { attrs: { title: 'Save the per-layer differences as CSV', 'data-focus-key': 'export-csv' } }));
  }
  const row = h('div', { className: 'cl-title-row' }, [h('h1', { text: d.title })]);
  if (d.chip) row.append(h('span', { className: 'cl-chip', text: d.chip }));
  const block = h('div', { className: 'cl-title-block' }, [row]);
  if (d.subtitle) block.append(h('div', { className: 'cl-subtitle', text: d.subtitle }));
  return h('header', { className: 'cl-header' }, [block, tools]);
}

export function failureBanner(message: string, hasContent: boolean): HTMLElement {
  const banner = h('div', { className: 'cl-banner cl-banner-error', attrs: { role: 'alert' } }, [
    h('strong', { text: 'The comparison failed. ' }),
    h('span', { className: 'cl-banner-message', text: message }),
  ]);
  if (hasContent) banner.append(h('span', { className: 'cl-banner-hint', text: ' What was shown before is still below.' }));
  return banner;
}

/** Data mismatches the user accepted: shown first, because they change what every chart means. */
export function warningsBanner(warnings: readonly string[], heading: string, hint: string): HTMLElement | null {
  if (warnings.length === 0) return null;
  return h('div', { className: 'cl-banner cl-banner-warning cl-compare-warnings', attrs: { role: 'alert', 'aria-label': heading } }, [
    h('strong', { text: heading }),
    h('span', { className: 'cl-banner-hint', text: ` ${hint}` }),
    h(
      'ul',
      {},
      warnings.map((w) => h('li', { text: w })),
    ),
  ]);
}
