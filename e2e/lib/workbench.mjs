// The UI actions a test needs, phrased the way a user does them. Selectors are VS Code 1.100's DOM;
// CSS locators pierce the shadow root the context menu lives in.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { STARTUP_TIMEOUT_MS, UI_TIMEOUT_MS } from './timeouts.mjs';

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactly(text) {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

function cssString(text) {
  return JSON.stringify(text);
}

export class Workbench {
  /** @param {import('playwright-core').Page} page @param {string} artifactsDir */
  constructor(page, artifactsDir) {
    this.page = page;
    this.artifactsDir = artifactsDir;
  }

  /** Waits until the workbench is drawn and, when the workspace has files, the explorer lists them. */
  async waitUntilReady({ explorerHasFiles = true, timeout = STARTUP_TIMEOUT_MS } = {}) {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
    if (explorerHasFiles) {
      await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
    }
  }

  explorerItem(name) {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label^=${cssString(name)}]`).first();
  }

  /**
   * Makes a file in a subfolder visible in the explorer by expanding the folders on its path
   * ("models/mlp.onnx" expands "models"); returns the row of its last part.
   */
  async revealExplorerItem(relativePath) {
    const parts = relativePath.split('/').filter((part) => part.length > 0);
    for (const folder of parts.slice(0, -1)) {
      const row = this.explorerItem(folder);
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      await this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label^=${cssString(folder)}][aria-expanded="true"]`).first()
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    }
    const row = this.explorerItem(parts[parts.length - 1]);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    return row;
  }

  /** Whether the explorer row of `name` is part of the selection. */
  async isExplorerItemSelected(name) {
    return ((await this.explorerItem(name).getAttribute('class')) ?? '').split(/\s+/).includes('selected');
  }

  /**
   * Selects several explorer rows the way a user does: a click on the first, Ctrl+click on the others.
   * A click on a file also opens it (a preview editor), after which the explorer reveals, and so
   * re-selects, the active file; a Ctrl+click landing before that is undone. So the first file's
   * editor is awaited, and a Ctrl+click that did not stick is made again.
   */
  async selectExplorerItems(names) {
    const first = this.explorerItem(names[0]);
    await first.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await this.dismissHovers();
    await first.click();
    await this.page.locator('.editor-group-container .tab.active').filter({ hasText: names[0] }).first()
      .waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      for (const name of names.slice(1)) {
        if (!(await this.isExplorerItemSelected(name))) await this.explorerItem(name).click({ modifiers: ['Control'] });
      }
      await sleep(300);
      const missing = [];
      for (const name of names) if (!(await this.isExplorerItemSelected(name))) missing.push(name);
      if (missing.length === 0) return;
      if (Date.now() > deadline) throw new Error(`explorer selection: ${missing.join(', ')} not selected`);
      // The first one lost its selection (a reveal replaced it): start over from it.
      if (missing.includes(names[0])) await first.click();
    }
  }

  /**
   * Selects several explorer rows and opens the context menu of the selection (on its last row).
   * The first file's preview editor can open late, after the selection was seen complete, and the
   * explorer's reveal of it then replaces the selection: the menu would be a single file's. So the
   * selection is checked again with the menu open, and the whole gesture is repeated when it was lost.
   */
  async openContextMenuOnSelection(names) {
    for (let attempt = 1; ; attempt++) {
      await this.selectExplorerItems(names);
      await this.rightClickExplorerItem(names[names.length - 1]);
      const lost = [];
      for (const name of names) if (!(await this.isExplorerItemSelected(name))) lost.push(name);
      if (lost.length === 0) return;
      await this.closeMenu();
      if (attempt === 3) throw new Error(`explorer selection: ${lost.join(', ')} lost their selection before the context menu opened, ${attempt} times`);
      // Said in the log, so a CI run shows how often the late reveal happens there.
      console.warn(`e2e: explorer selection lost ${lost.join(', ')} before the context menu opened; selecting again (attempt ${attempt + 1})`);
      await this.dismissHovers();
      await sleep(1000);
    }
  }

  /**
   * Moves the mouse off the explorer and closes any hover: a row's path hover, left up by a pointer
   * that rested on it, covers the rows below it and takes their clicks (seen in CI).
   */
  async dismissHovers() {
    await this.page.mouse.move(5, 5);
    await this.page.keyboard.press('Escape');
    await this.page.locator('.context-view .hover-contents').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }

  /** Right-clicks a file or folder row in the explorer and waits for the context menu. */
  async rightClickExplorerItem(name) {
    const row = this.explorerItem(name);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await row.click({ button: 'right' });
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  }

  /** The labels of the open context menu, in order (separators left out). */
  async menuItemLabels() {
    const labels = await this.page.locator('.monaco-menu .action-item .action-label').allTextContents();
    return labels.map((label) => label.trim()).filter((label) => label.length > 0);
  }

  /** Clicks the open context menu's item whose label is exactly `title`; fails listing what it offers. */
  async clickMenuItem(title) {
    const item = this.page.locator('.monaco-menu .action-item .action-label').filter({ hasText: exactly(title) }).first();
    // A menu's items are fixed once it is open, so this wait only ends early on a slow machine's repaint.
    const shown = await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).then(() => true, () => false);
    if (!shown) throw new Error(`context menu has no "${title}"; it offers: ${(await this.menuItemLabels()).join(' | ')}`);
    // A click that comes while the menu is still settling is now and then only a hover (the item lights
    // up, the menu stays): the menu closes when its action runs, so click until it does. On a busy
    // machine a click that worked can take seconds to close the menu; clicking again then would run the
    // action twice, so the wait for the menu to go is long, and a retry is the rare case.
    const menu = this.page.locator('.monaco-menu').first();
    for (let attempt = 1; ; attempt++) {
      const clicked = await item.click({ timeout: UI_TIMEOUT_MS }).then(() => true, () => false);
      if (!clicked && (await menu.isHidden())) return; // it closed late: the previous click did it
      const closed = await menu.waitFor({ state: 'hidden', timeout: 10_000 }).then(() => true, () => false);
      if (closed) return;
      if (attempt === 3) throw new Error(`the context menu stayed open after ${attempt} clicks on "${title}"`);
    }
  }

  async closeMenu() {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a command through the command palette (F1). `title` is the palette label, e.g.
   * "Collapse Lens: Analyze neural collapse"; the row whose label is exactly that is chosen.
   */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = this.quickInput().locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const row = this.quickInputRow(title);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await row.click();
  }

  /** A quick input row by label: a string must equal the label (codicons aside), a RegExp match it. */
  quickInputRow(label) {
    // A codicon in the label renders as an empty span followed by a space: anchors skip that space.
    const pattern = label instanceof RegExp ? new RegExp(label.source.replace(/^\^/, '^\\s*'), label.flags) : exactly(label);
    return this.quickInput()
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: pattern }) })
      .first();
  }

  /**
   * Answers the open quick pick: a string picks the item whose label is exactly that text (codicons
   * aside), a RegExp the first item whose label matches, a number the item at that index. `showing`,
   * a substring of the pick's title or placeholder, first waits for the right pick when several open
   * one after another, so an answer never lands on the previous one.
   */
  async answerQuickPick(choice, { showing, timeout = UI_TIMEOUT_MS } = {}) {
    await this.waitForQuickInput({ showing, timeout });
    const row = typeof choice === 'number'
      ? this.quickInput().locator(`.monaco-list-row[data-index="${choice}"]`)
      : this.quickInputRow(choice);
    await row.waitFor({ state: 'visible', timeout });
    await row.click();
    // The picked row is hidden when the pick closes, or detached when the next pick replaces the list.
    await row.waitFor({ state: 'hidden', timeout });
  }

  /** Types into an open input box (showInputBox) and accepts it. */
  async answerInputBox(text, { showing, timeout = UI_TIMEOUT_MS } = {}) {
    await this.waitForQuickInput({ showing, timeout });
    const input = this.quickInput().locator('.quick-input-box input');
    await input.fill(text);
    await input.press('Enter');
  }

  /**
   * Answers showOpenDialog. In the browser VS Code shows its own "simple" file dialog, a quick input
   * whose value is a path: typing the absolute path and pressing Enter accepts a file; a folder is
   * first entered (the value gains a trailing "/") and accepted by the next Enter.
   */
  async answerFileDialog(absolutePath, { timeout = UI_TIMEOUT_MS } = {}) {
    const input = this.quickInput().locator('.quick-input-box input');
    // The dialog opens holding its starting folder as an absolute path; until then the input may still
    // belong to the quick pick that is closing.
    const deadline = Date.now() + timeout;
    while (!((await input.isVisible()) && (await input.inputValue()).startsWith('/'))) {
      if (Date.now() > deadline) throw new Error(`no file dialog opened to answer ${absolutePath}`);
      await sleep(100);
    }
    // The dialog may still be writing its starting folder into the input: fill until our path stays.
    for (;;) {
      await input.fill(absolutePath);
      await sleep(300);
      if ((await input.inputValue()) === absolutePath) break;
      if (Date.now() > deadline) throw new Error(`the file dialog kept replacing ${absolutePath}`);
    }
    // While the input still holds the path the dialog is open; the next quick input starts empty, so
    // an extra Enter can never land on it.
    const stillInDialog = async () => (await input.isVisible()) && (await input.inputValue()).startsWith(absolutePath);
    while (await stillInDialog()) {
      if (Date.now() > deadline) throw new Error(`the file dialog did not accept ${absolutePath}`);
      await input.press('Enter');
      await sleep(500);
    }
  }

  async waitForQuickInput({ showing, timeout = UI_TIMEOUT_MS } = {}) {
    const input = this.quickInput().locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout });
    if (showing === undefined) return;
    const deadline = Date.now() + timeout;
    for (;;) {
      const title = await this.quickInput().locator('.quick-input-title').textContent().catch(() => '');
      const shown = `${title ?? ''} ${(await input.getAttribute('placeholder')) ?? ''}`;
      if (shown.includes(showing)) return;
      if (Date.now() > deadline) throw new Error(`no quick input showing "${showing}" (it shows "${shown.trim()}")`);
      await sleep(100);
    }
  }

  /** The activity bar entry of a view container, by its title (e.g. "Collapse Lens"). */
  activityBarItem(title) {
    return this.page.locator(`.part.activitybar .action-item[aria-label^=${cssString(title)}], .part.activitybar .action-label[aria-label^=${cssString(title)}]`).first();
  }

  /** Opens a view container from the activity bar and waits for its side bar title. */
  async openViewContainer(title) {
    const sideBarTitle = this.page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRegExp(title), 'i') }).first();
    // A click on the entry of the container already shown would close the side bar.
    if (await sideBarTitle.isVisible()) return;
    await this.activityBarItem(title).click();
    await sideBarTitle.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  }

  /**
   * "Preferences: Color Theme" from the command palette, then the theme's row (e.g. "Dark Modern");
   * waits until the workbench has switched (its body class names the theme kind: light, dark or hc).
   */
  async setColorTheme(label, { kind }) {
    await this.runCommand('Preferences: Color Theme');
    await this.answerQuickPick(label, { showing: 'Select Color Theme' });
    const themeClass = { light: 'vs', dark: 'vs-dark', hc: 'hc-black' }[kind];
    await this.page.locator(`.monaco-workbench.${themeClass}`).first()
      .waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  }

  /**
   * "Developer: Reload Window", as a user reloads VS Code, and waits for the workbench to come back.
   * Unlike a browser refresh (page.reload()), the command waits for VS Code to save its UI state
   * (open editors, webview state) before the page goes; a refresh only tries to, and often loses the
   * last changes.
   */
  async reloadWindow({ timeout = STARTUP_TIMEOUT_MS } = {}) {
    const reloaded = this.page.waitForEvent('framenavigated', { predicate: (frame) => frame === this.page.mainFrame(), timeout });
    await this.runCommand('Developer: Reload Window');
    await reloaded;
    await this.page.waitForLoadState('load', { timeout });
    await this.waitUntilReady({ explorerHasFiles: false, timeout });
  }

  /**
   * A row of a tree view in the side bar whose accessible label starts with `start`: the Layers view
   * puts the full tensor name there ("#3 /block/add/Add_output_0, NC1 ...") while its label may be shorter.
   */
  sideBarTreeRowByAccessibleLabel(start) {
    return this.page.locator(`.part.sidebar .monaco-list-row[aria-label^=${cssString(start)}]`).first();
  }

  /**
   * Starts recording the text of every notification toast that appears from now on, so a toast that
   * comes and goes between two looks (a fast analysis' progress) is still seen; read with
   * notificationsSeen().
   */
  async recordNotifications() {
    await this.page.evaluate(() => {
      const seen = [];
      Object.defineProperty(window, '__collapseLensE2eToasts', { value: seen, configurable: true });
      const read = () => {
        for (const toast of document.querySelectorAll('.notifications-toasts .notification-toast')) {
          const text = (toast.textContent ?? '').replace(/\s+/g, ' ').trim();
          if (text.length > 0 && !seen.includes(text)) seen.push(text);
        }
      };
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
      read();
    });
  }

  /** Texts of the toasts seen since recordNotifications(), in order of appearance. */
  async notificationsSeen() {
    return this.page.evaluate(() => Array.from(window.__collapseLensE2eToasts ?? []));
  }

  /** Whether a toast containing `text` was seen since recordNotifications(), and the texts seen. */
  async notificationWasSeen(text) {
    const seen = await this.notificationsSeen();
    return { ok: seen.some((shown) => shown.includes(text)), seen };
  }

  /** Waits for a notification toast containing `text` (e.g. a progress title or an error). */
  async waitForNotification(text, { timeout = UI_TIMEOUT_MS } = {}) {
    const toast = this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout });
    // Let the slide-in finish so a screenshot shows the toast, not its first frame.
    await this.page.locator('.notifications-toasts .notification-fade-in-done').filter({ hasText: text }).first()
      .waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined);
    return toast;
  }

  /**
   * Waits until no toast containing `text` shows. A run's progress toast goes when the run has ended
   * (VS Code keeps a toast with running progress up), so this is how a test knows a run is over.
   */
  async waitForNotificationGone(text, { timeout = UI_TIMEOUT_MS } = {}) {
    await this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first()
      .waitFor({ state: 'hidden', timeout })
      .catch(async () => { throw new Error(`the notification "${text}" was still up after ${timeout} ms; showing: ${JSON.stringify(await this.notificationTexts())}`); });
  }

  /** Texts of the notifications now showing: handy in failure messages. */
  async notificationTexts() {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  }

  /**
   * Finds a webview's content frame: webviews sit in nested iframes, so every frame is tried until
   * `predicate(frame)` resolves truthy (errors from frames still loading count as "not yet").
   */
  async findWebviewFrame(predicate, { timeout = UI_TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        try {
          if (await predicate(frame)) return frame;
        } catch {
          // Detached or navigating: look again next round.
        }
      }
      if (Date.now() > deadline) throw new Error(`no webview frame matched within ${timeout} ms`);
      await sleep(250);
    }
  }

  /** The webview frame that has an element matching `selector`. */
  async findWebviewFrameWithSelector(selector, options) {
    return this.findWebviewFrame(async (frame) => (await frame.locator(selector).count()) > 0, options);
  }

  /** Saves a PNG of the whole window to the test's artifacts folder and returns its path. */
  async screenshot(name) {
    fs.mkdirSync(this.artifactsDir, { recursive: true });
    const file = path.join(this.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path: file, timeout: UI_TIMEOUT_MS });
    return file;
  }
}
