/**
 * The behaviour the literature reports for a network trained into its terminal phase (Papyan et al.
 * 2020; Galanti et al. 2022): within-class variability falls and nearest-class-centre accuracy rises
 * with depth, up to the classifier's input.
 */
import assert from 'node:assert/strict';
import type { AnalysisResult, LayerResult } from '../../../../src/core/result';

/** Probed layers from the first one up to the classifier's input (the penultimate features), in depth order. */
export function layersUpToClassifierInput(result: AnalysisResult): LayerResult[] {
  const input = result.classifier?.input;
  assert.ok(input, `${result.checkpoint.path}: no classifier input`);
  const end = result.layers.findIndex((l) => l.name === input);
  assert.ok(end >= 0, `${result.checkpoint.path}: classifier input ${input} is not a probed layer`);
  return result.layers.slice(0, end + 1);
}

export function trainNc1(layer: LayerResult): number {
  const v = layer.metrics.train.nc1;
  assert.equal(typeof v, 'number', `${layer.name}: train NC1 missing`);
  return v as number;
}

export function trainNcc(layer: LayerResult): number {
  const v = layer.metrics.train.nccAccuracy;
  assert.equal(typeof v, 'number', `${layer.name}: train NCC accuracy missing`);
  return v as number;
}

/**
 * Asserts NC1 never rises from one probe to the next, except at the named layers, where it may rise by
 * less than `maxRise` (relative). Every named exception must actually rise, so the list stays honest.
 */
export function assertNc1Falls(layers: LayerResult[], exceptions: Record<string, string>, maxRise = 0.01): void {
  const seen = new Set<string>();
  for (let i = 1; i < layers.length; i++) {
    const before = trainNc1(layers[i - 1]!);
    const after = trainNc1(layers[i]!);
    const name = layers[i]!.name;
    if (after <= before) continue;
    assert.ok(name in exceptions, `train NC1 rises from ${layers[i - 1]!.name} (${before}) to ${name} (${after}) and this is not a known exception`);
    assert.ok(after / before - 1 < maxRise, `train NC1 at ${name} rises by ${((after / before - 1) * 100).toFixed(2)}%, more than the ${maxRise * 100}% allowed for the exception (${exceptions[name]})`);
    seen.add(name);
  }
  for (const name of Object.keys(exceptions)) assert.ok(seen.has(name), `listed exception ${name} does not rise any more: remove it from the list`);
}

export function assertNccRises(layers: LayerResult[]): void {
  for (let i = 1; i < layers.length; i++) {
    const before = trainNcc(layers[i - 1]!);
    const after = trainNcc(layers[i]!);
    assert.ok(after >= before, `train NCC accuracy falls from ${layers[i - 1]!.name} (${before}) to ${layers[i]!.name} (${after})`);
  }
}
