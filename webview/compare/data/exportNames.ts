/**
 * File-name stems for what the compare panel exports. DOM-free.
 */
import { fileStem } from '../../analysis/data/exportNames';
import type { CompareContent } from './model';

/** "compare-mlp-vs-mlp_ls" or "trajectory-runs-epochs" (the checkpoints' folder). */
export function exportStem(content: CompareContent): string {
  if (content.kind === 'compare') return fileStem(`compare-${content.view.comparison.runs.map((r) => r.label).join('-vs-')}`);
  const first = content.trajectory.checkpoints[0] ?? '';
  const parts = first.split(/[\\/]/).filter((p) => p.length > 0);
  // An .onnx sits in the run's folder; a TF.js checkpoint is <folder>/<epoch>/model.json.
  const folder = /model\.json$/i.test(first) ? parts[parts.length - 3] : parts[parts.length - 2];
  return fileStem(`trajectory-${folder ?? 'run'}`);
}
