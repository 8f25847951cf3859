/**
 * The host-side plumbing the analysis and compare panels share: how their webview is opened, the page
 * written once, and a link that posts only while the page listens.
 *
 * Panels do not retain their context when hidden (it costs memory per panel): the page is torn down and
 * posts `ready` when it is back. Until then posting would be lost, so the link holds its tongue and the
 * panel replays its snapshot (what it last showed) on the next `ready`.
 */
import * as vscode from 'vscode';
import { makeNonce, panelHtml } from './panelHtml';

/** The page's own files: its bundle under dist/webview/ and its stylesheet under media/. */
export interface PanelPageFiles {
  script: string;
  style: string;
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(context.extensionUri, 'media')],
  };
}

/** A new panel in the active column, its context not retained while hidden (see the module comment). */
export function createPanelWebview(context: vscode.ExtensionContext, viewType: string, title: string, preserveFocus: boolean): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    viewType,
    title,
    { viewColumn: vscode.ViewColumn.Active, preserveFocus },
    { ...webviewOptions(context), retainContextWhenHidden: false, enableFindWidget: true },
  );
}

export interface PageLinkOptions<FromPage extends { kind: string }> {
  files: PanelPageFiles;
  /** Narrows what the page posts; undefined for a malformed message. */
  parse(raw: unknown): FromPage | undefined;
  /** The page (re)loaded and listens: post it everything it should show. */
  replay(): void;
  /** Every well-formed message but `ready`, which the link handles itself. */
  receive(message: FromPage): void;
  /** A warning about the page, for the log; the panel prefixes which panel it is. */
  warn(text: string): void;
}

export class PageLink<ToPage, FromPage extends { kind: string }> implements vscode.Disposable {
  private listening = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly options: PageLinkOptions<FromPage>,
  ) {
    const webview = panel.webview;
    // Set here too, not only at creation: a panel VS Code revives after a reload comes with none.
    webview.options = webviewOptions(context);
    this.subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        // Hidden without retained context, the page is torn down; it posts `ready` when it is back.
        if (!panel.visible) this.listening = false;
      }),
    ];
    // Set once: later updates are messages (reassigning html would reload the page).
    webview.html = panelHtml({
      title: panel.title,
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', options.files.script)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', options.files.style)).toString(),
    });
  }

  /** Whether a post would reach the page now (else it waits for the replay at the next `ready`). */
  get pageListening(): boolean {
    return this.listening;
  }

  /** Posts now when the page listens; otherwise the panel's snapshot carries it to the next `ready`. */
  post(message: ToPage): void {
    if (!this.listening) return;
    this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.listening = false;
      },
      (error: unknown) => this.options.warn(`message not delivered (${String(error)})`),
    );
  }

  dispose(): void {
    while (this.subscriptions.length > 0) this.subscriptions.pop()?.dispose();
  }

  private receive(raw: unknown): void {
    const message = this.options.parse(raw);
    if (!message) {
      this.options.warn('ignored a malformed message from the webview');
      return;
    }
    if (message.kind === 'ready') {
      this.listening = true;
      this.options.replay();
      return;
    }
    this.options.receive(message);
  }
}
