// The patient's first screen, before the app's wasm arrives (issue 13: what a first visit waits
// for). app/index.html holds both forms, hidden, with the same headings, labels, ids and classes
// as app/src/pages/create.rs and unlock.rs; this keeps the one the app will show, by the app's
// own rules (and removes the other), writes it in the reader's language (`data-t`: the English
// text is the catalogue's key) and shows it. The patient can type at once;
// a press made before the app is ready is kept (`data-pending`) and said ("Opening…"), and the
// app, once mounted, takes over what was typed and that press (app/src/first_screen.rs).
//
// Plain and small on purpose: nothing here reads or keeps what is typed, and it runs before the
// app's loader (both are deferred, this one first, so it never waits for the wasm; its
// `fetchpriority="high"` in app/index.html, since Chromium would otherwise rank a deferred script
// below the wasm's preload). The build serves it as built/first-screen.js,
// after the texts it reads (`self.firstScreenTexts`), generated from locales/ by
// scripts/first-screen-texts.mjs, which also drops these comment lines from what is served.
(() => {
  const root = document.getElementById('first-screen');
  if (!root) return;

  // Which screen: the rule of SessionState::start (app/src/session.rs). The vault's index
  // (core/src/vault/storage.rs) is a JSON list of binder ids; one or more means a binder to
  // unlock, and an index that does not read as one counts as none, as core reads it. A store that
  // cannot be read at all is the app's to explain: nothing shows here.
  let screen;
  try {
    screen = binderIds(localStorage.getItem('hb/v1/index')).length > 0 ? 'unlock' : 'create';
  } catch {
    root.remove();
    return;
  }

  // The language, as app/src/i18n.rs starts: the patient's stored choice, else the browser's.
  const TEXTS = self.firstScreenTexts ?? {};
  const supported = ['en', ...Object.keys(TEXTS)];
  let stored = null;
  try {
    stored = localStorage.getItem('health-binder-language');
  } catch {
    // no stored choice
  }
  const language = supported.includes(stored) ? stored : negotiate(navigator.languages ?? [], supported) ?? 'en';
  const t = (english) => TEXTS[language]?.[english] ?? english;

  for (const section of root.querySelectorAll('[data-screen]')) {
    if (section.dataset.screen !== screen) section.remove();
  }
  for (const element of root.querySelectorAll('[data-t]')) {
    element.textContent = t(element.textContent.replace(/\s+/g, ' ').trim());
  }
  document.documentElement.lang = language;
  root.hidden = false;

  // A press before the app is ready: kept for the app, the button disabled, the wait said.
  const form = root.querySelector('form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (root.dataset.pending) return;
    root.dataset.pending = 'submit';
    form.querySelector('button[type=submit]').disabled = true;
    const status = form.querySelector('.first-screen-status');
    const spinner = document.createElement('span');
    spinner.className = 'spinner';
    spinner.setAttribute('aria-hidden', 'true');
    const words = document.createElement('span');
    words.textContent = t('Opening… the app is still loading.');
    status.classList.add('busy');
    status.replaceChildren(spinner, words);
  });

  // The ids core's index holds (uuid's forms: hyphenated, simple, braced, urn); anything else
  // makes the whole index unreadable, which core treats as empty.
  function binderIds(text) {
    if (text === null) return [];
    const UUID = /^(urn:uuid:)?(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$/i;
    try {
      const ids = JSON.parse(text);
      return Array.isArray(ids) && ids.every((id) => typeof id === 'string' && UUID.test(id)) ? ids : [];
    } catch {
      return [];
    }
  }

  // core::i18n::negotiate: the first preference the app has, by its whole tag or its language.
  function negotiate(preferred, codes) {
    for (const tag of preferred) {
      const trimmed = tag.trim();
      const base = trimmed.split(/[-_]/)[0];
      const found = codes.find((c) => c.toLowerCase() === trimmed.toLowerCase())
        ?? codes.find((c) => c.toLowerCase() === base.toLowerCase());
      if (found) return found;
    }
    return undefined;
  }
})();
