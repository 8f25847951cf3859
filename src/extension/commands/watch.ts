import * as vscode from 'vscode';
import { basename, join } from 'node:path';
import type { Services } from '../services';
import type { WatchManager } from '../watch/watchManager';
import { listEpochCheckpoints } from '../../core/compare';
import { pickSharedChoices } from './compare';
import { messageOf } from '../../core/messageOf';

/**
 * "Watch training folder": the trajectory's picks (those made for this folder last time offered first),
 * then the folder is watched: each checkpoint there and each new one analysed once, the trajectory panel
 * growing as they are.
 */
export async function watchTrainingFolderCommand(services: Services, manager: WatchManager, folder?: vscode.Uri): Promise<void> {
  const target = folder ?? (await vscode.window.showOpenDialog({ title: 'Training folder to watch', canSelectFolders: true, canSelectFiles: false }))?.[0];
  if (!target) return;
  const path = target.fsPath;
  try {
    // The picks need a checkpoint to look near; a folder still empty offers the ones of the folder itself.
    // (A folder that cannot be listed is said by the watcher, in the log, once the watch runs.)
    const first = (await listEpochCheckpoints(path).catch(() => []))[0]?.file ?? join(path, 'model.onnx');
    const choices = await pickSharedChoices(services, first, manager.memory.get(path)?.choices);
    if (!choices) return;
    await manager.start(path, choices);
  } catch (err) {
    await services.log.fail(`Collapse Lens: cannot watch ${basename(path)}: ${messageOf(err)}`);
  }
}

/** One folder among several, by a quick pick; the only one without asking. */
async function pickFolder(folders: string[], title: string): Promise<string | undefined> {
  if (folders.length <= 1) return folders[0];
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: basename(f), description: f, folder: f })),
    { title, ignoreFocusOut: true },
  );
  return picked?.folder;
}

export async function stopWatchingCommand(manager: WatchManager): Promise<void> {
  const folder = await pickFolder(manager.activeFolders(), 'Collapse Lens: stop watching');
  if (folder) await manager.stop(folder);
  else if (manager.activeFolders().length === 0) void vscode.window.showInformationMessage('Collapse Lens: no folder is being watched.');
}

export async function resumeWatchingCommand(manager: WatchManager): Promise<void> {
  const folder = await pickFolder(manager.stoppedFolders(), 'Collapse Lens: resume watching');
  if (folder) await manager.resume(folder);
  else if (manager.stoppedFolders().length === 0) void vscode.window.showInformationMessage('Collapse Lens: no stopped watch to resume; right-click a folder and choose "Watch training folder".');
}
