// Debian's Chromium driven by playwright-core: no browser download, no network beyond localhost.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// axe-core's serious and critical violations on the page as it is now (empty when accessible).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function accessibilityProblems(page) {
  // Evaluated through DevTools, so the page's strict CSP does not have to allow it.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

// Decodes the QR code shown in an <img> with jsQR, inside the page (so it reads exactly the pixels
// the browser rendered, at a phone-camera-like 2× scale).
const jsqrSource = readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8');

export async function decodeQr(locator) {
  await locator.page().evaluate(jsqrSource);
  return locator.evaluate((img) => {
    const size = img.naturalWidth * 2;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size + 40;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 20, 20, size, size);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return window.jsQR(pixels.data, canvas.width, canvas.height)?.data ?? null;
  });
}
