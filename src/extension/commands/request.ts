import type { AnalyzeRequest } from '../../protocol/engine';
import type { CollapseLensSettings } from '../settings';
import type { AnalysisChoices } from './choices';

/** Builds the engine request from the user's choices and the collapseLens.* settings. */
export function requestFrom(checkpoint: string, choices: AnalysisChoices, settings: CollapseLensSettings): AnalyzeRequest {
  const request: AnalyzeRequest = {
    checkpoint,
    train: choices.train,
    layers: choices.layers,
    perClass: choices.perClass,
    batchSize: settings.batchSize,
    provider: settings.provider,
    threads: settings.threads,
    seed: 0,
    epsilon: settings.epsilon,
    preprocessingSettings: settings.preprocessing,
    ...(choices.reduction ?? settings.reduction ? { reduction: choices.reduction ?? settings.reduction } : {}),
  };
  if (choices.test) request.test = choices.test;
  return request;
}
