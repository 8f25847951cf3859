/** The host side's pure parts: the page shell and its CSP, export decoding, message narrowing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../src/extension/panels/panelHtml';
import { decodeExport, safeFileName } from '../../src/extension/panels/exportPayload';
import { parseAnalysisPanelMessage, parseAnalysisPanelState } from '../../src/extension/panels/panelMessages';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

test('the CSP allows nothing by default, scripts by nonce only, styles from the extension only', () => {
  const csp = contentSecurityPolicy(CSP_SOURCE, 'abc123');
  const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'], ["'nonce-abc123'"]);
  assert.deepEqual(directives['style-src'], [CSP_SOURCE]);
  assert.deepEqual(directives['img-src'], [CSP_SOURCE, 'data:']);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/(?!file\+)/);
});

test('the page loads the bundle with the nonce and the stylesheet by URI, and escapes the title', () => {
  const html = panelHtml({ title: 'a <b> & "c"', cspSource: CSP_SOURCE, nonce: 'n0nce+/=', scriptUri: 'https://x/analysis.js', styleUri: 'https://x/panel.css' });
  assert.match(html, /<script nonce="n0nce\+\/=" src="https:\/\/x\/analysis\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/panel\.css">/);
  assert.match(html, /<title>a &lt;b&gt; &amp; &quot;c&quot;<\/title>/);
  assert.match(html, /<main id="app"/);
  assert.doesNotMatch(html, /style=/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
});

test('nonces are fresh 128-bit values', () => {
  const a = makeNonce();
  assert.equal(Buffer.from(a, 'base64').length, 16);
  assert.notEqual(a, makeNonce());
});

test('exports: PNG data URLs are decoded to the PNG bytes', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const file = decodeExport('png', 'chart.png', `data:image/png;base64,${png.toString('base64')}`);
  assert.deepEqual(Buffer.from(file.bytes), png);
  assert.equal(file.fileName, 'chart.png');
  assert.deepEqual(file.filters, { 'PNG image': ['png'] });
  assert.throws(() => decodeExport('png', 'x', 'data:image/jpeg;base64,AAAA'), /x\.png: PNG data is not a data:image\/png;base64 URL/);
  assert.throws(() => decodeExport('png', 'x', `data:image/png;base64,${Buffer.from('GIF89a').toString('base64')}`), /not a PNG image/);
});

test('exports: text formats are UTF-8, and checked for their kind', () => {
  assert.deepEqual(Buffer.from(decodeExport('csv', 'layers.csv', 'a,é\r\n').bytes), Buffer.from('a,é\r\n', 'utf8'));
  assert.throws(() => decodeExport('json', 'r.json', '{nope'), /r\.json: the JSON data does not parse/);
  assert.throws(() => decodeExport('svg', 'c.svg', '<html></html>'), /no <svg> element/);
  assert.equal(decodeExport('svg', 'c', '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>').fileName, 'c.svg');
});

test('export file names lose folders and forbidden characters and get their extension', () => {
  assert.equal(safeFileName('../../secret/nc1.svg', 'svg'), 'nc1.svg');
  assert.equal(safeFileName('C:\\Users\\x\\a:b?.csv', 'csv'), 'a-b-.csv');
  assert.equal(safeFileName('result', 'json'), 'result.json');
  assert.equal(safeFileName('...', 'png'), 'collapse-lens.png');
});

test('webview messages are narrowed; malformed ones are refused', () => {
  assert.deepEqual(parseAnalysisPanelMessage({ kind: 'ready', extra: 1 }), { kind: 'ready' });
  assert.deepEqual(parseAnalysisPanelMessage({ kind: 'layerSelected', layer: 'a' }), { kind: 'layerSelected', layer: 'a' });
  assert.equal(parseAnalysisPanelMessage({ kind: 'layerSelected', layer: '' }), undefined);
  assert.equal(parseAnalysisPanelMessage({ kind: 'export', format: 'exe', suggestedName: 'a', data: '' }), undefined);
  assert.deepEqual(parseAnalysisPanelMessage({ kind: 'export', format: 'csv', suggestedName: 'a', data: 'x' }), { kind: 'export', format: 'csv', suggestedName: 'a', data: 'x' });
  assert.equal(parseAnalysisPanelMessage(null), undefined);
});

test('saved panel state needs a run id', () => {
  assert.deepEqual(parseAnalysisPanelState({ runId: 'r', selectedLayer: 'a', nc2Metric: 'x' }), { runId: 'r', selectedLayer: 'a' });
  assert.equal(parseAnalysisPanelState({ runId: '' }), undefined);
  assert.equal(parseAnalysisPanelState(undefined), undefined);
});
