import type { AnalyzeRequest } from '../../../../src/protocol/engine';
import type { AnalysisResult } from '../../../../src/core/result';
import type { AnalysisHooks } from '../../../../src/engine/analyze/hooks';
import { analyzeCheckpoint } from '../../../../src/engine/analyze/pipeline';
import { FASHION_SLICE, modelPath } from './paths';

export const silentHooks: AnalysisHooks = { onProgress: () => undefined };

/** The settings the fixtures' expected JSON was computed for: auto probes, every sample, seed 0, epsilon 0.01. */
export function fixtureRequest(model: string, overrides: Partial<AnalyzeRequest> = {}): AnalyzeRequest {
  return {
    checkpoint: modelPath(model),
    train: { path: FASHION_SLICE, split: 'train' },
    test: { path: FASHION_SLICE, split: 'test' },
    layers: 'auto',
    perClass: null,
    batchSize: 64,
    provider: 'cpu',
    threads: 0,
    seed: 0,
    epsilon: 0.01,
    ...overrides,
  };
}

const cache = new Map<string, Promise<AnalysisResult>>();

/** One in-process analysis per fixture model and test file, shared by the tests that read it. */
export function analyzeFixture(model: string): Promise<AnalysisResult> {
  let run = cache.get(model);
  if (!run) {
    run = analyzeCheckpoint(fixtureRequest(model), silentHooks);
    cache.set(model, run);
  }
  return run;
}
