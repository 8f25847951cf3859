// Where the harness finds its tools and puts what a run leaves behind.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const e2eDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const repoRoot = path.dirname(e2eDir);
/** Screenshots, logs and copies of VS Code's own logs; git-ignored. */
export const artifactsRoot = path.join(repoRoot, '.artifacts', 'e2e');
export const codeServerEntry = path.join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.COLLAPSE_LENS_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** A test's own artifacts folder: .artifacts/e2e/<name>/ (name made filesystem-safe). */
export function artifactsDirFor(name) {
  return path.join(artifactsRoot, name.replace(/[^A-Za-z0-9._-]+/g, '-'));
}

/** Workspace entries every session copies from the repository's fixtures (see openSession's workspaceFiles). */
export const fixtureFiles = {
  /** The Fashion-MNIST demo slice with its collapse-lens.json, as the workspace's `fashion/` folder. */
  fashion: { copyFrom: path.join(repoRoot, 'test', 'fixtures', 'fashion') },
  /** A trained checkpoint from test/fixtures/models (cnn.onnx, mlp.onnx, mlp_early.onnx, ...). */
  model: (file) => ({ copyFrom: path.join(repoRoot, 'test', 'fixtures', 'models', file) }),
};

/** A folder of epoch checkpoints in a session's workspace: `{ 'epoch_2.onnx': 'mlp_early.onnx', ... }` copied into `folder`. */
export function epochFolderFiles(folder, epochs) {
  return Object.fromEntries(Object.entries(epochs).map(([name, fixture]) => [`${folder}/${name}`, fixtureFiles.model(fixture)]));
}

/**
 * How many samples a split of the Fashion-MNIST fixture holds (train 2000, test 1000), read from its
 * labels file's IDX header (the count after the magic number) rather than copied into a test.
 */
export function fashionSplitSize(split) {
  const file = { train: 'train-labels-idx1-ubyte.gz', test: 't10k-labels-idx1-ubyte.gz' }[split];
  if (file === undefined) throw new Error(`the fashion fixture has no split "${split}"`);
  return zlib.gunzipSync(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'fashion', file))).readUInt32BE(4);
}
