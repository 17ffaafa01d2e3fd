// Every day: a dose reminder appears at its time while the app is open (the page's clock is moved,
// less than the idle lock's delay, so it does not lock), is snoozed, comes back, and the dose is
// marked taken from it; the day's list and the log show it after a reload and an unlock. System
// notifications are asked for only when the patient turns them on, and say only that a dose is
// due. As-needed doses warn before their daily maximum is exceeded. With the app closed, the
// calendar file's daily medicine times (read by the independent parser) are what reminds. Dose
// times the patient sets in the medication form are the ones the day's list and the file use. A
// share carries how the patient has been taking each medicine only when they tick it. Opted in,
// the lock screen says a dose is due from a schedule of times only, deleted when opted out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ARTIFACTS, shot } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  PASSPHRASE, addMedication, assertAccessible, button, byLabel, horizontalOverflowAtPhoneWithLargeText, openAsClinician,
  openPart, realProblems, shareLink,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const READER = new URL('../calendar/read_ics.py', import.meta.url).pathname;

// A fake `Notification` that records what the app asks for and shows: headless Chromium has no
// notification centre to look at.
function fakeNotifications() {
  window.__notifications = { asked: 0, shown: [] };
  class FakeNotification {
    constructor(title, options) {
      window.__notifications.shown.push({ title, body: options?.body });
    }
  }
  FakeNotification.permission = 'default';
  FakeNotification.requestPermission = async () => {
    window.__notifications.asked += 1;
    FakeNotification.permission = 'granted';
    return 'granted';
  };
  window.Notification = FakeNotification;
}

// Ada in Paris at 07:57 on 7 December 2026 (the page's clock is faked from then on; time flows).
async function adaAtSevenFiftySeven() {
  return newPatient(suite, 'Ada Doses', {
    timezoneId: 'Europe/Paris',
    viewport: { width: 390, height: 844 },
    beforeCreate: async (page) => {
      await page.clock.install({ time: new Date('2026-12-07T07:57:00+01:00') });
      await page.addInitScript(fakeNotifications);
    },
  });
}

const notifications = (page) => page.evaluate(() => window.__notifications);

test('a reminder appears at its time, is snoozed, and the dose marked taken stays in the log after a reload', async () => {
  const { page, context, problems } = await adaAtSevenFiftySeven();
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 1, every: 1, period: 'day' });
  assert.equal((await notifications(page)).asked, 0, 'no notification permission asked at the first visit');

  await openPart(page, 'Today');
  const today = page.getByRole('region', { name: "Today's doses" });
  const dose = today.getByRole('listitem').filter({ hasText: 'Metformin 500 mg' });
  await dose.getByText('08:00').waitFor();
  await dose.getByText('Not marked yet').waitFor();
  const reminder = page.getByRole('alert', { name: 'A dose is due' });
  assert.equal(await reminder.count(), 0, 'nothing is due before 08:00');

  // Turning system notifications on is when the browser is asked, once.
  await page.getByLabel(/Also as a system notification/).check();
  await page.getByText('System notifications are on.').waitFor();
  assert.equal((await notifications(page)).asked, 1);
  await assertAccessible(page, 'today');

  // 3½ minutes on (the idle lock waits 5): 08:00 has passed.
  await page.clock.fastForward('03:30');
  await reminder.waitFor();
  assert.match(await reminder.innerText(), /Metformin 500 mg · due at 08:00/);
  assert.ok(await page.getByRole('heading', { name: "Ada Doses's health binder" }).isVisible(), 'still unlocked');
  assert.deepEqual((await notifications(page)).shown, [{ title: 'Health Binder', body: 'A dose is due.' }],
    'one notification, naming no medication');
  await assertAccessible(page, 'dose reminder');
  await shot(page, 'doses-reminder');

  // Snoozed, it goes for 10 minutes (with the idle lock set longer for the wait) and comes back.
  await reminder.getByRole('button', { name: /^Snooze 10 minutes/ }).click();
  await reminder.waitFor({ state: 'detached' });
  await openPart(page, 'Security & backup');
  await byLabel(page, 'Lock by itself after').selectOption({ label: '30 minutes without use' });
  await openPart(page, 'Today');
  await page.clock.fastForward('10:30');
  await reminder.waitFor();
  await reminder.getByRole('button', { name: /^Taken/ }).click();
  await reminder.waitFor({ state: 'detached' });
  await dose.getByText(/^Taken at 08:1\d$/).waitFor();
  const adherence = page.getByRole('table');
  assert.match(await adherence.innerText(), /Metformin 500 mg\s+100 % \(1 of 1\)\s+100 % \(1 of 1\)/);

  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(page);
  assert.ok(overflow <= 0, `Today scrolls sideways by ${overflow} px at 390 px and 200 % text`);
  await shot(page, 'doses-today-large-text');
  await restore();

  // The log is in the sealed binder: after a reload and an unlock the dose is still taken.
  await page.reload();
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await button(page, 'Unlock').click();
  await page.getByRole('heading', { name: "Ada Doses's health binder" }).waitFor({ timeout: 30000 });
  await openPart(page, 'Today');
  await dose.getByText(/^Taken at 08:1\d$/).waitFor();
  await dose.getByRole('button', { name: /^Undo/ }).waitFor();
  assert.equal(await reminder.count(), 0, 'a dose marked taken is not reminded of');
  await shot(page, 'doses-after-reload');
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});

test('as-needed doses warn before the daily maximum and are logged past it only when confirmed', async () => {
  const { page, context, problems } = await adaAtSevenFiftySeven();
  await addMedication(page, { name: 'Paracetamol', strength: '500 mg', amount: '2', unit: 'tablet', asNeeded: true, max: '2' });
  await openPart(page, 'Today');
  const item = page.getByRole('region', { name: 'As needed' }).getByRole('listitem');
  await item.getByText('0 in the last 24 hours, at most 2 a day.').waitFor();
  await item.getByRole('button', { name: /^Took a dose now/ }).click();
  await item.getByText('One more is the last your directions allow in 24 hours.').waitFor();
  // Doses are logged to the minute (a double tap is one dose): the second is taken 4 minutes on.
  await page.clock.fastForward('04:00');
  await item.getByRole('button', { name: /^Took a dose now/ }).click();
  await item.getByText(/^Another now would be more than your directions allow\. The next is within them at 07:5\d\.$/).waitFor();
  assert.equal(await item.getByRole('button', { name: /^Took a dose now/ }).count(), 0);
  await page.clock.fastForward('04:00');
  await item.getByRole('button', { name: /^Log another anyway/ }).click();
  await item.getByText('3 in the last 24 hours, at most 2 a day.').waitFor();
  await assertAccessible(page, 'as needed');
  await shot(page, 'doses-as-needed');
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});

test('when the app is closed, the calendar file reminds of the daily medicine times, naming no medication', async () => {
  const { page, context, problems } = await adaAtSevenFiftySeven();
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2, every: 1, period: 'day' });
  await addMedication(page, { name: 'Alendronate', strength: '70 mg', amount: '1', unit: 'tablet', times: 1, every: 1, period: 'week' });
  await openPart(page, 'Appointments');
  const panel = page.getByRole('region', { name: 'Add to my calendar' });
  const [download] = await Promise.all([page.waitForEvent('download'), button(panel, 'Download calendar file').click()]);
  const file = join(ARTIFACTS, 'doses-calendar.ics');
  await download.saveAs(file);
  const events = JSON.parse(execFileSync('python3', [READER, file], { encoding: 'utf8' }));
  assert.deepEqual(
    events.map((e) => [e.summary, e.start.floating, e.rrule, e.alarms.map((a) => a.seconds)]),
    [
      ['Time for your medicines', '2026-12-07T08:00:00', 'FREQ=DAILY', [0]],
      ['Time for your medicines', '2026-12-07T20:00:00', 'FREQ=DAILY', [0]],
    ],
    'the twice-daily times, every day; the weekly one is not a daily time',
  );
  assert.ok(!JSON.stringify(events).includes('Metformin'), 'no medication name in the file');
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});

test('dose times set in the medication form are checked, then used by the day\'s list and the calendar file', async () => {
  const { page, context, problems } = await adaAtSevenFiftySeven();
  // None at 08:00, so no reminder turns up while the form is filled in.
  await addMedication(page, {
    name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 3, every: 1, period: 'day', clock: '9:30, 25:00, 22:00',
  });
  const form = page.locator('form.medication-form');
  const alert = form.getByRole('alert');
  await alert.getByText('Dose times: “25:00” is not a time on the clock. Write them like 08:00, 14:00, 22:00.').waitFor();
  assert.equal(await byLabel(page, /^At these times/).getAttribute('aria-invalid'), 'true');
  await byLabel(page, /^At these times/).fill('9:30, 14:00');
  await button(page, 'Save medication').click();
  await alert.getByText('Dose times: you gave 2 times for a medicine taken 3 times a day. Give one time for each dose.').waitFor();
  await assertAccessible(page, 'medication form with a dose-times problem');
  await shot(page, 'doses-times-problem');
  await byLabel(page, /^At these times/).fill('9:30, 14:00 22:00');
  await button(page, 'Save medication').click();
  await form.waitFor({ state: 'detached' });
  const card = page.locator('li.medication').filter({ hasText: 'Metformin' });
  await card.getByText('1 tablet · daily at 09:30, 14:00 and 22:00').waitFor();

  // Editing shows the times as saved.
  await card.getByRole('button', { name: /^Edit/ }).click();
  assert.equal(await byLabel(page, /^At these times/).inputValue(), '09:30, 14:00, 22:00');
  await button(page, 'Cancel').click();

  await openPart(page, 'Today');
  const doses = page.getByRole('region', { name: "Today's doses" }).getByRole('listitem');
  await doses.first().waitFor();
  assert.deepEqual(
    (await doses.allInnerTexts()).map((t) => t.match(/\d\d:\d\d/)[0]),
    ['09:30', '14:00', '22:00'],
  );
  assert.equal(await page.getByRole('alert', { name: 'A dose is due' }).count(), 0, 'nothing due at 08:00 any more');

  await openPart(page, 'Appointments');
  const panel = page.getByRole('region', { name: 'Add to my calendar' });
  const [download] = await Promise.all([page.waitForEvent('download'), button(panel, 'Download calendar file').click()]);
  const file = join(ARTIFACTS, 'doses-set-times.ics');
  await download.saveAs(file);
  const events = JSON.parse(execFileSync('python3', [READER, file], { encoding: 'utf8' }));
  assert.deepEqual(
    events.map((e) => [e.summary, e.start.floating, e.rrule]),
    [
      ['Time for your medicines', '2026-12-07T09:30:00', 'FREQ=DAILY'],
      ['Time for your medicines', '2026-12-07T14:00:00', 'FREQ=DAILY'],
      ['Time for your medicines', '2026-12-07T22:00:00', 'FREQ=DAILY'],
    ],
  );
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});

test('a share says how the medicines have been taken only when the patient ticks it', async () => {
  const { page, context, problems } = await adaAtSevenFiftySeven();
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 1, every: 1, period: 'day' });
  await openPart(page, 'Today');
  // 08:01: the 08:00 dose is due; taken.
  await page.clock.fastForward('04:00');
  const dose = page.getByRole('region', { name: "Today's doses" }).getByRole('listitem').filter({ hasText: 'Metformin 500 mg' });
  await dose.getByRole('button', { name: /^Taken/ }).click();
  await dose.getByText(/^Taken at 08:0\d$/).waitFor();

  const line = 'Taken 1 of 1 scheduled doses since 7 December 2026, when it was added';
  const ticked = await shareLink(page, async (panel) => {
    const box = panel.getByLabel(/Include how I have been taking my medicines/);
    assert.equal(await box.isChecked(), false, 'unticked unless the patient ticks it');
    await box.check();
  });
  await assertAccessible(page, 'share result');
  // The choice stays as it was for the next share, like the others: untick it.
  const unticked = await shareLink(page, (panel) => panel.getByLabel(/Include how I have been taking my medicines/).uncheck());

  const { view, context: clinicianContext } = await newClinician(suite);
  await openAsClinician(view, ticked);
  const table = view.getByRole('region', { name: 'Active medications' }).getByRole('table');
  await table.getByRole('columnheader', { name: "As taken (patient's log)" }).waitFor();
  assert.match(await table.getByRole('row').filter({ hasText: 'Metformin' }).innerText(), new RegExp(line));
  await assertAccessible(view, 'viewer with how the medicines were taken');
  await shot(view, 'doses-shared-taking');

  // Another page: a link differing only after the '#' would not load the viewer anew.
  const other = await clinicianContext.newPage();
  await openAsClinician(other, unticked);
  const plain = other.getByRole('region', { name: 'Active medications' }).getByRole('table');
  await plain.getByRole('row').filter({ hasText: 'Metformin' }).waitFor();
  assert.equal(await plain.getByRole('columnheader', { name: "As taken (patient's log)" }).count(), 0);
  assert.ok(!(await other.locator('body').innerText()).includes('scheduled doses'), 'nothing of the log when unticked');
  assert.deepEqual(realProblems(problems), []);
  await clinicianContext.close();
  await context.close();
});

test('opted in, the lock screen says a dose is due from times alone, and opting out deletes them', async () => {
  const { page, context, problems } = await adaAtSevenFiftySeven();
  await addMedication(page, { name: 'Metformin', strength: '500 mg', amount: '1', unit: 'tablet', times: 2, every: 1, period: 'day' });
  const stored = () => page.evaluate(() => Object.fromEntries(
    Object.entries(localStorage).filter(([k]) => k.startsWith('hb/v1/settings/reminder-times/')),
  ));
  await openPart(page, 'Today');
  const option = page.getByLabel(/Remind me even when the binder is locked/);
  assert.equal(await option.isChecked(), false, 'off unless the patient turns it on');
  assert.deepEqual(await stored(), {}, 'nothing outside the vault before');
  await option.check();
  await assertAccessible(page, 'reminder settings');

  // Times only: the instants doses are due (08:00 and 20:00 for a week), no name, no count per medicine.
  const [[, text]] = Object.entries(await stored());
  const schedule = JSON.parse(text);
  assert.deepEqual(Object.keys(schedule), ['due']);
  const at = (iso) => new Date(iso).getTime();
  assert.deepEqual(schedule.due.slice(0, 2), [at('2026-12-07T08:00:00+01:00'), at('2026-12-07T20:00:00+01:00')]);
  assert.equal(schedule.due.length, 14);
  assert.ok(schedule.due.every(Number.isInteger));
  assert.ok(!JSON.stringify(await page.evaluate(() => ({ ...localStorage }))).includes('Metformin'));

  await button(page, 'Lock').click();
  const unlockButton = button(page, 'Unlock');
  await unlockButton.waitFor();
  const notice = page.getByRole('alert').filter({ hasText: 'A dose is due — unlock to see which.' });
  assert.equal(await notice.count(), 0, 'nothing due at 07:57');
  await page.clock.fastForward('04:00');
  await notice.waitFor();
  await assertAccessible(page, 'lock screen with a dose due');
  await shot(page, 'doses-locked-reminder');

  // Unlocked, the dose is named; marked taken, the lock screen has nothing to say.
  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await unlockButton.click();
  const reminder = page.getByRole('alert', { name: 'A dose is due' });
  await reminder.getByText(/Metformin 500 mg · due at 08:00/).waitFor();
  await reminder.getByRole('button', { name: /^Taken/ }).click();
  await reminder.waitFor({ state: 'detached' });
  assert.equal(JSON.parse(Object.values(await stored())[0]).due[0], at('2026-12-07T20:00:00+01:00'), 'rewritten without the taken dose');
  await button(page, 'Lock').click();
  await unlockButton.waitFor();
  await page.clock.fastForward('00:30');
  assert.equal(await notice.count(), 0);

  await byLabel(page, 'Passphrase').fill(PASSPHRASE);
  await unlockButton.click();
  await openPart(page, 'Today');
  await option.uncheck();
  assert.deepEqual(await stored(), {}, 'turning it off deletes the schedule');
  assert.deepEqual(realProblems(problems), []);
  await context.close();
});
