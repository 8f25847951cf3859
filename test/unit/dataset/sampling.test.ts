import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLabels, checkSplitsAgree, selectIndices } from '../../../src/core/dataset';

// 3 classes of sizes 50, 20 and 5, interleaved.
const labels = Int32Array.from({ length: 75 }, (_, i) => (i < 60 ? (i % 3 === 2 ? (i < 15 ? 2 : 0) : i % 3) : 0));
const sizes = [0, 1, 2].map((c) => labels.filter((l) => l === c).length);

test('selectIndices: balanced, sorted, unique, and the same for the same seed', () => {
  assert.deepEqual(sizes, [50, 20, 5]);
  const picked = selectIndices(labels, 3, 10, 42);
  assert.deepEqual(
    [0, 1, 2].map((c) => Array.from(picked).filter((i) => labels[i] === c).length),
    [10, 10, 5],
  );
  assert.deepEqual(Array.from(picked), [...picked].sort((a, b) => a - b));
  assert.equal(new Set(picked).size, picked.length);
  assert.deepEqual(Array.from(selectIndices(labels, 3, 10, 42)), Array.from(picked));
  assert.notDeepEqual(Array.from(selectIndices(labels, 3, 10, 43)), Array.from(picked));
  assert.deepEqual(Array.from(selectIndices(labels, 3, null, 1)), Array.from({ length: 75 }, (_, i) => i));
  assert.throws(() => selectIndices(labels, 3, 0, 1), /perClass must be a positive integer or null, got 0/);
});

test('selectIndices draws uniformly within a class', () => {
  // Each of the 50 class-0 samples should be picked with probability 10/50 over many seeds.
  const counts = new Map<number, number>();
  const runs = 2000;
  for (let seed = 0; seed < runs; seed++) {
    for (const i of selectIndices(labels, 3, 10, seed)) if (labels[i] === 0) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  assert.equal(counts.size, 50);
  const expected = (runs * 10) / 50; // 400, binomial sd = sqrt(2000 * 0.2 * 0.8) ~ 17.9
  for (const [i, n] of counts) assert.ok(Math.abs(n - expected) < 6 * 17.9, `sample ${i} picked ${n} times`);
});

test('checkLabels names the file, the label and its first sample, or the empty class', () => {
  assert.deepEqual(Array.from(checkLabels(Int32Array.from([0, 2, 1, 2]), 3, 'a.npz')), [1, 1, 2]);
  assert.throws(() => checkLabels(Int32Array.from([0, 1, 7, 7]), 3, 'a.npz'), /^Error: a\.npz: label 7 at sample 2 is outside 0\.\.2/);
  assert.throws(() => checkLabels(Int32Array.from([0, -1]), 3, 'b.idx'), /b\.idx: label -1 at sample 1/);
  assert.throws(() => checkLabels(Int32Array.from([0, 2]), 3, 'c', ['cat', 'dog', 'emu']), /c: class 1 \("dog"\) has no samples/);
  assert.throws(() => checkLabels(Int32Array.from([0, 2]), 3, 'c'), /c: class 1 has no samples \(2 of the 3 classes have some\)/);
  // Sparse labels: the first few empty classes are named, and how many more.
  assert.throws(() => checkLabels(Int32Array.from([0, 1000]), 1001, 'd'), /d: classes 1, 2, 3, 4, 5, 6, 7, 8 and 991 more have no samples \(2 of the 1001 classes/);
  // A held-out split may lack a class: counted, not refused.
  assert.deepEqual(Array.from(checkLabels(Int32Array.from([0, 2]), 3, 'e', null, { allowEmpty: true })), [1, 0, 1]);
});

test('checkSplitsAgree: same class names, test labels known to training; a class missing from test is a warning', () => {
  const names = ['a', 'b', 'c'];
  assert.deepEqual(checkSplitsAgree({ source: 'tr', classNames: names, labels: Int32Array.from([0, 1, 2]) }, { source: 'te', classNames: names, labels: Int32Array.from([2, 0, 1]) }), []);
  assert.throws(
    () => checkSplitsAgree({ source: 'tr', classNames: names, labels: Int32Array.from([0]) }, { source: 'te', classNames: ['a', 'b', 'd'], labels: Int32Array.from([0]) }),
    /te: its classes do not match those of tr \(only in tr: \[c\]; only in te: \[d\]\)/,
  );
  assert.throws(
    () => checkSplitsAgree({ source: 'tr', classNames: names, labels: Int32Array.from([0]) }, { source: 'te', classNames: ['b', 'a', 'c'], labels: Int32Array.from([0]) }),
    /same names in a different order/,
  );
  assert.throws(
    () => checkSplitsAgree({ source: 'tr', classNames: null, labels: Int32Array.from([0, 1]) }, { source: 'te', classNames: null, labels: Int32Array.from([1, 5, 5]) }),
    /te: label 5 \(first at sample 1\) never occurs in the training split tr/,
  );
  assert.deepEqual(
    checkSplitsAgree({ source: 'tr', classNames: names, labels: Int32Array.from([0, 1, 2]) }, { source: 'te', classNames: names, labels: Int32Array.from([0, 0]) }),
    [
      'te: no test samples for class(es) 1 ("b"), 2 ("c"): the held-out metrics that need every class are null ' +
        '(the reason is in "unavailable"); held-out NCC accuracy is over the samples present, against the training means',
    ],
  );
});
