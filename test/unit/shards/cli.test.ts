/**
 * The sharded analysis through the command line: analyze --shard i/n --phase 1|2 and merge, as a user
 * runs them (from source, through tsx), and the command-line mistakes refused before anything is read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliInProcess, cliProcess } from '../helpers/cliRuns';
import { validateResult } from '../../../src/core/resultValidation';
import { FASHION_SLICE, modelPath } from '../pipeline/helpers/paths';
import { withTempDir } from '../dataset/helpers/writers';

const cli = cliProcess;
const failing = cliInProcess;

const ANALYZE = ['analyze', modelPath('mlp'), '--train', FASHION_SLICE, '--test', FASHION_SLICE, '--per-class', '30', '--quiet'];

test('--shard, --phase and --means mistakes are one line, exit 2, before anything is read', async () => {
  const cases: [string[], string][] = [
    [[...ANALYZE, '--shard', '0/3', '--phase', '1', '--out', 'x.json'], '--shard: the shard\'s number must be from 1 to 3 (shards count from 1), got "0/3"'],
    [[...ANALYZE, '--shard', '4/3', '--phase', '1', '--out', 'x.json'], '--shard: the shard\'s number must be from 1 to 3 (shards count from 1), got "4/3"'],
    [[...ANALYZE, '--shard', '2', '--phase', '1', '--out', 'x.json'], '--shard: expected i/n (this shard\'s number from 1 to n, and the number of shards), got "2"'],
    [[...ANALYZE, '--shard', '1/3', '--out', 'x.json'], '--shard needs --phase 1 (class sums) or --phase 2 (with --means)'],
    [[...ANALYZE, '--shard', '1/3', '--phase', '3', '--out', 'x.json'], '--phase: expected a whole number from 1 to 2, got "3"'],
    [[...ANALYZE, '--shard', '1/3', '--phase', '1'], '--shard 1/3 --phase 1 writes a shard file: give it a path with --out'],
    [[...ANALYZE, '--shard', '1/3', '--phase', '2', '--out', 'x.json'], '--phase 2 needs --means <file>, the merge of the phase-1 shard files'],
    [[...ANALYZE, '--shard', '1/3', '--phase', '1', '--means', 'm.json', '--out', 'x.json'], '--means goes with --phase 2; phase 1 computes what the means are merged from'],
    [[...ANALYZE, '--phase', '1'], '--phase goes with --shard i/n (see docs/shards.md)'],
    [['trajectory', 'runs', '--train', FASHION_SLICE, '--shard', '1/2', '--phase', '1', '--out', 'x.json'], 'trajectory analyses whole checkpoints: --shard/--phase/--means are for collapse-lens analyze'],
    [['watch', 'runs', '--train', FASHION_SLICE, '--shard', '1/2', '--phase', '1', '--out', 'x.json'], 'watch analyses whole checkpoints: --shard/--phase/--means are for collapse-lens analyze'],
    [['merge'], 'merge needs the shard files of one phase (see collapse-lens merge --help)'],
    [['merge', 'a.json', '--mean', 'm.json'], 'unknown option --mean (did you mean --means?)'],
  ];
  for (const [args, message] of cases) {
    const r = await failing(...args);
    const command = args[0];
    assert.equal(r.stderr, `collapse-lens ${command}: ${message}\n`, args.join(' '));
    assert.equal(r.code, 2, args.join(' '));
  }
});

test('merge is in the command list, the help and the "did you mean" of a misspelt command', async () => {
  const r = await failing('merg');
  assert.match(r.stderr, /unknown command merg \(did you mean merge\?\) \(commands: analyze, merge, /);
  assert.equal(r.code, 2);
  const help = cli('--help');
  assert.match(help.stdout, /^ {2}merge {6}combine the shard files of a sharded analysis/m);
  const usage = cli('merge', '--help');
  assert.match(usage.stdout, /Usage: collapse-lens merge <shard files of one phase> --out <file>/);
  assert.match(cli('analyze', '--help').stdout, /--shard i\/n --phase 1/);
});

test('two shards through the CLI: phase 1, merge, phase 2, merge give a valid result that records the shards', async () => {
  await withTempDir('shard-cli-', async (dir) => {
    const at = (name: string) => join(dir, name);
    for (const i of [1, 2]) {
      const r = cli(...ANALYZE, '--shard', `${i}/2`, '--phase', '1', '--out', at(`part1-${i}.json`));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `shard ${i}/2, phase 1, written to ${at(`part1-${i}.json`)}\n`);
    }
    const means = cli('merge', at('part1-1.json'), at('part1-2.json'), '--out', at('means.json'));
    assert.equal(means.code, 0, means.stderr);
    assert.equal(means.stdout, `class means of 2 shard(s) written to ${at('means.json')}\n`);
    for (const i of [1, 2]) {
      const r = cli(...ANALYZE, '--shard', `${i}/2`, '--phase', '2', '--means', at('means.json'), '--out', at(`part2-${i}.json`));
      assert.equal(r.code, 0, r.stderr);
    }
    const merged = cli('merge', at('part2-2.json'), at('part2-1.json'), '--out', at('result.json'));
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stdout, /result of 2 shard\(s\) written to /);
    const result = validateResult(JSON.parse(readFileSync(at('result.json'), 'utf8')), at('result.json'));
    assert.deepEqual(result.shards && { passOne: result.shards.passOne, passTwo: result.shards.passTwo }, { passOne: 2, passTwo: 2 });
    assert.equal(result.splits.train.samples, 300);
    // A refusal through the CLI: exit 1, the file named, one line.
    const missing = cli('merge', at('part2-1.json'), '--out', at('again.json'));
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'collapse-lens merge: shard 2 of 2 is missing (given: 1); merge needs every shard of the step exactly once, or its samples would be left out\n');
  });
});
