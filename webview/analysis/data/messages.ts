/**
 * Narrowing for messages that cross the webview boundary: the webview trusts the host's types but a
 * message event can carry anything (another extension's iframe, a stale page), so it checks the shape.
 * DOM-free.
 */
import type { HostToAnalysisPanel } from '../../../src/protocol/webview';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function asHostMessage(value: unknown): HostToAnalysisPanel | null {
  if (!isRecord(value) || typeof value.kind !== 'string') return null;
  switch (value.kind) {
    case 'show': {
      const run = value.run;
      if (!isRecord(run) || typeof run.runId !== 'string' || !isRecord(run.result) || !Array.isArray(run.result.layers)) return null;
      if (value.selectedLayer !== undefined && typeof value.selectedLayer !== 'string') return null;
      return typeof value.complete === 'boolean' ? (value as unknown as HostToAnalysisPanel) : null;
    }
    case 'progress':
      return isRecord(value.progress) && typeof value.progress.stage === 'string' ? (value as unknown as HostToAnalysisPanel) : null;
    case 'failed':
      return typeof value.message === 'string' ? (value as unknown as HostToAnalysisPanel) : null;
    case 'selectLayer':
      return typeof value.layer === 'string' ? (value as unknown as HostToAnalysisPanel) : null;
    case 'layerMatrices': {
      if (typeof value.runId !== 'string' || typeof value.layer !== 'string' || (value.split !== 'train' && value.split !== 'test')) return null;
      return isRecord(value.matrices) || typeof value.error === 'string' ? (value as unknown as HostToAnalysisPanel) : null;
    }
    default:
      return null;
  }
}
