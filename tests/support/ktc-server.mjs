// A SMART Health Links server made with kill-the-clipboard's own SHL.generate and
// SHLManifestBuilder, on another loopback port: links our viewer did not make, hosted elsewhere.
import { createServer } from 'node:http';
import { SHL, SHLManifestBuilder } from 'kill-the-clipboard';

export async function startKtcServer(bundle, { flag, label } = {}) {
  const files = new Map();
  let base;
  const server = createServer(async (req, res) => {
    // CORS, as any SHL server must allow for browser-based viewers.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type');
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    const url = `${base}${req.url}`;
    if (req.method === 'POST' && url === shl.url) {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { recipient, embeddedLengthMax } = JSON.parse(body);
      if (!recipient) return res.writeHead(400).end();
      requests.push({ recipient });
      const manifest = await builder.buildManifest({ embeddedLengthMax });
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(manifest));
    }
    const id = req.url.split('/').pop();
    if (req.method === 'GET' && files.has(id)) {
      return res.writeHead(200, { 'content-type': 'application/jose' }).end(files.get(id));
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  const requests = [];
  const shl = SHL.generate({ baseManifestURL: `${base}/shl`, expirationDate: new Date(Date.now() + 3600_000), flag, label });
  const builder = new SHLManifestBuilder({
    shl,
    uploadFile: async (content) => {
      const id = `f${files.size}`;
      files.set(id, content);
      return id;
    },
    getFileURL: async (path) => `${base}/files/${path}`,
    loadFile: async (path) => files.get(path),
  });
  // Compressed (zip: DEF), as kill-the-clipboard does by default for FHIR resources.
  await builder.addFHIRResource({ content: bundle });
  return { base, shl, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}
