/**
 * "Classifier (from weights)" speed: reading the classifier of 50 checkpoints of the fixtures' size and
 * computing its geometry, as `collapse-lens classifier <folder>` and the trajectory card do. Goal: under
 * 1 s for 50 checkpoints (issue 14). The copies are real files in a temp folder (epoch_001.onnx, ...),
 * so every read goes to the file system as it would for a training run's folder.
 *
 *   npm run bench:classifier                         50 copies of test/fixtures/models/cnn.onnx, 3 repeats
 *   node --import tsx bench/classifier.ts --model test/fixtures/tfjs/layers-mlp --count 50 --repeat 5
 */
import { parseArgs } from 'node:util';
import { cpSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describeCheckpointClassifier } from '../src/core/model/describeClassifier';
import { listEpochCheckpoints } from '../src/core/compare';
import { median } from './lib/table';

const REPO = join(__dirname, '..');
const GOAL_SECONDS = 1;

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(REPO, 'test', 'fixtures', 'models', 'cnn.onnx') },
    count: { type: 'string', default: '50' },
    repeat: { type: 'string', default: '3' },
  },
});
const count = Number(values.count);
const repeat = Number(values.repeat);
const model = values.model as string;

/** 50 epochs of the same checkpoint: epoch_NNN.onnx files, or epoch_NNN/ folders for a TF.js model. */
function epochFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'collapse-lens-bench-classifier-'));
  const tfjs = statSync(model).isDirectory() || basename(model) === 'model.json';
  for (let e = 1; e <= count; e++) {
    const name = `epoch_${String(e).padStart(3, '0')}`;
    if (tfjs) {
      const source = basename(model) === 'model.json' ? join(model, '..') : model;
      mkdirSync(join(dir, name));
      cpSync(source, join(dir, name), { recursive: true });
    } else {
      copyFileSync(model, join(dir, `${name}.onnx`));
    }
  }
  return dir;
}

async function main(): Promise<void> {
  const dir = epochFolder();
  try {
    // Warm-up: module loading and the JIT, as a long-lived engine process would already have done.
    await describeCheckpointClassifier((await listEpochCheckpoints(dir))[0].file);
    const times: number[] = [];
    for (let r = 0; r < repeat; r++) {
      const started = process.hrtime.bigint();
      const epochs = await listEpochCheckpoints(dir);
      for (const e of epochs) {
        const entry = await describeCheckpointClassifier(e.file, e.epoch);
        if (!entry.classifier) throw new Error(`${e.file}: ${entry.error ?? entry.classifierUnavailable}`);
      }
      times.push(Number(process.hrtime.bigint() - started) / 1e9);
    }
    const m = median(times);
    const verdict = m < GOAL_SECONDS ? 'within' : 'OVER';
    process.stdout.write(
      `classifier from weights: ${count} checkpoints of ${model.startsWith(REPO) ? model.slice(REPO.length + 1) : model}\n` +
        `  runs: ${times.map((t) => t.toFixed(3)).join(', ')} s; median ${m.toFixed(3)} s (${((m / count) * 1000).toFixed(1)} ms per checkpoint), ${verdict} the ${GOAL_SECONDS} s goal\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
