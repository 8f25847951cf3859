/**
 * Just enough of the `vscode` module for the analysis panel's host class to run in Node: panels record
 * what they are sent, dialogs and file writes are scripted. Installed by hooking Node's module loader,
 * since `vscode` exists only inside the extension host.
 */
import Module from 'node:module';

type Listener<T> = (value: T) => void;

export class FakeEventEmitter<T> {
  private listeners: Listener<T>[] = [];
  disposed = false;
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const l of this.listeners.slice()) l(value);
  }
  get listenerCount(): number {
    return this.listeners.length;
  }
  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

export class FakeUri {
  constructor(readonly fsPath: string) {}
  static file(path: string): FakeUri {
    return new FakeUri(path);
  }
  static joinPath(base: FakeUri, ...parts: string[]): FakeUri {
    return new FakeUri([base.fsPath, ...parts].join('/'));
  }
  toString(): string {
    return `https://webview.test${this.fsPath}`;
  }
}

export class FakeWebview {
  options: unknown = {};
  readonly htmlWrites: string[] = [];
  readonly posted: unknown[] = [];
  readonly cspSource = 'https://webview.test';
  readonly messages = new FakeEventEmitter<unknown>();
  readonly onDidReceiveMessage = this.messages.event;
  /** false: the page is gone (hidden without retained context), so messages are lost. */
  live = true;
  set html(value: string) {
    this.htmlWrites.push(value);
  }
  get html(): string {
    return this.htmlWrites[this.htmlWrites.length - 1] ?? '';
  }
  asWebviewUri(uri: FakeUri): FakeUri {
    return uri;
  }
  postMessage(message: unknown): Promise<boolean> {
    if (this.live) this.posted.push(message);
    return Promise.resolve(this.live);
  }
}

export class FakePanel {
  readonly webview = new FakeWebview();
  visible = true;
  reveals = 0;
  disposed = false;
  readonly viewState = new FakeEventEmitter<unknown>();
  readonly onDidChangeViewState = this.viewState.event;
  readonly disposeEvents = new FakeEventEmitter<void>();
  readonly onDidDispose = this.disposeEvents.event;
  constructor(
    readonly viewType: string,
    public title: string,
    readonly panelOptions: unknown,
  ) {}
  reveal(): void {
    this.reveals++;
    this.visible = true;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEvents.fire();
  }
  /** What VS Code does when the user switches to another tab (context not retained). */
  hide(): void {
    this.visible = false;
    this.webview.live = false;
    this.viewState.fire({});
  }
  show(): void {
    this.visible = true;
    this.webview.live = true;
    this.viewState.fire({});
  }
}

/** A status bar item: a test reads its text, tooltip, command and whether it shows. */
export class FakeStatusBarItem {
  text = '';
  tooltip: unknown;
  command: unknown;
  name?: string;
  accessibilityInformation?: { label: string };
  visible = false;
  disposed = false;
  constructor(readonly id: string) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
  }
}

export interface FakeWindowState {
  panels: FakePanel[];
  statusBarItems: FakeStatusBarItem[];
  /** setContext calls, as key -> last value. */
  contextKeys: Map<string, unknown>;
  /** collapseLens.* settings a test sets; others read as their defaults. */
  settings: Map<string, unknown>;
  serializers: Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>;
  saveDialogAnswer: FakeUri | undefined;
  saveDialogOptions: { defaultUri?: FakeUri; filters?: Record<string, string[]> }[];
  written: { uri: FakeUri; bytes: Uint8Array }[];
  infos: string[];
  errors: string[];
}

export const fake: FakeWindowState = {
  panels: [],
  statusBarItems: [],
  contextKeys: new Map(),
  settings: new Map(),
  serializers: new Map(),
  saveDialogAnswer: undefined,
  saveDialogOptions: [],
  written: [],
  infos: [],
  errors: [],
};

/** The tree-view classes, as plain records: a test reads the label, description, tooltip and icon. */
class FakeTreeItem {
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  id?: string;
  command?: unknown;
  accessibilityInformation?: { label: string };
  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}
class FakeMarkdownString {
  constructor(readonly value: string) {}
}
class FakeThemeColor {
  constructor(readonly id: string) {}
}
class FakeThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: FakeThemeColor,
  ) {}
}

const vscodeModule = {
  Uri: FakeUri,
  TreeItem: FakeTreeItem,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  MarkdownString: FakeMarkdownString,
  ThemeColor: FakeThemeColor,
  ThemeIcon: FakeThemeIcon,
  EventEmitter: FakeEventEmitter,
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  commands: {
    executeCommand(command: string, ...args: unknown[]): Promise<undefined> {
      if (command === 'setContext') fake.contextKeys.set(args[0] as string, args[1]);
      return Promise.resolve(undefined);
    },
  },
  window: {
    createStatusBarItem(id: string): FakeStatusBarItem {
      const item = new FakeStatusBarItem(id);
      fake.statusBarItems.push(item);
      return item;
    },
    /** Runs the task at once, with a progress that records nothing and a token never cancelled. */
    withProgress<T>(_options: unknown, task: (progress: { report(value: unknown): void }, token: { isCancellationRequested: boolean; onCancellationRequested(): { dispose(): void } }) => Promise<T>): Promise<T> {
      return task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) });
    },
    createWebviewPanel(viewType: string, title: string, _column: unknown, options: unknown): FakePanel {
      const panel = new FakePanel(viewType, title, options);
      fake.panels.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }) {
      fake.serializers.set(viewType, serializer);
      return { dispose: () => fake.serializers.delete(viewType) };
    },
    showSaveDialog(options: { defaultUri?: FakeUri; filters?: Record<string, string[]> }): Promise<FakeUri | undefined> {
      fake.saveDialogOptions.push(options);
      return Promise.resolve(fake.saveDialogAnswer);
    },
    showInformationMessage(message: string): Promise<undefined> {
      fake.infos.push(message);
      return Promise.resolve(undefined);
    },
    showErrorMessage(message: string): Promise<undefined> {
      fake.errors.push(message);
      return Promise.resolve(undefined);
    },
  },
  workspace: {
    workspaceFolders: [{ uri: FakeUri.file('/workspace') }],
    getConfiguration(section: string) {
      return { get: <T>(key: string, defaultValue: T): T => (fake.settings.has(`${section}.${key}`) ? (fake.settings.get(`${section}.${key}`) as T) : defaultValue) };
    },
    fs: {
      writeFile(uri: FakeUri, bytes: Uint8Array): Promise<void> {
        fake.written.push({ uri, bytes });
        return Promise.resolve();
      },
    },
  },
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoader = Module as unknown as { _load: Loader };
const originalLoad = moduleWithLoader._load;
moduleWithLoader._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
  return request === 'vscode' ? vscodeModule : originalLoad.call(this, request, parent, isMain);
};

export class FakeLog {
  readonly lines: string[] = [];
  shown = 0;
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
  show(): void {
    this.shown++;
  }
}

export function fakeContext(): { extensionUri: FakeUri; subscriptions: { dispose(): void }[] } {
  return { extensionUri: FakeUri.file('/ext'), subscriptions: [] };
}

/** Forgets the previous test's panels, file writes, dialogs and notices. */
export function resetFake(): void {
  fake.panels.length = 0;
  fake.statusBarItems.length = 0;
  fake.contextKeys.clear();
  fake.settings.clear();
  fake.written.length = 0;
  fake.saveDialogOptions.length = 0;
  fake.infos.length = 0;
  fake.errors.length = 0;
  fake.saveDialogAnswer = undefined;
}

/** The kinds of the messages a panel posted to its page, in order. */
export const postedKinds = (panel: FakePanel): string[] => panel.webview.posted.map((m) => (m as { kind: string }).kind);

/** A message from the page to the host, as the webview would post it. */
export const fromWebview = (panel: FakePanel, message: unknown): void => panel.webview.messages.fire(message);

/** Lets pending promise callbacks (postMessage's delivery, the serializer's loads) run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
