/**
 * Entry of the compare panel's webview bundle (dist/webview/compare.js): wires the host's messages to the
 * app and says `ready` once it listens, so the host can replay what it last showed.
 */
import type { ComparePanelToHost } from '../../src/protocol/webview';
import { vscodeApi } from '../common/vscodeApi';
import { CompareApp } from './app';
import { asCompareHostMessage } from './data/messages';
import { asCompareWebviewState, type CompareWebviewState } from './data/webviewState';

function start(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('compare panel: the page has no #app element');
  const api = vscodeApi<CompareWebviewState, ComparePanelToHost>(asCompareWebviewState);
  const app = new CompareApp(root, api);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = asCompareHostMessage(event.data);
    if (message) app.handle(message);
  });
  api.postMessage({ kind: 'ready' });
}

start();
