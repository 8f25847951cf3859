// Ceilings, not waits. Every wait in the suite is for a state (a status chip's text, a table's rows, a
// toast that appears or goes); these only bound how long a state that never comes is waited for, so a
// broken build fails instead of hanging. They are generous on purpose: the suite must pass on a machine
// whose cores are busy with another job (COLLAPSE_LENS_E2E_HOG=2, see docs/e2e.md), where the workbench
// and the engine run several times slower; a ceiling that is reached there is a bug in the wait.

/** code-server to answer, the workbench to load (also after a reload), the extension's contributions to show. */
export const STARTUP_TIMEOUT_MS = 120_000;

/** A workbench or webview element to appear, change or go after an action (menus, picks, toasts, charts). */
export const UI_TIMEOUT_MS = 60_000;

/** An analysis, comparison or trajectory started in the window to finish (the panel says so). */
export const ANALYSIS_TIMEOUT_MS = 240_000;
