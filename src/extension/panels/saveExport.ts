/**
 * Saves what a panel exported: a save dialog (the webview cannot write files), then workspace.fs so it
 * works for remote and virtual workspaces too. Shared by the analysis and compare panels.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat, ExportMessage } from '../../protocol/webview';
import { decodeExport, type ExportFile } from './exportPayload';
import { messageOf } from '../../core/messageOf';

/** Where the dialog opens: the first workspace folder, else the checkpoint's folder, else the home folder. */
function defaultFolder(nearPath: string | undefined): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder) return folder;
  if (nearPath && path.isAbsolute(nearPath)) return vscode.Uri.file(path.dirname(nearPath));
  return vscode.Uri.file(os.homedir());
}

/**
 * Returns the written file, or undefined when the user cancelled. Errors are logged and shown with a
 * "Show Log" action, never thrown into the message handler.
 */
export function saveExport(request: ExportMessage, log: vscode.LogOutputChannel, nearPath?: string): Promise<vscode.Uri | undefined> {
  return saveExportFile(() => decodeExport(request.format, request.suggestedName, request.data), request.format, log, nearPath);
}

/** saveExport for a file the host makes itself (`make` may throw: reported like a bad export). */
export async function saveExportFile(make: () => ExportFile, format: ExportFormat, log: vscode.LogOutputChannel, nearPath?: string): Promise<vscode.Uri | undefined> {
  try {
    const file = make();
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(defaultFolder(nearPath), file.fileName),
      filters: file.filters,
      saveLabel: 'Export',
      title: `Export ${format.toUpperCase()}`,
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, file.bytes);
    log.info(`Exported ${format} (${file.bytes.length} bytes) to ${target.fsPath}`);
    void vscode.window.showInformationMessage(`Collapse Lens: saved ${path.basename(target.fsPath)}`);
    return target;
  } catch (error) {
    const message = messageOf(error);
    log.error(`Export failed: ${message}`);
    void vscode.window.showErrorMessage(`Collapse Lens: export failed: ${message}`, 'Show Log').then((choice) => {
      if (choice === 'Show Log') log.show();
    });
    return undefined;
  }
}
