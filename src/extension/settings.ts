import * as vscode from 'vscode';
import type { PreprocessingOptions } from '../protocol/engine';
import { parseReductionRequest, type ReductionRequest } from '../core/model/reduction';

/** collapseLens.* settings, read fresh for every analysis so a change applies to the next run. */
export interface CollapseLensSettings {
  provider: 'auto' | 'cpu' | 'cuda';
  batchSize: number;
  samplesPerClass: number | null;
  threads: number;
  epsilon: number;
  preprocessing: PreprocessingOptions;
  /** collapseLens.reduction parsed; undefined for `auto`. A malformed value throws, naming the setting. */
  reduction?: ReductionRequest;
}

export function readSettings(scope?: vscode.Uri): CollapseLensSettings {
  const c = vscode.workspace.getConfiguration('collapseLens', scope);
  const perClass = c.get<number>('samplesPerClass', 200);
  return {
    provider: c.get<'auto' | 'cpu' | 'cuda'>('executionProvider', 'auto'),
    batchSize: Math.max(1, c.get<number>('batchSize', 64)),
    samplesPerClass: perClass > 0 ? perClass : null,
    threads: Math.max(0, c.get<number>('threads', 0)),
    epsilon: c.get<number>('effectiveDepthEpsilon', 0.01),
    preprocessing: c.get<PreprocessingOptions>('preprocessing', {}),
    ...readReduction(c.get<string>('reduction', 'auto')),
  };
}

function readReduction(text: string): { reduction?: ReductionRequest } {
  const request = parseReductionRequest(text, 'setting collapseLens.reduction');
  return request.all === 'auto' && !request.layers ? {} : { reduction: request };
}
