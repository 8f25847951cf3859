import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossings, placeLineLabels, segmentCrossesBox } from '../../webview/charts/labelPlacement';
import { textWidth } from '../../webview/charts/textWidth';

const PLOT = { left: 64, right: 520, top: 30, bottom: 300 };

test('segmentCrossesBox: through, beside, ending inside, and a vertical segment', () => {
  const box = { x: 10, y: 10, width: 20, height: 10 };
  assert.equal(segmentCrossesBox({ x: 0, y: 15 }, { x: 40, y: 15 }, box), true);
  assert.equal(segmentCrossesBox({ x: 0, y: 0 }, { x: 40, y: 5 }, box), false);
  assert.equal(segmentCrossesBox({ x: 0, y: 0 }, { x: 15, y: 12 }, box), true);
  assert.equal(segmentCrossesBox({ x: 35, y: 0 }, { x: 35, y: 40 }, box), false);
  assert.equal(segmentCrossesBox({ x: 20, y: 0 }, { x: 20, y: 40 }, box), true);
});

test('crossings counts every segment through the box', () => {
  const box = { x: 10, y: 10, width: 20, height: 10 };
  assert.equal(crossings(box, [[{ x: 0, y: 15 }, { x: 40, y: 15 }, { x: 0, y: 12 }], [{ x: 0, y: 50 }, { x: 40, y: 60 }]]), 2);
});

test('a label whose left-below place a rising series crosses moves to a free place', () => {
  // NCC accuracy: the held-out series rises from y=140 to y=120, right under the line at y=118,
  // so the default place (left, below the line) is on it; the line's label must go elsewhere.
  const lineY = 118;
  const series = [[{ x: 110, y: 160 }, { x: 190, y: 125 }, { x: 270, y: 122 }, { x: 350, y: 121 }, { x: 430, y: 121 }]];
  const [usual] = placeLineLabels([{ text: 'network test 83.8%', lineY }], [], PLOT);
  assert.ok(crossings(usual!.box, series) > 0, 'the premise: the usual place is on the series');
  const [place] = placeLineLabels([{ text: 'network test 83.8%', lineY }], series, PLOT);
  assert.ok(place, 'one place per label');
  assert.equal(crossings(place.box, series), 0, `the chosen place ${JSON.stringify(place)} crosses the series`);
});

test('with nothing in the way the label keeps its usual place, left end below the line', () => {
  const [place] = placeLineLabels([{ text: 'network train 100.0%', lineY: 40 }], [[{ x: 300, y: 250 }, { x: 400, y: 260 }]], PLOT);
  assert.deepEqual([place!.anchor, place!.x, place!.y], ['start', PLOT.left + 6, 53]);
});

test('two labels of nearby lines never sit on each other, and stay inside the plot', () => {
  const places = placeLineLabels(
    [
      { text: 'network train 100.0%', lineY: 31 },
      { text: 'network test 99.0%', lineY: 35 },
    ],
    [],
    PLOT,
  );
  const [a, b] = places.map((p) => p.box);
  const apart = a!.x + a!.width <= b!.x || b!.x + b!.width <= a!.x || a!.y + a!.height <= b!.y || b!.y + b!.height <= a!.y;
  assert.ok(apart, `the labels overlap: ${JSON.stringify(places)}`);
  for (const box of [a!, b!]) assert.ok(box.y >= PLOT.top && box.y + box.height <= PLOT.bottom, `outside the plot: ${JSON.stringify(box)}`);
  assert.ok(textWidth('network test 99.0%', 10.5) > 80, 'the width estimate is a text width, not a character count');
});
