// Trends: readings over time as a chart with its text equivalent and its numbers, in the Vitals
// part; a weight trend chosen for a share reaches the clinician as words and a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  assertAccessible, button, fillForm, horizontalOverflowAtPhoneWithLargeText, openAsClinician, openPart, realProblems,
  shareLink,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const region = (page, name) => page.getByRole('region', { name, exact: true });

const WEIGHTS = [['82', '2026-01-03T08:00'], ['80.4', '2026-03-10T08:00'], ['78.5', '2026-06-02T08:15']];
const PRESSURES = [['142/91', '2026-02-01T07:30'], ['128/82', '2026-02-08T07:30'], ['118/76', '2026-02-15T07:30']];

async function addReading(page, measurement, reading, when) {
  await openPart(page, 'Vitals');
  const log = region(page, 'Vitals log');
  const before = await log.locator('li.entry').count();
  await button(log, 'Add reading').click();
  await fillForm(log.locator('form'), [['Measurement', { select: measurement }], ['Reading', reading], ['When', when]]);
  await button(log, 'Save reading').click();
  await log.locator('li.entry').nth(before).waitFor();
}

// An adult's binder (the NHS's adult ranges need a known age) with weights and blood pressures.
async function patientWithReadings() {
  const patient = await newPatient(suite, 'Dorothy Vaughan', { viewport: { width: 1100, height: 900 } });
  const { page } = patient;
  await openPart(page, 'About me');
  await button(region(page, 'About me'), 'Edit details').click();
  await fillForm(region(page, 'About me').locator('form'), [['Date of birth', '20 September 1960']]);
  await button(page, 'Save details').click();
  await addReading(page, 'Weight (kg)', ...WEIGHTS[0]);
  // One reading is in the list, not yet a trend.
  assert.equal(await region(page, 'Trends').count(), 0, 'no chart for a single reading');
  for (const w of WEIGHTS.slice(1)) await addReading(page, 'Weight (kg)', ...w);
  for (const p of PRESSURES) await addReading(page, 'Blood pressure (mmHg)', ...p);
  return patient;
}

const figure = (page, title) => region(page, 'Trends').locator('figure', { has: page.getByRole('heading', { name: title, exact: true }) });

test('a chart renders with its text equivalent and its numbers, accessible at 390 px with large text', async () => {
  const patient = await patientWithReadings();
  const { page } = patient;
  await openPart(page, 'Vitals');
  const weight = figure(page, 'Weight');
  const chart = weight.getByRole('img');
  await chart.waitFor();
  // The text equivalent is on screen, and it is what names the chart.
  const text = (await weight.locator('figcaption').innerText()).trim();
  assert.equal(
    text,
    'Weight: 3 readings from 3 January 2026 to 2 June 2026. First 82 kg, last 78.5 kg. '
      + 'Lowest 78.5 kg on 2 June 2026, highest 82 kg on 3 January 2026.',
  );
  assert.equal(await chart.getAttribute('aria-labelledby'), await weight.locator('figcaption').getAttribute('id'));
  assert.equal(await chart.getAttribute('aria-label'), null, 'named by the visible text, not a label string');
  await page.getByRole('img', { name: text, exact: true }).waitFor();
  // One dot per reading, joined by one line; highest on the left, lowest on the right.
  const dots = await chart.locator('circle').evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]));
  assert.equal(dots.length, 3);
  assert.equal(await chart.locator('polyline').count(), 1);
  assert.ok(dots[0][0] < dots[1][0] && dots[1][0] < dots[2][0], 'left to right in time');
  assert.ok(dots[0][1] < dots[2][1], '82 kg is drawn above 78.5 kg');
  // The numbers, in a table behind "Show the numbers".
  await weight.getByText('Show the numbers').click();
  const rows = await weight.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
  assert.deepEqual(rows, [['3 January 2026, 08:00', '82'], ['10 March 2026, 08:00', '80.4'], ['2 June 2026, 08:15', '78.5']]);
  assert.deepEqual(await weight.locator('thead th').allInnerTexts(), ['When', 'Weight (kg)']);

  // Blood pressure: two lines (systolic, diastolic), the NHS's adult range shaded and counted.
  const pressure = figure(page, 'Blood pressure');
  const bp = pressure.getByRole('img');
  assert.equal(await bp.locator('polyline').count(), 2);
  assert.equal(await bp.locator('circle').count(), 3, 'systolic: round dots');
  const bpText = await pressure.locator('figcaption').innerText();
  assert.ok(bpText.includes('2 of 3 above the NHS\'s ideal blood pressure for adults, 90/60 to 120/80 mmHg.'), bpText);
  await pressure.getByText('Solid line with round dots: Systolic. Dashed line with square dots: Diastolic.', { exact: false }).waitFor();
  await pressure.getByText('Show the numbers').click();
  const against = await pressure.locator('tbody tr td:last-child').allInnerTexts();
  assert.deepEqual(against.map((t) => t.trim()), ['Above', 'Above', 'Within']);
  await shot(page, 'trends-vitals');

  await assertAccessible(page, 'Vitals with trends');
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(page);
  await weight.scrollIntoViewIfNeeded();
  await shot(page, 'trends-vitals-390-text200');
  await pressure.scrollIntoViewIfNeeded();
  await shot(page, 'trends-bp-390-text200');
  await restore();
  assert.ok(overflow <= 0, `${overflow}px of horizontal scrolling at 390 px with 200 % text`);
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});

test('a weight trend chosen for a share reaches the clinician as its words and its table', async () => {
  const patient = await patientWithReadings();
  const { page } = patient;
  const link = await shareLink(page, async (panel) => {
    const trends = panel.getByRole('group', { name: 'Trends to include' });
    await assertAccessible(page, 'share form with trends');
    await trends.getByLabel('Weight trend').check();
    assert.equal(await trends.getByLabel('Blood pressure trend').isChecked(), false);
  });
  const clinician = await newClinician(suite);
  const { view } = clinician;
  await openAsClinician(view, link);
  const section = view.getByRole('region', { name: 'Trends the patient chose to share' });
  await section.waitFor();
  const shown = await section.innerText();
  for (const words of [
    'Weight: 3 readings from 3 January 2026 to 2 June 2026. First 82 kg, last 78.5 kg.',
    'Weight (kg)', '3 January 2026, 08:00', '80.4', '2 June 2026, 08:15', '78.5',
  ]) {
    assert.ok(shown.includes(words), `the clinician sees "${words}" in ${shown}`);
  }
  assert.ok(!shown.includes('Blood pressure:'), 'only the chosen trend is shared');
  await section.scrollIntoViewIfNeeded();
  await shot(view, 'trends-viewer-390');
  await assertAccessible(view, 'viewer with a shared trend');
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(view);
  await shot(view, 'trends-viewer-390-text200');
  await restore();
  assert.ok(overflow <= 0, `viewer: ${overflow}px of horizontal scrolling at 390 px with 200 % text`);
  assert.deepEqual(realProblems(clinician.problems), []);
  await clinician.context.close();
  await patient.context.close();
});
