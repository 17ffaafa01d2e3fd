// "Add to my calendar": the appointments download as an .ics file that an independent iCalendar
// parser (PyPI icalendar, through tests/calendar/read_ics.py) reads — each at the instant the
// patient entered in their own time zone (Paris: +01:00 in winter, +02:00 in summer), in UTC,
// with the offset stated and two reminders — and a re-export after an edit keeps every UID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ARTIFACTS } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import { assertAccessible, button, fillForm, horizontalOverflowAtPhoneWithLargeText, openPart } from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const READER = new URL('../calendar/read_ics.py', import.meta.url).pathname;

// Downloads the calendar file and reads it with the independent parser.
async function exportCalendar(page, name) {
  const panel = page.getByRole('region', { name: 'Add to my calendar' });
  const [download] = await Promise.all([page.waitForEvent('download'), button(panel, 'Download calendar file').click()]);
  assert.match(download.suggestedFilename(), /^health-binder-calendar-\d{4}-\d{2}-\d{2}\.ics$/);
  const file = join(ARTIFACTS, name);
  await download.saveAs(file);
  return JSON.parse(execFileSync('python3', [READER, file], { encoding: 'utf8' }));
}

test('appointments export to a calendar file an independent parser reads, and a re-export keeps the UIDs', async () => {
  const patient = await newPatient(suite, 'Ada Calendar', { timezoneId: 'Europe/Paris' });
  const { page, problems } = patient;
  await openPart(page, 'Care team');
  const team = page.getByRole('region', { name: 'Care team', exact: true });
  await button(team, 'Add provider').click();
  await fillForm(team.locator('form'), [['Name', 'Dr Priya Patel'], ['Role or specialty', 'GP'], ['Practice or hospital', 'Riverside Surgery']]);
  await button(team, 'Save provider').click();
  await team.locator('form').waitFor({ state: 'detached' });

  await openPart(page, 'Appointments');
  const section = page.getByRole('region', { name: 'Appointments', exact: true });
  const panel = page.getByRole('region', { name: 'Add to my calendar' });
  assert.equal(await button(panel, 'Download calendar file').isDisabled(), true, 'nothing to export yet');
  for (const [at, purpose, withWhom] of [['2026-12-03T09:30', 'Diabetes review', { select: 'Dr Priya Patel (GP, Riverside Surgery)' }],
    ['2027-07-01T14:15', 'Eye check', null]]) {
    await button(section, 'Add appointment').click();
    const fields = [['Date and time', at], ['Purpose', purpose], ['Questions to ask', 'Can I stop the evening dose?\nFasting, for the blood test?']];
    if (withWhom) fields.push(['With', withWhom]);
    await fillForm(section.locator('form'), fields);
    await button(section, 'Save appointment').click();
    await section.locator('form').waitFor({ state: 'detached' });
  }
  await assertAccessible(page, 'Appointments with the calendar download');
  const phone = await horizontalOverflowAtPhoneWithLargeText(page);
  assert.ok(phone.overflow <= 0, `Appointments scrolls sideways by ${phone.overflow}px at 390 px, 200 % text`);
  await phone.restore();

  const first = await exportCalendar(page, 'calendar-1.ics');
  await panel.getByText('Downloaded 2 events.').waitFor();
  assert.equal(first.length, 2);
  const [review, eyes] = first;
  // 09:30 in Paris in December is 08:30 UTC; 14:15 in July (summer time) is 12:15 UTC.
  assert.deepEqual(review.start, { at: '2026-12-03T08:30:00+00:00', utc_offset_minutes: 0 });
  assert.deepEqual(review.end, { at: '2026-12-03T09:30:00+00:00', utc_offset_minutes: 0 });
  assert.deepEqual(eyes.start, { at: '2027-07-01T12:15:00+00:00', utc_offset_minutes: 0 });
  assert.ok(review.description.includes('09:30 at UTC+01:00, as entered'), review.description);
  assert.ok(eyes.description.includes('14:15 at UTC+02:00, as entered'), eyes.description);
  assert.equal(review.summary, 'Diabetes review \u2013 Dr Priya Patel');
  assert.equal(review.location, 'Riverside Surgery');
  assert.ok(review.description.includes('Questions to ask:\n- Can I stop the evening dose?\n- Fasting, for the blood test?'));
  for (const event of first) {
    assert.deepEqual(event.alarms, [{ action: 'DISPLAY', seconds: -86400 }, { action: 'DISPLAY', seconds: -3600 }]);
    assert.match(event.uid, /^[0-9a-f-]{36}@health-binder$/);
  }

  // Moving the review and exporting again: the same events (by UID), the moved one newer.
  const entry = section.locator('li.entry').filter({ hasText: 'Diabetes review' });
  await entry.getByRole('button', { name: /^Edit/ }).click();
  await fillForm(section.locator('form'), [['Date and time', '2026-12-10T11:00']]);
  await button(section, 'Save appointment').click();
  await section.locator('form').waitFor({ state: 'detached' });
  const second = await exportCalendar(page, 'calendar-2.ics');
  assert.deepEqual(second.map((e) => e.uid).sort(), first.map((e) => e.uid).sort(), 're-export keeps the UIDs');
  const moved = second.find((e) => e.uid === review.uid);
  assert.equal(moved.start.at, '2026-12-10T10:00:00+00:00');
  assert.ok(moved.sequence > review.sequence, `sequence ${review.sequence} → ${moved.sequence}`);
  assert.equal(second.find((e) => e.uid === eyes.uid).sequence, eyes.sequence, 'the unchanged one stays as it was');
  assert.deepEqual(problems, []);
  await patient.context.close();
});
