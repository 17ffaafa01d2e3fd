// Every section of the binder on screen: add, check, edit and delete entries through the one form
// the sections share; the profile; each part accessible (axe) and usable at 390 px with 200 % text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot } from '../support/browser.mjs';
import { newClinician, newPatient, useRelayAndBrowser } from '../support/setup.mjs';
import {
  assertAccessible, button, fillForm, horizontalOverflowAtPhoneWithLargeText, openAsClinician, openPart, realProblems,
  shareLink,
} from '../support/ui.mjs';

const suite = useRelayAndBrowser();
const newBinder = () => newPatient(suite, 'Katherine Johnson', { viewport: { width: 1100, height: 900 } });
const region = (page, name) => page.getByRole('region', { name, exact: true });

async function checkPart(page, name) {
  await assertAccessible(page, name);
  const { overflow, restore } = await horizontalOverflowAtPhoneWithLargeText(page);
  await shot(page, `${name}-390-text200`);
  await restore();
  assert.ok(overflow <= 0, `${name}: ${overflow}px of horizontal scrolling at 390 px with 200 % text`);
}

// Each section: the part (tab) it lives in, what to type, the entry's title and a detail as
// listed, then an edit and what it shows.
const SECTIONS = [
  {
    part: 'Care team', region: 'Care team', item: 'provider',
    fill: [['Name', 'Dr Priya Patel'], ['Role or specialty', 'GP'], ['Phone', '+44 20 7946 0000'],
      ['Email', 'patel@clinic.example'], ['This is my primary care provider', { check: true }]],
    title: 'Dr Priya Patel', shows: 'Primary care',
    edit: [['Role or specialty', 'Family doctor']], edited: 'Family doctor',
  },
  {
    part: 'History', region: 'Conditions', item: 'condition',
    fill: [['Condition', 'Asthma'], ['Since', 'March 2015'], ['Code system', { select: 'ICD-10' }], ['Code', 'j45.9']],
    title: 'Asthma', shows: 'ICD-10 J45.9',
    edit: [['Since', '2014']], edited: 'Since 2014',
  },
  {
    part: 'History', region: 'Procedures and surgeries', item: 'procedure',
    fill: [['Procedure or surgery', 'Appendectomy'], ['When', '1998'], ['Who did it, or where', "St Mary's"]],
    title: 'Appendectomy', shows: "St Mary's",
    edit: [['When', 'June 1998']], edited: 'June 1998',
  },
  {
    part: 'History', region: 'Immunizations', item: 'immunization',
    fill: [['Vaccine', 'Tetanus booster'], ['When', '2019-05-14'], ['Dose number', '2']],
    title: 'Tetanus booster', shows: '14 May 2019',
    edit: [['Lot number', 'AB123']], edited: 'Lot AB123',
  },
  {
    part: 'Results', region: 'Test results', item: 'result',
    fill: [['Test', 'HbA1c'], ['Result', '6,8'], ['Unit', '%'], ['Date of the test', '2 October 2026'],
      ['Normal range to', '5.7'], ['Flag on the report', { select: 'High' }],
      ['Ordered by', { select: 'Dr Priya Patel (GP)' }]],
    title: 'HbA1c: 6.8 %', shows: 'Ordered by Dr Priya Patel',
    edit: [['Result', '6.4']], edited: 'HbA1c: 6.4 %',
  },
  {
    part: 'Appointments', region: 'Appointments', item: 'appointment',
    fill: [['Date and time', '2026-12-03T09:30'], ['With', { select: 'Dr Priya Patel (GP)' }],
      ['Purpose', 'Check-up'], ['Questions to ask', 'Can I stop ibuprofen?\nWhat about the cough?']],
    title: '3 December 2026, 09:30 — Check-up', shows: 'Ask: Can I stop ibuprofen? • What about the cough?',
    edit: [['Follow-up to do', 'Book a blood test']], edited: 'Afterwards: Book a blood test',
  },
  {
    part: 'Vitals', region: 'Vitals log', item: 'reading',
    fill: [['Measurement', { select: 'Blood pressure (mmHg)' }], ['Reading', '128/82'], ['When', '2026-11-24T07:45']],
    title: 'Blood pressure: 128/82 mmHg', shows: '24 November 2026, 07:45',
    edit: [['Reading', '131/85']], edited: 'Blood pressure: 131/85 mmHg',
  },
  {
    part: 'Notes', region: 'Notes and symptom journal', item: 'note',
    fill: [['When', '2026-11-23T22:10'], ['Note', 'Headache after lunch'], ['How bad, from 0 to 10', '4']],
    title: '23 November 2026, 22:10', shows: 'How bad: 4 out of 10',
    edit: [['Note', 'Headache after lunch, better after water']], edited: 'better after water',
  },
];

const [PROVIDER] = SECTIONS;

// Adds one entry of a section as listed in SECTIONS (the results and appointments choose a
// clinician from the care team, so a test adds the provider first).
async function addEntry(page, s) {
  await openPart(page, s.part);
  const section = region(page, s.region);
  await button(section, `Add ${s.item}`).click();
  await fillForm(section.locator('form'), s.fill);
  await button(section, `Save ${s.item}`).click();
  await section.locator('li', { has: page.getByRole('heading', { name: s.title, exact: true }) }).waitFor();
}

for (const s of SECTIONS) {
  test(`${s.region}: add, edit and delete`, async () => {
    const { page, context } = await newBinder();
    if (s !== PROVIDER) await addEntry(page, PROVIDER);
    await openPart(page, s.part);
    const section = region(page, s.region);
    await button(section, `Add ${s.item}`).click();
    const form = section.locator('form');
    await fillForm(form, s.fill);
    await checkPart(page, `section-${s.item}-form`);
    await button(form, `Save ${s.item}`).click();
    const entry = section.locator('li', { has: page.getByRole('heading', { name: s.title, exact: true }) });
    await entry.getByText(s.shows, { exact: false }).first().waitFor();
    await shot(page, `section-${s.item}-listed`);

    await section.getByRole('button', { name: `Edit ${s.title}`, exact: true }).click();
    await fillForm(section.locator('form'), s.edit);
    await button(section, `Save ${s.item}`).click();
    await section.getByText(s.edited, { exact: false }).first().waitFor();

    const title = (await section.locator('li h3').first().innerText()).trim();
    await section.getByRole('button', { name: `Delete ${title}`, exact: true }).click();
    await button(section, 'Yes, delete').click();
    await section.locator('li').first().waitFor({ state: 'detached' });
    await section.locator('p.muted').waitFor();
    await context.close();
  });
}

test('a mistake is named with its field and nothing is saved', async () => {
  const { page, context } = await newBinder();
  await openPart(page, 'Vitals');
  const section = region(page, 'Vitals log');
  await button(section, 'Add reading').click();
  const form = section.locator('form');
  await fillForm(form, [['Reading', '128']]);
  await button(form, 'Save reading').click();
  await form.getByRole('alert').getByText('Reading: Enter blood pressure as two numbers').waitFor();
  assert.equal(await form.getByLabel(/^Reading/).getAttribute('aria-invalid'), 'true');
  await assertAccessible(page, 'vitals form with an error');
  await fillForm(form, [['Measurement', { select: 'Pulse (beats a minute)' }], ['Reading', '900']]);
  await button(form, 'Save reading').click();
  // Named by its field, and the field marked: the rule reports it under the form's own key.
  await form.getByRole('alert').getByText('Reading: A pulse of 900 a minute is not plausible').waitFor();
  assert.equal(await form.getByLabel(/^Reading/).getAttribute('aria-invalid'), 'true', 'the implausible reading is marked');
  await shot(page, 'section-vitals-error');
  await button(form, 'Cancel').click();
  assert.equal(await section.locator('li').count(), 0);
  await context.close();
});

test('About me: details, emergency contacts, caregiver and advance directive', async () => {
  const { page, context } = await newBinder();
  await openPart(page, 'About me');
  const section = region(page, 'About me');
  await button(section, 'Edit details').click();
  const form = section.locator('form');
  await fillForm(form, [
    ['Date of birth', '26 August 1918'], ['Sex', { select: 'Female' }], ['Blood type', { select: 'O−' }],
    ['Emergency contact', 'Joylette Goble'], ["Emergency contact's relationship to you", 'Daughter'],
    ["Emergency contact's phone", '+1 555 0100'],
    ['Caregiver who speaks for you', 'Joylette Goble'], ["Caregiver's phone", '+1 555 0100'],
    ['Advance directive', 'Copy with Dr Patel; original in the blue folder'],
  ]);
  await checkPart(page, 'profile-form');
  await button(form, 'Save details').click();
  const details = await section.locator('dl').innerText();
  for (const shown of ['26 August 1918', 'O−', 'Joylette Goble', 'Daughter', 'blue folder']) {
    assert.ok(details.includes(shown), `About me shows ${shown}: ${details}`);
  }
  await checkPart(page, 'profile');
  await shot(page, 'profile');
  await context.close();
});

test('what the patient typed in the new sections reaches the clinician in the shared summary', async () => {
  const { page, context } = await newBinder();
  const add = async (part, regionName, item, fields) => {
    await openPart(page, part);
    const section = region(page, regionName);
    await button(section, `Add ${item}`).click();
    await fillForm(section.locator('form'), fields);
    await button(section, `Save ${item}`).click();
    await section.locator('li.entry').first().waitFor();
  };
  await addEntry(page, PROVIDER);
  await openPart(page, 'About me');
  await button(region(page, 'About me'), 'Edit details').click();
  await fillForm(region(page, 'About me').locator('form'), [['Emergency contact', 'Joylette Goble'],
    ["Emergency contact's relationship to you", 'Daughter'], ["Emergency contact's phone", '+1 555 0100']]);
  await button(page, 'Save details').click();
  await add('History', 'Conditions', 'condition', [['Condition', 'Type 2 diabetes'], ['Since', 'March 2015']]);
  await add('History', 'Immunizations', 'immunization', [['Vaccine', 'Tetanus booster'], ['When', '2019']]);
  await add('Results', 'Test results', 'result', [['Test', 'HbA1c'], ['Result', '6.8'], ['Unit', '%'], ['Date of the test', '2026-10-02']]);
  await add('Vitals', 'Vitals log', 'reading', [['Reading', '128/82'], ['When', '2026-11-24T07:45']]);

  const link = await shareLink(page);
  const clinician = await newClinician(suite);
  const { view } = clinician;
  await openAsClinician(view, link);
  await view.getByRole('heading', { name: 'Katherine Johnson' }).waitFor();
  const shown = await view.locator('main').innerText();
  await shot(view, 'clinician-new-sections-390');
  for (const text of ['Type 2 diabetes', 'Tetanus booster', 'HbA1c', '6.8 %', 'Systolic blood pressure: 128 mm[Hg]',
    'Primary care: Dr Priya Patel', 'Emergency Contact: Joylette Goble (Daughter), +1 555 0100']) {
    assert.ok(shown.includes(text), `the clinician sees ${text}`);
  }
  await clinician.context.close();
  await context.close();
});

test('every part of the binder, with an entry in each section, passes axe and fits a phone with large text', async () => {
  const patient = await newBinder();
  const { page } = patient;
  for (const s of SECTIONS) await addEntry(page, s);
  for (const part of ['Medicines & allergies', 'Care team', 'History', 'Results', 'Appointments', 'Vitals', 'Notes',
    'Share', 'Security & backup']) {
    await openPart(page, part);
    await checkPart(page, `part-${part.toLowerCase().replace(/[^a-z]+/g, '-')}`);
  }
  assert.deepEqual(realProblems(patient.problems), []);
  await patient.context.close();
});
