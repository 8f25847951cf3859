/**
 * What `collapse-lens merge` does with the files it is given: phase-1 shard files become the class-means
 * file; phase-2 shard files, with the means file they ran against, become the result JSON (checked by the
 * result validator before it is written).
 */
import { existsSync } from 'node:fs';
import type { AnalysisResult } from '../../core/result';
import { validateResult } from '../../core/resultValidation';
import { UserError } from '../errors';
import type { MeansBody, PassOneBody, PassTwoBody } from './bodies';
import { checkOnePhase, mergePassOne, mergePassTwo } from './merge';
import { readMeansFile } from './runShard';
import { kindOf, MEANS_SCHEMA, PASS_ONE_SCHEMA, readShardFile, type ShardFile } from './shardFile';

export type MergeOutcome = { kind: 'means'; body: MeansBody; shards: number } | { kind: 'result'; result: AnalysisResult };

/** `meansPath`: --means; without it, the path the first phase-2 file recorded. */
export async function mergeShardFiles(paths: string[], meansPath: string | undefined): Promise<MergeOutcome> {
  const started = performance.now();
  if (paths.length === 0) throw new UserError('merge needs the shard files of one phase (see collapse-lens merge --help)');
  const files = await Promise.all(paths.map((path) => readShardFile(path)));
  const stray = files.find((f) => f.schema === MEANS_SCHEMA);
  if (stray) throw new UserError(`${stray.path}: is ${kindOf(MEANS_SCHEMA)}; merge takes phase-1 or phase-2 shard files (give the means file to a phase-2 merge with --means)`);
  checkOnePhase(files);
  if (files[0]!.schema === PASS_ONE_SCHEMA) {
    if (meansPath !== undefined) throw new UserError('--means goes with phase-2 files; these are phase-1 files, whose merge writes the means');
    const body = mergePassOne(files as ShardFile<PassOneBody>[], started);
    return { kind: 'means', body, shards: body.shards };
  }
  const phaseTwo = files as ShardFile<PassTwoBody>[];
  const recorded = phaseTwo[0]!.body.means.path;
  const path = meansPath ?? recorded;
  if (meansPath === undefined && !existsSync(path)) {
    throw new UserError(`the class-means file ${phaseTwo[0]!.path} ran against, ${recorded}, is not there; give it with --means <file>`);
  }
  const means = await readMeansFile(path);
  const result = mergePassTwo(phaseTwo, { path, ...means }, started);
  return { kind: 'result', result: validateResult(result, `the merged result of ${files.length} shard files`) };
}
