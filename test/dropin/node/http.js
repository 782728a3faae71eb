'use strict';
// HTTP/1.1 over 127.0.0.1: a server and a keep-alive client exchanging many
// requests whose bodies go from 1 byte to 8 MiB, both ways, checked byte
// for byte (a SHA-256 of what each side received).
const assert = require('assert');
const crypto = require('crypto');
const http = require('http');
const { run, once } = require('./common');

function body(size, seed) {
  // Not a repeated byte: a shifted or dropped chunk must change the hash.
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  return Buffer.from(words.buffer, 0, size);
}
const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

let server, port, agent;
const sockets = new Set();

function request(method, path, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('socket', (s) => sockets.add(s));
    req.end(payload);
  });
}

run('http', [
  ['server listens on 127.0.0.1', async () => {
    server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const got = Buffer.concat(chunks);
        const m = /^\/(\d+)\/(\d+)$/.exec(req.url);
        assert.ok(m, req.url);
        const reply = body(Number(m[1]), Number(m[2]));
        res.setHeader('x-request-sha', sha(got));
        res.setHeader('x-request-length', got.length);
        res.end(reply);
      });
    });
    server.keepAliveTimeout = 30000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = server.address().port;
    agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  }],
  ['100 small keep-alive requests reuse their connections', async () => {
    for (let i = 0; i < 100; i++) {
      const payload = body(1 + (i % 7), i + 1);
      const { res, body: got } = await request('POST', `/${1 + i}/${i + 7}`, payload);
      assert.strictEqual(res.statusCode, 200);
      assert.strictEqual(res.headers['x-request-sha'], sha(payload));
      assert.strictEqual(got.length, 1 + i);
      assert.ok(got.equals(body(1 + i, i + 7)));
    }
    assert.ok(sockets.size <= 4, `${sockets.size} connections for sequential requests`);
  }],
  ['bodies of 1 B to 8 MiB both ways, 4 at a time', async () => {
    const sizes = [1, 2, 3, 511, 4096, 65535, 65536, 65537, 1 << 20, (1 << 20) + 3, 8 << 20];
    const jobs = sizes.map((size, i) => async () => {
      const payload = body(size, 1000 + i);
      const { res, body: got } = await request('PUT', `/${size}/${2000 + i}`, payload);
      assert.strictEqual(res.statusCode, 200);
      assert.strictEqual(Number(res.headers['x-request-length']), size);
      assert.strictEqual(res.headers['x-request-sha'], sha(payload));
      assert.strictEqual(got.length, size);
      assert.strictEqual(sha(got), sha(body(size, 2000 + i)));
    });
    await Promise.all(jobs.map((j) => j()));
  }],
  ['GET without a body, chunked response, 404', async () => {
    const { res, body: got } = await request('GET', '/0/1');
    assert.strictEqual(res.statusCode, 200);
    assert.strictEqual(got.length, 0);
    const s2 = http.createServer((req, res) => {
      res.statusCode = req.url === '/' ? 200 : 404;
      for (let i = 0; i < 100; i++) res.write(`line ${i}\n`);
      res.end();
    });
    s2.listen(0, '127.0.0.1');
    await once(s2, 'listening');
    const p2 = s2.address().port;
    const get = (path) => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: p2, path }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve([res, text]));
      }).on('error', reject);
    });
    const [r1, t1] = await get('/');
    assert.strictEqual(r1.statusCode, 200);
    assert.strictEqual(r1.headers['transfer-encoding'], 'chunked');
    assert.strictEqual(t1.split('\n').length, 101);
    const [r2] = await get('/missing');
    assert.strictEqual(r2.statusCode, 404);
    s2.close();
    await once(s2, 'close');
  }],
  ['server closes once the agent lets go', async () => {
    agent.destroy();
    server.close();
    await once(server, 'close');
  }],
]);
