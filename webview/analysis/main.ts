/**
 * Entry of the analysis panel's webview bundle (dist/webview/analysis.js): wires the host's messages to
 * the app and says `ready` once it listens, so the host can send what it queued.
 */
import type { AnalysisPanelToHost } from '../../src/protocol/webview';
import { vscodeApi } from '../common/vscodeApi';
import { AnalysisApp } from './app';
import { asHostMessage } from './data/messages';
import { asWebviewState, type AnalysisWebviewState } from './data/webviewState';

function start(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('analysis panel: the page has no #app element');
  const api = vscodeApi<AnalysisWebviewState, AnalysisPanelToHost>(asWebviewState);
  const app = new AnalysisApp(root, api);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = asHostMessage(event.data);
    if (message) app.handle(message);
  });
  api.postMessage({ kind: 'ready' });
}

start();
