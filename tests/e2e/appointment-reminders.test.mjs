// Appointment reminders while the app is open: an appointment is reminded of from the lead time
// the patient chose until it starts, not in the quiet hours (it shows when they end), and goes
// once dismissed. The page's clock is moved by minutes, with the idle lock set longer than the
// test's wait, so it does not lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot } from '../support/browser.mjs';
import { newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  assertAccessible, button, byLabel, fillForm, horizontalOverflowAtPhoneWithLargeText, openPart, realProblems,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();

test('an appointment is reminded of at the chosen lead time, after the quiet hours, until dismissed', async () => {
  const { page, context, problems } = await newPatient(suite, 'Ada Visits', {
    timezoneId: 'Europe/Paris',
    viewport: { width: 390, height: 844 },
    beforeCreate: async (p) => p.clock.install({ time: new Date('2026-12-07T07:57:00+01:00') }),
  });
  await openPart(page, 'Security & backup');
  await byLabel(page, 'Lock by itself after').selectOption({ label: '30 minutes without use' });

  await openPart(page, 'Appointments');
  const section = page.getByRole('region', { name: 'Appointments', exact: true });
  for (const [at, purpose] of [['2026-12-07T09:00', 'Knee follow-up'], ['2026-12-08T08:00', 'Eye check']]) {
    await button(section, 'Add appointment').click();
    await fillForm(section.locator('form'), [['Date and time', at], ['Purpose', purpose]]);
    await button(section, 'Save appointment').click();
    await section.locator('form').waitFor({ state: 'detached' });
  }

  await openPart(page, 'Today');
  const lead = byLabel(page, 'Remind me of appointments');
  assert.equal(await lead.locator('option:checked').innerText(), 'An hour before', 'an hour before unless changed');
  await byLabel(page, 'Quiet from').fill('22:00');
  await byLabel(page, 'Quiet until').fill('08:10');
  await button(page, 'Save quiet hours').click();
  await page.getByText('Quiet hours saved.').waitFor();

  const reminder = page.getByRole('alert', { name: /^(An appointment is|Appointments are) coming up$/ });
  assert.equal(await reminder.count(), 0, 'nothing at 07:57: the knee follow-up is more than an hour ahead');
  // 08:01: within the hour, but in the quiet hours.
  await page.clock.fastForward('04:00');
  await page.getByRole('region', { name: "Today's doses" }).waitFor();
  assert.equal(await reminder.count(), 0, 'no reminder in the quiet hours');
  // 08:11: the quiet hours are over.
  await page.clock.fastForward('10:00');
  await reminder.waitFor();
  assert.equal(await reminder.getByRole('listitem').count(), 1, 'the eye check tomorrow is not within the hour');
  assert.match(await reminder.innerText(), /Knee follow-up · today at 09:00/);
  assert.ok(await page.getByRole('heading', { name: "Ada Visits's health binder" }).isVisible(), 'still unlocked');
  await assertAccessible(page, 'appointment reminder');
  await shot(page, 'appointment-reminder');

  // The day before: tomorrow's eye check too.
  await lead.selectOption({ label: 'The day before (24 hours)' });
  await page.getByRole('alert', { name: 'Appointments are coming up' }).waitFor();
  assert.match(await reminder.innerText(), /Knee follow-up · today at 09:00\s+Dismiss\s+Eye check · tomorrow at 08:00/);
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(page);
  assert.ok(overflow <= 0, `the reminders scroll sideways by ${overflow} px at 390 px and 200 % text`);
  await restore();

  await reminder.getByRole('button', { name: 'Dismiss Knee follow-up' }).click();
  await page.getByRole('alert', { name: 'An appointment is coming up' }).getByText('Eye check · tomorrow at 08:00').waitFor();
  await reminder.getByRole('button', { name: 'Dismiss Eye check' }).click();
  await reminder.waitFor({ state: 'detached' });
  // Dismissed stays dismissed as the clock moves on.
  await page.clock.fastForward('01:00');
  assert.equal(await reminder.count(), 0);

  await lead.selectOption({ label: 'No appointment reminders' });
  assert.equal(await lead.locator('option:checked').innerText(), 'No appointment reminders');
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});
