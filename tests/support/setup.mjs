// The one set-up every browser test file shares: a fresh relay (own SQLite file) and one headless
// Chromium for the whole file, started before its first test and stopped after its last. Each test
// then opens its own browser context (a fresh profile: empty storage, no service worker) and makes
// its own binder, so no test depends on what an earlier one left behind and any one can run alone
// (`node --test --test-name-pattern '…'`).
import { before, after } from 'node:test';
import { startRelay } from './relay.mjs';
import { launch, recordedContext } from './browser.mjs';
import { button, createBinder } from './ui.mjs';

// Call once at the top of a test file; `relay` and `browser` on the returned object are set from
// the first test on. `relay` takes startRelay's options (e.g. `{ env: { … } }`).
export function useRelayAndBrowser({ relay: relayOptions } = {}) {
  const suite = { relay: undefined, browser: undefined };
  before(async () => {
    suite.relay = await startRelay(relayOptions);
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.relay?.stop();
  });
  return suite;
}

// A patient in a fresh browser profile with a new binder of their own, the recovery code card
// dismissed unless `keepRecoveryCard`. `beforeCreate(page)` runs on the new page first (e.g. to
// install fake timers); `timezoneId` sets the browser's time zone ('Europe/Paris'). Returns
// recordedContext's { context, requests, problems } and the page.
export async function newPatient(suite, name, { viewport, timezoneId, keepRecoveryCard = false, beforeCreate } = {}) {
  const patient = await recordedContext(suite.browser, { ...(viewport ? { viewport } : {}), ...(timezoneId ? { timezoneId } : {}) });
  const page = await patient.context.newPage();
  if (beforeCreate) await beforeCreate(page);
  await createBinder(page, suite.relay.url, name);
  if (!keepRecoveryCard) await button(page, 'I have written it down').click();
  return { ...patient, page };
}

// A clinician in another fresh profile (a phone-sized one by default), with one page open.
export async function newClinician(suite, { viewport = { width: 390, height: 844 } } = {}) {
  const clinician = await recordedContext(suite.browser, { viewport });
  const view = await clinician.context.newPage();
  return { ...clinician, view };
}
