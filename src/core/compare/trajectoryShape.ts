/**
 * Whether a value read back (a trajectory file, a webview's saved state, a message to the compare page)
 * looks like a TrajectoryResult. Checked loosely, field kinds only: it came from our own writer. No
 * imports but a type, so the compare webview can use it without bundling the trajectory builder.
 */
import type { TrajectoryResult } from './trajectory';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isTrajectoryResult(value: unknown): value is TrajectoryResult {
  return (
    isRecord(value) &&
    typeof value.schema === 'string' &&
    value.schema.startsWith('collapse-lens/trajectory@') &&
    Array.isArray(value.epochs) &&
    Array.isArray(value.layers) &&
    Array.isArray(value.checkpoints) &&
    isRecord(value.series) &&
    isRecord(value.classifier) &&
    Array.isArray(value.summaries)
  );
}
