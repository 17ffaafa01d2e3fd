// Health Binder's service worker: after the first visit the app opens, and the binder unlocks,
// with the network off. It caches the app's own files and nothing else — never the API or share
// links (live state, and ciphertext the patient may revoke) — so no health data is ever in it.
//
// - The page (navigations): network first, so a new version replaces the old one as soon as it
//   is reachable; the cached page when offline.
// - Everything the page loads (Trunk's hashed .js/.wasm/.css, the manifest, the icon): cached
//   from the page itself at install and after every fresh page, then served cache first. Hashed
//   names change with their bytes, and responses are stored untouched, so Trunk's integrity
//   (SRI) hashes keep matching.
const CACHE = 'health-binder-app-v2';
const PAGE = '/';
// The key-derivation worker is started by URL from the wasm, and the common-password list is
// fetched by it when a passphrase is chosen, so no page names them.
const ALWAYS = [
  '/manifest.webmanifest', '/icon.svg', '/kdf/kdf_worker_loader.js', '/kdf/kdf_worker.js', '/kdf/kdf_worker_bg.wasm',
  '/kdf/common-passwords.txt',
];

// The files a built index.html loads: its href/src attributes that point at this origin.
function assetsOf(html) {
  const found = new Set(ALWAYS);
  for (const [, url] of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"](\/[^'"#?]+)['"]/g)) {
    if (url !== PAGE) found.add(url);
  }
  for (const [, url] of html.matchAll(/from\s+'(\/[^']+)'/g)) found.add(url);
  return [...found];
}

// Stores a fresh page and every file it needs, then forgets files no longer needed.
async function keep(pageResponse) {
  const cache = await caches.open(CACHE);
  const html = await pageResponse.clone().text();
  const assets = assetsOf(html);
  await cache.addAll(assets);
  await cache.put(PAGE, pageResponse);
  const wanted = new Set([PAGE, ...assets].map((path) => new URL(path, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(fetch(PAGE, { cache: 'no-cache' }).then(keep).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (/^\/(api|shl|view)(\/|$)/.test(url.pathname) || url.pathname === '/sw.js') return;
  if (event.request.mode === 'navigate') {
    event.respondWith(
      fetch(event.request)
        .then((response) => {
          if (response.ok) event.waitUntil(keep(response.clone()).catch(() => {}));
          return response;
        })
        .catch(async () => (await caches.match(PAGE)) ?? Response.error()),
    );
    return;
  }
  event.respondWith(caches.match(event.request).then((cached) => cached ?? fetch(event.request)));
});
