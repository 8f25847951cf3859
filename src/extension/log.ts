import * as vscode from 'vscode';

/** One log channel for the extension; failures show a short notification that opens it. */
export class Log {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Collapse Lens', { log: true });
  }

  info(message: string): void {
    this.channel.info(message);
  }

  /** A short notification with "Show Log"; the details go to the channel only. */
  async fail(summary: string, detail?: string): Promise<void> {
    this.channel.error(summary + (detail ? `\n${detail}` : ''));
    const choice = await vscode.window.showErrorMessage(summary, 'Show Log');
    if (choice === 'Show Log') this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
