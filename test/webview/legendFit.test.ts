import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLegendLabels, legendItemWidth } from '../../webview/charts/legendFit';

const total = (labels: string[]) => labels.reduce((sum, l) => sum + legendItemWidth(l), 0);

test('labels that fit are drawn as they are', () => {
  assert.deepEqual(fitLegendLabels(['Train (n = 1,000)', 'Held-out test (n = 962)'], 500), ['Train (n = 1,000)', 'Held-out test (n = 962)']);
});

test('long layer names are shortened in the middle to fit, staying distinct; short ones untouched', () => {
  const layers = ['/flatten/Flatten_output_0', '/relu2/Relu_output_0', '/relu3/Relu_output_0', 'logits'];
  const width = 460;
  assert.ok(total(layers) > width, 'the premise: they do not fit');
  const fitted = fitLegendLabels(layers, width);
  assert.ok(total(fitted) <= width, `still ${total(fitted)} px wide: ${JSON.stringify(fitted)}`);
  assert.equal(fitted[3], 'logits');
  for (const [i, label] of fitted.entries()) {
    if (label === layers[i]) continue;
    const [head, tail] = label.split('…') as [string, string];
    assert.ok(layers[i]!.startsWith(head) && layers[i]!.endsWith(tail) && head.length > 0, `"${label}" is not "${layers[i]}" shortened in the middle`);
  }
  assert.equal(new Set(fitted).size, fitted.length, 'two layers became indistinguishable');
});
