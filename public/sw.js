// Health Binder's service worker: after the first visit the app opens, and the binder unlocks,
// with the network off. It caches the app's own files and nothing else — never the API or share
// links (live state, and ciphertext the patient may revoke) — so no health data is ever in it.
//
// An update is never silent. Each build is one version, with its own cache, holding every file
// of the patient's app as listed in that build's dist/build-manifest.txt and checked against the
// SHA-256 written there (a file that does not match fails the install: a half-deployed or altered
// version is not taken). The running version serves everything from its own cache, the page
// included, so a reload keeps running the same code. A new version installs beside it and waits:
// it takes over when the patient agrees (the page posts `skip-waiting`), or when every tab of the
// app is closed, which browsers impose (and which a web app cannot prevent). The build hash —
// SHA-256 of the manifest — is what the app shows (`/build.json`, from this cache) and what the
// offer names.
//
// This worker never broadcasts: the page finds a waiting version from the registration's state
// and events (app/src/updates.rs) and asks it `which-build` on a message channel of its own, which
// this worker answers on that channel. Nothing depends on which side is first.

// A digest of every other file of the build, written by scripts/lib.sh: browsers install a new
// service worker only when its bytes change, so they must change with every build.
const VERSION = 'unbuilt';
const CACHE = `health-binder-app-${VERSION}`;
const PAGE = '/';
const MANIFEST = '/build-manifest.txt';
// Files the patient's app never loads through this worker: the viewer (its own origin), the
// precompressed copies (the browser asks for the plain URL), this worker itself.
const NOT_APP = /^(view\/|sw\.js$)|\.(br|gz)$/;

async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Fetches this build's files, checks each against the manifest, and stores them; throws (the
// install fails, the running version stays) on any difference.
async function install() {
  const manifestResponse = await fetch(MANIFEST, { cache: 'no-cache' });
  if (!manifestResponse.ok) throw new Error(`no build manifest (${manifestResponse.status})`);
  const manifestBytes = await manifestResponse.arrayBuffer();
  const build = await sha256Hex(manifestBytes);
  const files = new TextDecoder().decode(manifestBytes).split('\n').filter(Boolean).map((line) => {
    const [hash, path] = [line.slice(0, 64), line.slice(66)];
    return { hash, path };
  });
  const stored = [];
  for (const { hash, path } of files) {
    if (NOT_APP.test(path)) continue;
    const url = path === 'index.html' ? PAGE : `/${path}`;
    const response = await fetch(url, { cache: 'no-cache' });
    const bytes = await response.clone().arrayBuffer();
    if (!response.ok || (await sha256Hex(bytes)) !== hash) {
      throw new Error(`${url} differs from build ${build}`);
    }
    stored.push([url, response]);
  }
  const buildJson = JSON.stringify({ build });
  stored.push([MANIFEST, new Response(manifestBytes, { headers: { 'content-type': 'text/plain' } })]);
  stored.push(['/build.json', new Response(buildJson, { headers: { 'content-type': 'application/json' } })]);
  // Only a complete, checked version gets a cache: a failed install leaves nothing behind.
  const cache = await caches.open(CACHE);
  for (const [url, response] of stored) await cache.put(url, response);
}

async function buildOf(cacheName) {
  const response = await (await caches.open(cacheName)).match('/build.json');
  return response ? (await response.json()).build : null;
}

self.addEventListener('install', (event) => {
  event.waitUntil(install());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') {
    // The patient agreed to use this version: it activates, which moves every open tab of the
    // app to it (their `controllerchange`).
    event.waitUntil(self.skipWaiting());
  } else if (event.data?.type === 'which-build' && event.ports[0]) {
    // A tab asks this version which build it is, on a channel of its own.
    const [port] = event.ports;
    event.waitUntil(buildOf(CACHE).then((build) => port.postMessage({ build })));
  }
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (/^\/(api|shl|view)(\/|$)/.test(url.pathname) || url.pathname === '/sw.js') return;
  const key = event.request.mode === 'navigate' ? PAGE : event.request;
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(key, { ignoreSearch: event.request.mode === 'navigate', ignoreVary: true }))
      .then((cached) => cached ?? fetch(event.request)),
  );
});
