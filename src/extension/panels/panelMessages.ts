/**
 * Narrowing of what the analysis webview posts and of the state VS Code hands back on revival. No vscode
 * import: unit-tested in Node.
 */
import type { AnalysisPanelState, AnalysisPanelToHost } from '../../protocol/webview';
import { parseExportMessage } from './exportPayload';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function parseAnalysisPanelMessage(value: unknown): AnalysisPanelToHost | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'ready':
    case 'rerun':
    case 'showLog':
      return { kind: value.kind };
    case 'layerSelected':
      return typeof value.layer === 'string' && value.layer.length > 0 ? { kind: 'layerSelected', layer: value.layer } : undefined;
    case 'export':
      return parseExportMessage(value);
    case 'exportResult':
      return typeof value.suggestedName === 'string' ? { kind: 'exportResult', suggestedName: value.suggestedName } : undefined;
    case 'layerMatrices':
      return typeof value.runId === 'string' && typeof value.layer === 'string' && (value.split === 'train' || value.split === 'test')
        ? { kind: 'layerMatrices', runId: value.runId, layer: value.layer, split: value.split }
        : undefined;
    default:
      return undefined;
  }
}

/** The state a serialized panel was saved with: {runId, selectedLayer?}; undefined when unusable. */
export function parseAnalysisPanelState(value: unknown): AnalysisPanelState | undefined {
  if (!isRecord(value) || typeof value.runId !== 'string' || value.runId.length === 0) return undefined;
  return typeof value.selectedLayer === 'string' ? { runId: value.runId, selectedLayer: value.selectedLayer } : { runId: value.runId };
}
