// The app as a user drives it: by visible labels and button names.
import assert from 'node:assert/strict';
import { accessibilityProblems } from './browser.mjs';

export const PASSPHRASE = 'correct horse battery staple';

export const byLabel = (p, label) => p.getByLabel(label, { exact: typeof label === 'string' });
export const button = (p, name) => p.getByRole('button', { name, exact: true });
export const medicationNames = (p) => p.locator('.medications h3').allInnerTexts();

// Console errors other than the 404s a test provokes on purpose (CSP violations show up here).
export const realProblems = (problems) => problems.filter((p) => !/Failed to load resource.*(404|401)/.test(p));

export async function assertAccessible(p, screen) {
  assert.deepEqual(await accessibilityProblems(p), [], `axe on ${screen}`);
}

export async function createBinder(page, relayUrl, name) {
  await page.goto(relayUrl);
  await byLabel(page, 'Whose binder is this?').fill(name);
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await byLabel(page, 'Type the passphrase again').fill(PASSPHRASE);
  await button(page, 'Create binder').click();
  await page.getByRole('heading', { name: `${name}'s health binder` }).waitFor({ timeout: 30000 });
}

export async function addMedication(p, med) {
  await button(p, 'Add medication').click();
  await byLabel(p, 'Name').fill(med.name);
  await byLabel(p, /^Strength/).fill(med.strength ?? '');
  await byLabel(p, 'Amount').fill(med.amount ?? '');
  await byLabel(p, /^Unit/).fill(med.unit ?? '');
  if (med.asNeeded) {
    await p.getByLabel('Only as needed').check();
    await byLabel(p, /^At most this many times a day/).fill(med.max ?? '');
  } else {
    await byLabel(p, 'Times').fill(String(med.times ?? 1));
    await byLabel(p, 'Every').fill(String(med.every ?? 1));
    await byLabel(p, 'Period').selectOption({ label: med.period ?? 'day' });
    if (med.clock !== undefined) await byLabel(p, /^At these times/).fill(med.clock);
  }
  await byLabel(p, 'Kind').selectOption({ label: med.kind ?? 'Prescription' });
  await byLabel(p, /^Reason/).fill(med.reason ?? '');
  await button(p, 'Save medication').click();
}

// Opens a link in the viewer as a clinician would, up to the summary or an error.
export async function openAsClinician(view, link, { name = 'Dr Grace Hopper, GP', passcode } = {}) {
  await view.goto(link);
  await byLabel(view, /^Your name and role/).fill(name);
  if (passcode !== undefined) await byLabel(view, /^Passcode/).fill(passcode);
  await button(view, 'Open record').click();
}

// Makes a share in the Share part (after `choose(panel)` sets its options, if given) and returns its
// link once the QR code shows. A result still on screen from an earlier share is closed first.
export async function shareLink(page, choose) {
  await openPart(page, 'Share');
  const panel = page.locator('section.share');
  if (await button(panel, 'Done').count()) await button(panel, 'Done').click();
  if (choose) await choose(panel);
  await button(panel, 'Show to my clinician').click();
  await panel.getByRole('img', { name: /QR code of the share link/ }).waitFor();
  return byLabel(panel, 'Link').inputValue();
}

// The binder shows one part at a time; this picks a tab ("Share", "Care team", …).
export async function openPart(p, name) {
  await p.getByRole('navigation', { name: 'Parts of the binder' }).getByRole('button', { name, exact: true }).click();
}

// At 390 px wide with text at 200 %, nothing may need sideways scrolling (WCAG 1.4.4 and 1.4.10).
export async function horizontalOverflowAtPhoneWithLargeText(p) {
  const before = p.viewportSize();
  await p.setViewportSize({ width: 390, height: 844 });
  await p.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  return {
    overflow,
    restore: async () => {
      await p.evaluate(() => { document.documentElement.style.fontSize = ''; });
      await p.setViewportSize(before);
    },
  };
}

// Fills a form by its visible labels: [label, value] for text, [label, {select}] or [label, {check}].
export async function fillForm(form, entries) {
  for (const [label, value] of entries) {
    // The label's own words, then its hint in brackets or nothing ("Code" is not "Code system").
    const words = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const field = form.getByLabel(new RegExp(`^${words}(\\s*\\(.*\\))?$`));
    if (value?.select) await field.selectOption({ label: value.select });
    else if (value?.check) await field.check();
    else await field.fill(value);
  }
}
