'use strict';
// net: a TCP echo server on 127.0.0.1 with many clients, half-close, a
// refused connection, and a Unix-domain socket; dgram: a UDP echo.
const assert = require('assert');
const crypto = require('crypto');
const dgram = require('dgram');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { run, once } = require('./common');

function echoServer(listenArgs) {
  const server = net.createServer((sock) => sock.pipe(sock));
  server.listen(...listenArgs);
  return once(server, 'listening').then(() => server);
}

function echoOnce(connectArgs, payload) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const sock = net.connect(...connectArgs, () => sock.end(payload));
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks)));
    sock.on('error', reject);
  });
}

let tcp;
run('net-dgram', [
  ['TCP echo: 50 clients at once, 1 B to 1 MiB each, half-closed', async () => {
    tcp = await echoServer([0, '127.0.0.1']);
    const { port } = tcp.address();
    const jobs = [];
    for (let i = 0; i < 50; i++) {
      const payload = crypto.randomBytes(i === 0 ? 1 : (i * 20011) % (1 << 20) + 1);
      jobs.push(echoOnce([port, '127.0.0.1'], payload).then((got) => {
        assert.strictEqual(got.length, payload.length);
        assert.ok(got.equals(payload));
      }));
    }
    await Promise.all(jobs);
  }],
  ['TCP: many small writes arrive in order, setNoDelay and keepAlive accepted', async () => {
    const { port } = tcp.address();
    const sock = net.connect(port, '127.0.0.1');
    await once(sock, 'connect');
    sock.setNoDelay(true);
    sock.setKeepAlive(true, 1000);
    assert.strictEqual(sock.remoteAddress, '127.0.0.1');
    assert.strictEqual(sock.remotePort, port);
    let text = '';
    sock.setEncoding('utf8');
    sock.on('data', (c) => { text += c; });
    let expected = '';
    for (let i = 0; i < 2000; i++) { sock.write(`${i},`); expected += `${i},`; }
    sock.end();
    await once(sock, 'end');
    assert.strictEqual(text, expected);
  }],
  ['TCP: the peer address is still known in the \'end\' handler', async () => {
    // node calls end() as the peer's FIN arrives; libuv shuts down in the
    // loop, so the connection is still there for code run after 'end'.
    const server = net.createServer((c) => c.end('bye'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address();
    const sock = net.connect(port, '127.0.0.1');
    sock.resume();
    await once(sock, 'end');
    assert.strictEqual(sock.remoteFamily, 'IPv4');
    assert.strictEqual(sock.remoteAddress, '127.0.0.1');
    assert.strictEqual(sock.remotePort, port);
    server.close();
    await once(server, 'close');
  }],
  ['TCP: a refused connection reports ECONNREFUSED', async () => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address();
    probe.close();
    await once(probe, 'close');
    const sock = net.connect(port, '127.0.0.1');
    const [err] = await once(sock, 'error');
    assert.strictEqual(err.code, 'ECONNREFUSED');
  }],
  ['TCP: listening twice on one port reports EADDRINUSE', async () => {
    const { port } = tcp.address();
    const other = net.createServer();
    other.listen(port, '127.0.0.1');
    const [err] = await once(other, 'error');
    assert.strictEqual(err.code, 'EADDRINUSE');
    tcp.close();
    await once(tcp, 'close');
  }],
  ['Unix-domain socket echo', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eddy-node-'));
    const sockPath = path.join(dir, 'echo.sock');
    const server = await echoServer([sockPath]);
    const payload = crypto.randomBytes(300000);
    const got = await echoOnce([sockPath], payload);
    assert.ok(got.equals(payload));
    server.close();
    await once(server, 'close');
    fs.rmSync(dir, { recursive: true });
  }],
  ['UDP echo on 127.0.0.1: 200 datagrams, sizes up to 60000 B', async () => {
    const server = dgram.createSocket('udp4');
    server.on('message', (msg, rinfo) => server.send(msg, rinfo.port, rinfo.address));
    server.bind(0, '127.0.0.1');
    await once(server, 'listening');
    const client = dgram.createSocket('udp4');
    client.bind(0, '127.0.0.1');
    await once(client, 'listening');
    const { port } = server.address();
    // One datagram in flight at a time: loopback UDP drops what overflows
    // the receive buffer, and losing datagrams is not what is tested here.
    let waiting = null;
    client.on('message', (msg, rinfo) => {
      const w = waiting;
      waiting = null;
      try {
        assert.ok(w, 'a datagram nobody waits for');
        assert.strictEqual(rinfo.port, port);
        assert.strictEqual(rinfo.address, '127.0.0.1');
        assert.strictEqual(msg.length, w.msg.length);
        assert.ok(msg.equals(w.msg));
        w.resolve();
      } catch (e) { (w ? w.reject : (x) => { throw x; })(e); }
    });
    for (let id = 0; id < 200; id++) {
      const msg = crypto.randomBytes(id === 0 ? 1 : 1 + (id * 307) % 60000);
      const echoed = new Promise((resolve, reject) => { waiting = { msg, resolve, reject }; });
      await new Promise((res, rej) =>
        client.send(msg, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
      await echoed;
    }
    client.close();
    server.close();
    await once(server, 'close');
  }],
]);
