/**
 * The shipped engine is CommonJS (webpack + ts-loader), while the tests run the ES sources under tsx.
 * A local named `exports` once shadowed the module's own exports in that output only, so the bundled
 * engine always fell back to the JavaScript loops and no test saw it. This compiles the kernel modules
 * the way the bundle does and checks they still instantiate and compute.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { withTempDir } from '../dataset/helpers/writers';
import { REPO_ROOT } from '../pipeline/helpers/paths';

const WASM_DIR = join(REPO_ROOT, 'src', 'core', 'metrics', 'wasm');

test('the WebAssembly kernels instantiate and sum correctly when compiled to CommonJS, as in dist/', async () => {
  await withTempDir('kernels-cjs', (dir) => {
    const out = join(dir, 'wasm');
    mkdirSync(out);
    for (const file of ['assembler', 'kernels']) {
      const source = readFileSync(join(WASM_DIR, `${file}.ts`), 'utf8');
      const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
      writeFileSync(join(out, `${file}.js`), outputText);
    }
    const kernels = createRequire(join(out, 'index.js'))('./kernels.js') as typeof import('../../../src/core/metrics/wasm/kernels');
    const instance = kernels.instantiateKernels();
    assert.ok(instance, 'instantiateKernels() returned null in CommonJS: the engine bundle would run the JavaScript fallback');
    // sum4 on one pair: dst = (0 * dst + a + b + c + d) * 0.5, float32 rows in, float64 out.
    assert.ok(kernels.growTo(instance.memory, 4096));
    const f32 = new Float32Array(instance.memory.buffer);
    const f64 = new Float64Array(instance.memory.buffer);
    f32.set([1, 2], 0); f32.set([3, 4], 2); f32.set([5, 6], 4); f32.set([7, 8], 6);
    instance.sum4(64, 0, 8, 16, 24, 1, 0, 0.5);
    assert.deepEqual([f64[8], f64[9]], [8, 10]);
  });
});
