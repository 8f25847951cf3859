/**
 * The engine runs in its own process, forked by the extension's EngineClient: killing it mid-analysis
 * must reject the job with a clear EngineError and leave the host (here, the test process) running,
 * and a cancel must stop the job promptly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineClient, EngineError } from '../../../src/extension/engineClient';
import type { ProgressInfo } from '../../../src/protocol/engine';
import { tempDir } from '../dataset/helpers/writers';
import { fixtureRequest } from './helpers/analyze';
import { modelPath } from './helpers/paths';
import { isAlive, pidFromLogLine, waitForExit, writeEngineLauncher } from './helpers/engineLauncher';

/** An EngineClient on the TypeScript engine, and the pid of the engine it last started. */
function engineUnderTest(dir: string): { client: EngineClient; pid(): number | null; lines: string[] } {
  let pid: number | null = null;
  const lines: string[] = [];
  const client = new EngineClient({
    enginePath: writeEngineLauncher(dir),
    log: (line) => {
      lines.push(line);
      pid = pidFromLogLine(line) ?? pid;
    },
  });
  return { client, pid: () => pid, lines };
}

/** Calls `then` once, on the first progress report of pass 1 (inference has started). */
function onFirstPass1(then: (p: ProgressInfo) => void): { onProgress(p: ProgressInfo): void } {
  let fired = false;
  return {
    onProgress(p) {
      if (!fired && p.stage === 'pass1') {
        fired = true;
        then(p);
      }
    },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof EngineError, `rejected with ${String(err)}, not an EngineError`);
    return err;
  }
  assert.fail('the job resolved; it should have been stopped');
}

test('SIGKILL of the engine mid-analysis rejects with an EngineError saying it was killed; the host lives on', async () => {
  const { dir, cleanup } = tempDir('engine-kill');
  const engine = engineUnderTest(dir);
  try {
    let killedPid: number | null = null;
    const job = engine.client.analyze(
      fixtureRequest('cnn'),
      onFirstPass1(() => {
        killedPid = engine.pid();
        assert.ok(killedPid !== null && killedPid !== process.pid, `engine pid from its log: ${engine.lines.join(' | ')}`);
        process.kill(killedPid, 'SIGKILL');
      }),
    );
    const err = await rejectionOf(job);
    assert.ok(killedPid !== null, 'the analysis never reached pass 1');
    assert.match(err.message, /engine was killed by SIGKILL before finishing \(from outside the editor: on Linux, most often the system running out of memory\)\. Fewer or narrower layers/);
    assert.equal(err.cancelled, false);
    assert.equal(isAlive(killedPid), false, 'the engine is gone');

    // The host side still works: a new job gets a fresh engine.
    const layers = await engine.client.layers(modelPath('mlp'));
    assert.equal(layers.format, 'onnx');
    assert.ok(layers.layers.some((l) => l.name === '/relu3/Relu_output_0'));
  } finally {
    engine.client.dispose();
    cleanup();
  }
});

test('cancel stops the analysis within about a second: rejected with cancelled = true, engine gone', async (t) => {
  const { dir, cleanup } = tempDir('engine-cancel');
  const engine = engineUnderTest(dir);
  try {
    let cancel: (() => void) | undefined;
    const token = {
      onCancellationRequested(listener: () => void) {
        cancel = listener;
        return { dispose: () => undefined };
      },
    };
    let cancelledAt = 0;
    let pid: number | null = null;
    const job = engine.client.analyze(
      fixtureRequest('cnn'),
      onFirstPass1(() => {
        pid = engine.pid();
        cancelledAt = performance.now();
        assert.ok(cancel, 'EngineClient registered no cancellation listener');
        cancel();
      }),
      token,
    );
    const err = await rejectionOf(job);
    const stoppedAfterMs = performance.now() - cancelledAt;
    assert.ok(cancelledAt > 0, 'the analysis never reached pass 1');
    assert.equal(err.cancelled, true);
    assert.match(err.message, /cancelled/i);
    // EngineClient kills an engine that has not stopped 1 s after a cancel; the margin is for a busy machine.
    t.diagnostic(`rejected ${stoppedAfterMs.toFixed(0)} ms after the cancel`);
    assert.ok(stoppedAfterMs < 2500, `stopped ${stoppedAfterMs.toFixed(0)} ms after the cancel`);
    assert.ok(pid !== null && (await waitForExit(pid, 2000)), `engine ${pid} still running after the cancel`);
  } finally {
    engine.client.dispose();
    cleanup();
  }
});
