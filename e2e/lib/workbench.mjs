// The UI actions a test needs, phrased the way a user does them. Selectors are VS Code 1.100's DOM;
// CSS locators pierce the shadow root the context menu lives in.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const DEFAULT_TIMEOUT_MS = 20_000;

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
  async waitUntilReady({ explorerHasFiles = true, timeout = 60_000 } = {}) {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
    if (explorerHasFiles) {
      await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
    }
  }

  explorerItem(name) {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label^=${cssString(name)}]`).first();
  }

  /** Right-clicks a file or folder row in the explorer and waits for the context menu. */
  async rightClickExplorerItem(name) {
    const row = this.explorerItem(name);
    await row.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT_MS });
    await row.click({ button: 'right' });
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT_MS });
  }

  /** The labels of the open context menu, in order (separators left out). */
  async menuItemLabels() {
    const labels = await this.page.locator('.monaco-menu .action-item .action-label').allTextContents();
    return labels.map((label) => label.trim()).filter((label) => label.length > 0);
  }

  /** Clicks the open context menu's item whose label is exactly `title`; fails listing what it offers. */
  async clickMenuItem(title) {
    const item = this.page.locator('.monaco-menu .action-item .action-label').filter({ hasText: exactly(title) }).first();
    // A menu's items are fixed once it is open: a short wait is enough to know the item is not there.
    const shown = await item.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
    if (!shown) throw new Error(`context menu has no "${title}"; it offers: ${(await this.menuItemLabels()).join(' | ')}`);
    await item.click();
  }

  async closeMenu() {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT_MS });
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
    await input.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const row = this.quickInputRow(title);
    await row.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT_MS });
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
  async answerQuickPick(choice, { showing, timeout = DEFAULT_TIMEOUT_MS } = {}) {
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
  async answerInputBox(text, { showing, timeout = DEFAULT_TIMEOUT_MS } = {}) {
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
  async answerFileDialog(absolutePath, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
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

  async waitForQuickInput({ showing, timeout = DEFAULT_TIMEOUT_MS } = {}) {
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
    await this.activityBarItem(title).click();
    await this.page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRegExp(title), 'i') }).first()
      .waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT_MS });
  }

  /** Waits for a notification toast containing `text` (e.g. a progress title or an error). */
  async waitForNotification(text, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
    const toast = this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout });
    // Let the slide-in finish so a screenshot shows the toast, not its first frame.
    await this.page.locator('.notifications-toasts .notification-fade-in-done').filter({ hasText: text }).first()
      .waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined);
    return toast;
  }

  /** Texts of the notifications now showing: handy in failure messages. */
  async notificationTexts() {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  }

  /**
   * Finds a webview's content frame: webviews sit in nested iframes, so every frame is tried until
   * `predicate(frame)` resolves truthy (errors from frames still loading count as "not yet").
   */
  async findWebviewFrame(predicate, { timeout = 30_000 } = {}) {
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
    await this.page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }
}
