// The user's way into an analysis, shared by the tests that start one: right-click the checkpoint in the
// Explorer -> "Analyze neural collapse" -> the four quick picks (training data, its held-out split,
// samples per class, the default probes).
import path from 'node:path';

/**
 * `dataset` is the training data's pick label; its test split is the held-out pick. `perClass` is the
 * samples-per-class pick label (e.g. "100 per class" or "All samples").
 */
export async function startAnalysis(workbench, relativePath, { dataset, perClass }) {
  await workbench.revealExplorerItem(relativePath);
  await workbench.rightClickExplorerItem(path.basename(relativePath));
  await workbench.clickMenuItem('Analyze neural collapse');
  await workbench.answerQuickPick(dataset, { showing: 'training data (1/4)', timeout: 60_000 });
  await workbench.answerQuickPick(/^fashion \(test\)$/, { showing: 'held-out data (2/4)' });
  await workbench.answerQuickPick(perClass, { showing: 'samples per class (3/4)' });
  await workbench.answerQuickPick('Default probes', { showing: 'layers (4/4)' });
}
