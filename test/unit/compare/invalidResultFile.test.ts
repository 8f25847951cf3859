/**
 * `collapse-lens compare` on a result file that has "schema", "layers" and "classes" but lacks a key
 * the comparison reads: refused with one line naming the file and the field, where it used to crash
 * with "Cannot read properties of undefined".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/engine/cli/cli';
import { syntheticResult } from '../helpers/syntheticResult';
import { withTempDir } from '../dataset/helpers/writers';

/** The CLI run in-process: its exit code and what it wrote to stderr. */
async function cliStderr(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await runCli(args), stderr };
  } finally {
    process.stderr.write = write;
  }
}

const layers = [{ name: 'l0', nc1: 1, ncc: 0.5 }, { name: 'l1', nc1: 0.5, ncc: 0.9 }];

for (const [what, key, field] of [
  ['layer metrics', (r: Record<string, unknown>) => delete (r.layers as Record<string, unknown>[])[0]!.metrics, 'layers[0].metrics is missing'],
  ['dataset', (r: Record<string, unknown>) => delete r.dataset, 'dataset is missing'],
  ['checkpoint', (r: Record<string, unknown>) => delete r.checkpoint, 'checkpoint is missing'],
] as const) {
  test(`compare refuses a result file without its ${what}, naming the file and the field`, async () => {
    await withTempDir('compare', async (dir) => {
      const good = join(dir, 'good.json');
      const bad = join(dir, 'bad.json');
      writeFileSync(good, JSON.stringify(syntheticResult({ layers })));
      const broken = JSON.parse(JSON.stringify(syntheticResult({ layers }))) as Record<string, unknown>;
      key(broken);
      writeFileSync(bad, JSON.stringify(broken));
      const { code, stderr } = await cliStderr(['compare', good, bad]);
      assert.equal(stderr, `collapse-lens compare: ${bad}: not a valid Collapse Lens result: ${field}\n`, 'one line naming the file and the field, no stack');
      assert.equal(code, 1, "an input that cannot be used exits 1 (2 is for a wrong command line)");
    });
  });
}
