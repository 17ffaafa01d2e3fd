// The benchmarks' share: uploads a JWE to the relay as the app would (a U link, one hour) and
// returns the link a clinician scans, opening the relay's viewer.
export async function uploadLink(relay, { jwe, key }) {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const response = await fetch(new URL('api/shares', relay.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jwe, exp }),
  });
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
  const created = await response.json();
  const payload = { url: new URL(created.path, relay.url).href, key, exp, flag: 'U' };
  return `${created.viewer}#shlink:/${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}
