'use strict';
// dns.lookup, worker_threads, signals sent to oneself, and the process and
// OS queries node answers through libuv (hrtime, memory, CPU, interfaces,
// event loop utilization from uv_metrics_idle_time).
const assert = require('assert');
const dns = require('dns');
const os = require('os');
const { performance } = require('perf_hooks');
const { Worker, MessageChannel } = require('worker_threads');
const { run, once } = require('./common');

run('misc', [
  ['dns.lookup: localhost, 127.0.0.1, all, a name that does not exist', async () => {
    // /etc/hosts may have no ::1 line: localhost is only known as 127.0.0.1.
    const { address, family } = await dns.promises.lookup('localhost', { family: 4 });
    assert.strictEqual(address, '127.0.0.1');
    assert.strictEqual(family, 4);
    const all = await dns.promises.lookup('localhost', { all: true });
    assert.ok(all.some((a) => a.address === '127.0.0.1' && a.family === 4), JSON.stringify(all));
    const lit = await dns.promises.lookup('127.0.0.1');
    assert.deepStrictEqual(lit, { address: '127.0.0.1', family: 4 });
    await assert.rejects(dns.promises.lookup('no-such-host.invalid'),
                         (e) => e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN');
    const cbResult = await new Promise((resolve, reject) =>
      dns.lookup('localhost', 4, (err, a, f) => (err ? reject(err) : resolve([a, f]))));
    assert.deepStrictEqual(cbResult, ['127.0.0.1', 4]);
    const [host, service] = await new Promise((resolve, reject) =>
      dns.lookupService('127.0.0.1', 22, (err, h, s) => (err ? reject(err) : resolve([h, s]))));
    assert.ok(typeof host === 'string' && host.length > 0);
    assert.strictEqual(service, 'ssh');
  }],
  ['worker_threads: 4 workers compute, message back, exit with their code', async () => {
    const src = `
      const { parentPort, workerData } = require('worker_threads');
      let sum = 0;
      for (let i = 0; i < workerData.n; i++) sum += i;
      parentPort.on('message', (m) => {
        if (m === 'fs') {
          require('fs').readFile(__filename === '[worker eval]' ? '/proc/self/maps' : __filename,
            'utf8', (err, text) => parentPort.postMessage(err ? err.code : text.length > 0));
        } else {
          parentPort.postMessage({ sum, uv: process.versions.uv });
          setTimeout(() => process.exit(workerData.code), 5);
        }
      });`;
    const jobs = [1, 2, 3, 4].map(async (k) => {
      const w = new Worker(src, { eval: true, workerData: { n: k * 100000, code: k } });
      await once(w, 'online');
      w.postMessage('fs');
      assert.strictEqual((await once(w, 'message'))[0], true);
      w.postMessage('go');
      const [msg] = await once(w, 'message');
      assert.strictEqual(msg.sum, (k * 100000) * (k * 100000 - 1) / 2);
      assert.strictEqual(msg.uv, process.versions.uv);
      const [code] = await once(w, 'exit');
      assert.strictEqual(code, k);
    });
    await Promise.all(jobs);
    const { port1, port2 } = new MessageChannel();
    port2.on('message', (m) => port2.postMessage(m * 2));
    port1.postMessage(21);
    assert.strictEqual((await once(port1, 'message'))[0], 42);
    port1.close();
  }],
  ['signals: SIGUSR1 and SIGUSR2 sent to itself reach their listeners', async () => {
    // SIGUSR1 starts node's inspector unless someone listens: listen first.
    // Node's signal handles are unreferenced: a timer keeps the loop alive.
    const keepAlive = setInterval(() => {}, 1000);
    const got = [];
    const usr2 = new Promise((resolve) => process.once('SIGUSR2', (s) => { got.push(s); resolve(); }));
    const usr1 = new Promise((resolve) => process.once('SIGUSR1', (s) => { got.push(s); resolve(); }));
    process.kill(process.pid, 'SIGUSR2');
    await usr2;
    process.kill(process.pid, 'SIGUSR1');
    await usr1;
    assert.deepStrictEqual(got, ['SIGUSR2', 'SIGUSR1']);
    // A listener on SIGHUP, 20 signals in a row: at least one delivery,
    // and each delivery calls the listener once (signals coalesce).
    let hups = 0;
    const onHup = () => { hups++; };
    process.on('SIGHUP', onHup);
    for (let i = 0; i < 20; i++) process.kill(process.pid, 'SIGHUP');
    while (hups === 0) await new Promise((r) => setTimeout(r, 5));
    process.removeListener('SIGHUP', onHup);
    clearInterval(keepAlive);
    assert.ok(hups >= 1 && hups <= 20);
  }],
  ['process and os queries', async () => {
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(process.hrtime.bigint() - t0 >= 9000000n);
    const mem = process.memoryUsage();
    assert.ok(mem.rss > 10 << 20, `rss ${mem.rss}`);
    const cpu = process.cpuUsage();
    assert.ok(cpu.user > 0);
    assert.ok(os.cpus().length >= 1 && os.cpus()[0].speed >= 0);
    assert.ok(os.totalmem() > os.freemem() && os.freemem() > 0);
    assert.strictEqual(os.loadavg().length, 3);
    assert.ok(os.uptime() > 0);
    const lo = os.networkInterfaces().lo;
    assert.ok(lo && lo.some((a) => a.address === '127.0.0.1' && a.internal), JSON.stringify(lo));
    assert.strictEqual(os.hostname(), require('fs').readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    assert.strictEqual(os.homedir(), process.env.HOME);
    assert.ok(os.userInfo().username.length > 0);
    assert.strictEqual(os.tmpdir(), process.env.TMPDIR || '/tmp');
    assert.ok(process.resourceUsage().maxRSS > 0);
    assert.strictEqual(typeof os.getPriority(), 'number');
  }],
  ['event loop utilization: idle time grows while the loop sleeps', async () => {
    const before = performance.eventLoopUtilization();
    await new Promise((r) => setTimeout(r, 200));
    const elu = performance.eventLoopUtilization(before);
    assert.ok(elu.idle > 50, `idle ${elu.idle} ms over 200 ms of sleeping`);
    assert.ok(elu.utilization >= 0 && elu.utilization < 0.75, `utilization ${elu.utilization}`);
  }],
]);
