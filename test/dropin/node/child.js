'use strict';
// child_process: spawn with piped stdio, exec, execFile, fork with IPC
// messages and handle passing, exit codes and signals, stdio inheritance,
// and which libuv the children load.
const assert = require('assert');
const cp = require('child_process');
const crypto = require('crypto');
const net = require('net');
const { run, once, mappedLibuvs } = require('./common');

if (process.argv[2] === 'child') {
  // Forked child: answer IPC messages; report which libuv it mapped.
  process.on('message', (msg, handle) => {
    if (msg.cmd === 'libuv') process.send({ libs: mappedLibuvs(), uv: process.versions.uv });
    else if (msg.cmd === 'echo') process.send({ echo: msg.payload });
    else if (msg.cmd === 'socket') {
      handle.end(`served by child ${process.pid}`);
      process.send({ served: true });
    } else if (msg.cmd === 'exit') process.exit(msg.code);
    else if (msg.cmd === 'disconnect') process.disconnect();
  });
  return;
}

const node = process.execPath;
const collect = (stream) => new Promise((resolve, reject) => {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  stream.on('end', () => resolve(Buffer.concat(chunks)));
  stream.on('error', reject);
});
let forked;
const ask = (msg) => { forked.send(msg); return once(forked, 'message').then(([m]) => m); };
const exited = (child) => new Promise((resolve, reject) => {
  child.on('error', reject);
  child.on('exit', (code, signal) => resolve({ code, signal }));
});

run('child', [
  ['spawn cat: 4 MiB through piped stdin/stdout, stderr apart', async () => {
    const child = cp.spawn('sh', ['-c', 'cat; echo done >&2'], { stdio: 'pipe' });
    const data = crypto.randomBytes(4 << 20);
    const out = collect(child.stdout);
    const err = collect(child.stderr);
    child.stdin.end(data);
    const [o, e, st] = await Promise.all([out, err, exited(child)]);
    assert.ok(o.equals(data));
    assert.strictEqual(e.toString(), 'done\n');
    assert.deepStrictEqual(st, { code: 0, signal: null });
  }],
  ['exit codes, killed by a signal, spawn errors', async () => {
    assert.deepStrictEqual(await exited(cp.spawn('sh', ['-c', 'exit 42'])), { code: 42, signal: null });
    const sleeper = cp.spawn('sleep', ['30']);
    await once(sleeper, 'spawn');
    assert.ok(sleeper.kill('SIGTERM'));
    assert.deepStrictEqual(await exited(sleeper), { code: null, signal: 'SIGTERM' });
    const self = cp.spawn('sh', ['-c', 'kill -USR1 $$; sleep 5']);
    assert.deepStrictEqual(await exited(self), { code: null, signal: 'SIGUSR1' });
    const missing = cp.spawn('/nonexistent/program');
    const [err] = await once(missing, 'error');
    assert.strictEqual(err.code, 'ENOENT');
    // node opens the stdio pipes of a child that failed to start: they
    // must read an end of file, not fail.
    const out = await collect(missing.stdout);
    assert.strictEqual(out.length, 0);
    const bad = cp.spawnSync('sh', ['-c', 'exit 0'], { cwd: '/nonexistent' });
    assert.strictEqual(bad.error.code, 'ENOENT');
  }],
  ['exec and execFile: shell, env, cwd, timeout, maxBuffer', async () => {
    const [out] = await new Promise((resolve, reject) =>
      cp.exec('echo "$FOO" && pwd && echo oops >&2', { env: { ...process.env, FOO: 'bar' }, cwd: '/tmp' },
        (err, stdout, stderr) => (err ? reject(err) : resolve([stdout, stderr]))));
    assert.strictEqual(out, 'bar\n/tmp\n');
    const err = await new Promise((resolve) => cp.execFile('sh', ['-c', 'exit 3'], resolve));
    assert.strictEqual(err.code, 3);
    const t = await new Promise((resolve) => cp.execFile('sleep', ['30'], { timeout: 100 }, resolve));
    assert.strictEqual(t.killed, true);
    assert.strictEqual(t.signal, 'SIGTERM');
    const big = await new Promise((resolve) =>
      cp.execFile('head', ['-c', '100000', '/dev/zero'], { maxBuffer: 1000 }, resolve));
    assert.strictEqual(big.code, 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER');
  }],
  ['spawnSync and execSync (a loop of their own)', async () => {
    const r = cp.spawnSync('sh', ['-c', 'read x; echo "got $x"; exit 7'], { input: 'hi\n' });
    assert.strictEqual(r.status, 7);
    assert.strictEqual(r.stdout.toString(), 'got hi\n');
    assert.strictEqual(cp.execSync('echo sync').toString(), 'sync\n');
    const t = cp.spawnSync('sleep', ['30'], { timeout: 100 });
    assert.strictEqual(t.signal, 'SIGTERM');
    assert.strictEqual(t.error.code, 'ETIMEDOUT');
  }],
  // One forked child for all the IPC steps: a node start costs seconds
  // on a loaded machine.
  ['fork: IPC messages both ways, the child on eddy', async () => {
    forked = cp.fork(__filename, ['child']);
    const lib = await ask({ cmd: 'libuv' });
    assert.deepStrictEqual(lib.libs, mappedLibuvs(), 'the forked child maps the same libuv');
    assert.strictEqual(lib.uv, process.versions.uv);
    for (let i = 0; i < 200; i++) {
      const payload = { i, s: 'x'.repeat(i * 50), nested: { a: [i, null, true] } };
      assert.deepStrictEqual((await ask({ cmd: 'echo', payload })).echo, payload);
    }
    const big = 'y'.repeat(1 << 20);
    assert.strictEqual((await ask({ cmd: 'echo', payload: big })).echo.length, big.length);
  }],
  ['fork: TCP sockets handed to the child over IPC', async () => {
    const server = net.createServer({ pauseOnConnect: true }, (sock) => {
      forked.send({ cmd: 'socket' }, sock);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    for (let i = 0; i < 3; i++) {
      const served = once(forked, 'message');
      const text = await new Promise((resolve, reject) => {
        const c = net.connect(server.address().port, '127.0.0.1');
        let t = '';
        c.setEncoding('utf8');
        c.on('data', (d) => { t += d; });
        c.on('end', () => resolve(t));
        c.on('error', reject);
      });
      assert.strictEqual(text, `served by child ${forked.pid}`);
      assert.deepStrictEqual((await served)[0], { served: true });
    }
    server.close();
    await once(server, 'close');
  }],
  ['fork: the child exits with the code it was asked for', async () => {
    const ex = exited(forked);
    forked.send({ cmd: 'exit', code: 5 });
    assert.deepStrictEqual(await ex, { code: 5, signal: null });
  }],
  ['a child killed with SIGKILL', async () => {
    const child = cp.spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(child, 'spawn');
    child.kill('SIGKILL');
    assert.deepStrictEqual(await exited(child), { code: null, signal: 'SIGKILL' });
  }],
  ['children: a cleared environment loads the system libuv', async () => {
    // No LD_LIBRARY_PATH: the node binary finds libnode through its RUNPATH
    // and the loader finds the system's libuv, not eddy.  Everything else
    // started here inherits the environment and so runs on eddy (the
    // forked child above checked that).
    const script = `const m=require('fs').readFileSync('/proc/self/maps','utf8');` +
      `console.log(JSON.stringify([...new Set(m.split('\\n').map(l=>l.split(/\\s+/)[5])` +
      `.filter(p=>p&&/libuv\\.so|libeddy\\.so/.test(p)))]))`;
    const libs = JSON.parse(cp.execFileSync(node, ['-e', script], { env: {} }).toString());
    assert.strictEqual(libs.length, 1);
    if (process.env.EDDY_SYSTEM !== '1') assert.notStrictEqual(libs[0], process.env.EDDY_LIB);
  }],
  ['stdio: inherit, ignore, and a shared pipe in both directions', async () => {
    const st = await exited(cp.spawn('sh', ['-c', 'exit 0'], { stdio: ['ignore', 'inherit', 'ignore'] }));
    assert.strictEqual(st.code, 0);
    const child = cp.spawn('sh', ['-c', 'while read l; do echo "<$l>"; done'], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    for (let i = 0; i < 100; i++) {
      child.stdin.write(`${i}\n`);
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    child.stdin.end();
    await exited(child);
    await new Promise((r) => setImmediate(r));
    assert.strictEqual(text, Array.from({ length: 100 }, (_, i) => `<${i}>\n`).join(''));
  }],
]);
