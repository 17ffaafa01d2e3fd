// Debian's Chromium driven by playwright-core: no browser download, no network beyond localhost.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

// Records every request a context sends (URL, headers, body) so tests can search them for secrets,
// and fails on console errors or uncaught exceptions in its pages.
export async function recordedContext(browser, options = {}) {
  const context = await browser.newContext(options);
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push({ url: r.url(), headers: JSON.stringify(r.headers()), body: r.postData() ?? '' }));
  context.on('page', (page) => watch(page, problems));
  return { context, requests, problems };
}

function watch(page, problems) {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
