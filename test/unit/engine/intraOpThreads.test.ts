import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intraOpThreads } from '../../../src/engine/backends/intraOpThreads';

test('intraOpThreads keeps an explicit count and chooses every core for 0', () => {
  assert.equal(intraOpThreads(3, 16), 3);
  assert.equal(intraOpThreads(1, 2), 1);
  // onnxruntime's default ran a ResNet-18 on one core of a 2-vCPU VM: the engine asks for both.
  assert.equal(intraOpThreads(0, 2), 2);
  assert.equal(intraOpThreads(0, 16), 16);
  assert.equal(intraOpThreads(0, 0), 1, 'a machine reporting no cores still gets one thread');
});
