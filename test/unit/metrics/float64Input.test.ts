/**
 * float64 features reach the accumulators unnarrowed, whichever kernel was chosen: the WebAssembly
 * kernels hold float32, so a float64 batch must go through the JavaScript ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClassStatsAccumulator, ProjectionAccumulator } from '../../../src/core/metrics';

const K = 3;
const D = 5;
const N = 60;

/** Classes separated by 1e-9 around 1: float32 (eps 6e-8) cannot tell them apart, float64 can. */
function batch(): { features: Float64Array; labels: Int32Array } {
  const features = new Float64Array(N * D);
  const labels = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    labels[i] = i % K;
    for (let d = 0; d < D; d++) features[i * D + d] = 1 + (d === labels[i] ? 4e-9 : 0) + Math.sin(i * 3.7 + d) * 1e-9;
  }
  return { features, labels };
}

function analyse(features: Float32Array | Float64Array, labels: Int32Array, kernel: 'auto' | 'javascript') {
  const pass1 = new ClassStatsAccumulator('h', K, D, { kernel });
  pass1.add(features, labels);
  const stats = pass1.finish();
  const pass2 = new ProjectionAccumulator(stats, stats, { kernel });
  pass2.add(features, labels);
  return { stats, metrics: pass2.finish() };
}

test('a float64 batch gives the same numbers with the default (WebAssembly) kernels as with JavaScript, and keeps its precision', () => {
  const { features, labels } = batch();
  const auto = analyse(features, labels, 'auto');
  const js = analyse(features, labels, 'javascript');
  assert.deepEqual(Array.from(auto.stats.means), Array.from(js.stats.means));
  assert.equal(auto.metrics.nc1, js.metrics.nc1);
  assert.equal(auto.metrics.nccAccuracy, 1);
  assert.equal(typeof auto.metrics.nc1, 'number');
  // The same features narrowed to float32 lose the classes: their means coincide.
  const narrowed = analyse(Float32Array.from(features), labels, 'auto');
  assert.equal(narrowed.metrics.nc1, null);
});
