/**
 * bench:metrics' eigensolver table: symmetricEigen on Sigma_B-like matrices (the centred Gram of K random
 * class means, PSD of rank K - 1, as class-stats.ts hands it over) at K = 10, 100, 1000, with the
 * WebAssembly SIMD row loops and with the JavaScript fallback, and the residual checks of
 * test/unit/metrics/eigen.test.ts on the result.
 */
import { loadavg } from 'node:os';
import { symmetricEigen, type KernelChoice } from '../../src/core/metrics';
import { centredGram, eigenResiduals } from '../../test/unit/metrics/brute-force';
import { fixed, formatTable, median } from './table';

/**
 * symmetricEigen at K = 1000 when this work started (the solver before the WebAssembly row loops and the
 * logged rotations), on this machine at load average 0.28, and 5.85 s in a second run at 2.2.
 */
const BEFORE_K1000_SECONDS = 4.3;

interface Timing {
  wall: number;
  cpu: number;
}

function timeOnce(gram: Float64Array, K: number, kernel: KernelChoice): Timing & { eigen: ReturnType<typeof symmetricEigen> } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const eigen = symmetricEigen(gram, K, kernel);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, eigen };
}

function timeRepeated(gram: Float64Array, K: number, kernel: KernelChoice, repeat: number): { median: Timing; fastest: Timing; eigen: ReturnType<typeof symmetricEigen> } {
  const runs = Array.from({ length: repeat }, () => timeOnce(gram, K, kernel));
  const walls = runs.map((r) => r.wall);
  const fastest = runs.reduce((best, r) => (r.wall < best.wall ? r : best));
  return { median: { wall: median(walls), cpu: median(runs.map((r) => r.cpu)) }, fastest, eigen: runs[0]!.eigen };
}

export function eigenTable(quick: boolean): void {
  const sizes = quick ? [10, 100, 300] : [10, 100, 1000];
  const repeat = quick ? 1 : 3;
  // Warm the JIT and compile the kernels before anything is timed.
  const warm = centredGram(64, 70, 1);
  symmetricEigen(warm, 64, 'wasm-simd');
  symmetricEigen(warm, 64, 'javascript');
  const rows: string[][] = [];
  for (const K of sizes) {
    const gram = centredGram(K, K + 24, K);
    const wasm = timeRepeated(gram, K, 'wasm-simd', repeat);
    const js = timeRepeated(gram, K, 'javascript', K >= 1000 ? 1 : repeat);
    const check = eigenResiduals(gram, K, wasm.eigen.values, wasm.eigen.vectors);
    let identical = true;
    for (let i = 0; i < K * K && identical; i++) identical = Object.is(wasm.eigen.vectors[i], js.eigen.vectors[i]);
    for (let i = 0; i < K && identical; i++) identical = Object.is(wasm.eigen.values[i], js.eigen.values[i]);
    rows.push([
      String(K),
      K === 1000 ? fixed(BEFORE_K1000_SECONDS) : '',
      fixed(js.median.wall, 3),
      fixed(js.median.cpu, 3),
      fixed(wasm.median.wall, 3),
      fixed(wasm.fastest.wall, 3),
      fixed(wasm.median.cpu, 3),
      check.residual.toExponential(1),
      check.orthogonality.toExponential(1),
      identical ? 'yes' : 'NO',
    ]);
  }
  console.log('');
  console.log(`symmetricEigen on Sigma_B-like Gram matrices (rank K - 1), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}:`);
  console.log(
    formatTable(
      ['K', 'before s', 'javascript s', 'javascript CPU s', 'wasm-simd s (median)', 'wasm-simd s (fastest)', 'wasm-simd CPU s', 'max |Av - lv| / max |A|', 'max |V^T V - I|', 'same numbers js/wasm'],
      rows,
    ),
  );
  console.log(`note: "before" is the solver as it was before the WebAssembly row loops (measured once, ${BEFORE_K1000_SECONDS} s at load average 0.28); wasm-simd ran ${repeat}x, javascript ${quick ? 1 : '3x (1x at K = 1000)'}.`);
  console.log('note: CPU s is this process\'s user + system time: on a shared machine it moves less than the wall time, which includes the waits for a core.');
}
