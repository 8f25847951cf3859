import * as fs from 'node:fs';
import type { ModelGraph } from '../types';
import { TfjsModelError } from './errors';
import { recordAt } from './json';
import { buildGraphModelGraph, type TfjsGraphModelGraph } from './graphModelGraph';
import { buildLayersGraph, type TfjsLayersGraph } from './layersGraph';
import { sniffTfjsModelJson } from './sniff';
import { parseWeightsManifest } from './weightsManifest';
import { resolveWeightShards } from './weightShards';
import { messageOf } from '../../messageOf';
import { readProblem } from '../../dataset/fileAccess';

export type TfjsModelGraph = TfjsLayersGraph | TfjsGraphModelGraph;

/** Whether a ModelGraph came from loadTfjsModelGraph (the runner needs its manifest and topology). */
export function isTfjsModelGraph(graph: ModelGraph): graph is TfjsModelGraph {
  const candidate = graph as Partial<TfjsModelGraph>;
  return (graph.format === 'tfjs-layers' || graph.format === 'tfjs-graph') && candidate.modelJson !== undefined && Array.isArray(candidate.weightGroups);
}

export function readModelJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new TfjsModelError(file, readProblem(err));
  }
  return parseModelJson(file, text);
}

/** A model.json's text as JSON; for callers that read the file themselves (asynchronously, on the extension host). */
export function parseModelJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new TfjsModelError(file, `is not valid JSON (${messageOf(err)})`);
  }
}

/**
 * Reads a TF.js model.json and its weight manifest (no runtime): checks every shard path and size,
 * then describes the layers, the default probes and the classifier.
 */
export function loadTfjsModelGraph(modelJsonFile: string): TfjsModelGraph {
  const json = readModelJson(modelJsonFile);
  const sniffed = sniffTfjsModelJson(json);
  if (sniffed.kind === 'other') throw new TfjsModelError(modelJsonFile, sniffed.reason ?? 'not a TF.js model');
  const record = json as Record<string, unknown>;
  const topology = recordAt(record, 'modelTopology') ?? {};
  const groups = resolveWeightShards(modelJsonFile, parseWeightsManifest(record, modelJsonFile));
  return sniffed.kind === 'tfjs-layers'
    ? buildLayersGraph(modelJsonFile, record, topology, groups)
    : buildGraphModelGraph(modelJsonFile, record, topology, groups);
}
