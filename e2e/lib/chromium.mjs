// Debian's chromium driven by playwright-core (Playwright's own browser download is unreachable offline).
// launch() gives every browser a fresh temporary profile, so no state leaks between tests.
import { chromium } from 'playwright-core';
import { chromiumPath } from './paths.mjs';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORT = Object.freeze({ width: 1440, height: 900 });

export async function launchChromium() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
}
