'use strict';
// Timers and the phases of node's event loop, as node documents them
// (https://nodejs.org/en/docs/guides/event-loop-timers-and-nexttick):
// nextTick before promises before the loop; inside an I/O callback
// setImmediate before setTimeout(0); timers in order of due time, equal
// ones in order of creation; setInterval repeats until cleared; an
// unref'd timer does not keep the process alive.
const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const { run } = require('./common');

const tick = () => new Promise((r) => setImmediate(r));

run('timers', [
  ['nextTick, then promise jobs, then setImmediate, then a timer (from I/O)', async () => {
    // From the main module the first timer may run before the first
    // immediate (node documents that order as unpredictable there); from
    // an I/O callback the check phase always comes first.
    const order = [];
    await new Promise((resolve) => fs.stat(__filename, () => {
      setTimeout(() => { order.push('timeout 0'); resolve(); }, 0);
      setImmediate(() => order.push('immediate'));
      Promise.resolve().then(() => order.push('promise'));
      process.nextTick(() => order.push('nextTick'));
      order.push('sync');
    }));
    assert.deepStrictEqual(order, ['sync', 'nextTick', 'promise', 'immediate', 'timeout 0']);
  }],
  ['inside an I/O callback, setImmediate runs before setTimeout(0), 20 times', async () => {
    for (let i = 0; i < 20; i++) {
      const order = await new Promise((resolve) => {
        fs.stat(__filename, () => {
          const o = [];
          setTimeout(() => { o.push('timeout'); if (o.length === 2) resolve(o); }, 0);
          setImmediate(() => { o.push('immediate'); if (o.length === 2) resolve(o); });
        });
      });
      assert.deepStrictEqual(order, ['immediate', 'timeout']);
    }
  }],
  ['timers run in order of due time, equal ones in order of creation', async () => {
    const order = [];
    await new Promise((resolve) => {
      const delays = [30, 10, 20, 10, 0, 30, 1, 20, 10];
      let left = delays.length;
      delays.forEach((d, i) => setTimeout(() => {
        order.push(`${d}:${i}`);
        if (--left === 0) resolve();
      }, d));
    });
    assert.deepStrictEqual(order, ['0:4', '1:6', '10:1', '10:3', '10:8', '20:2', '20:7', '30:0', '30:5']);
  }],
  ['a timer never fires before its delay', async () => {
    for (const delay of [1, 5, 25, 60]) {
      const start = process.hrtime.bigint();
      await new Promise((r) => setTimeout(r, delay));
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // Node rounds the start to the loop's millisecond clock: at most
      // one millisecond may be lost to that, never more.
      assert.ok(ms >= delay - 1, `setTimeout(${delay}) fired after ${ms} ms`);
    }
  }],
  ['setInterval repeats until cleared; clearTimeout cancels', async () => {
    let n = 0;
    await new Promise((resolve) => {
      const iv = setInterval(() => {
        if (++n === 5) { clearInterval(iv); setTimeout(resolve, 30); }
      }, 3);
    });
    assert.strictEqual(n, 5);
    let fired = false;
    const t = setTimeout(() => { fired = true; }, 5);
    clearTimeout(t);
    await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(fired, false);
  }],
  ['setImmediate queued by an immediate runs on the next turn, after I/O', async () => {
    const order = [];
    await new Promise((resolve) => {
      setImmediate(() => {
        order.push('a');
        setImmediate(() => { order.push('c'); resolve(); });
      });
      setImmediate(() => order.push('b'));
    });
    assert.deepStrictEqual(order, ['a', 'b', 'c']);
  }],
  ['refresh() postpones a timer; unref() lets the process exit', async () => {
    const start = Date.now();
    let firedAt = 0;
    await new Promise((resolve) => {
      const t = setTimeout(() => { firedAt = Date.now(); resolve(); }, 40);
      setTimeout(() => t.refresh(), 20);
    });
    assert.ok(firedAt - start >= 59, `a refreshed 40 ms timer fired after ${firedAt - start} ms`);
    const r = cp.spawnSync(process.execPath,
      ['-e', 'setTimeout(() => console.log("kept alive"), 60000).unref(); setTimeout(() => console.log("done"), 10)']);
    assert.strictEqual(r.status, 0);
    assert.strictEqual(r.stdout.toString(), 'done\n');
  }],
  ['many timers: 5000 with delays of 0 to 49 ms all fire, none early', async () => {
    // Timers started over a long synchronous loop may interleave across
    // delays (node keeps one list per duration), so only what node
    // promises is checked: each fires once, not before its delay.
    let left = 5000;
    await new Promise((resolve, reject) => {
      for (let i = 0; i < 5000; i++) {
        const d = (i * 7919) % 50;
        const start = process.hrtime.bigint();
        setTimeout(() => {
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          if (ms < d - 1) reject(new Error(`setTimeout(${d}) fired after ${ms} ms`));
          if (--left === 0) resolve();
        }, d);
      }
    });
    assert.strictEqual(left, 0);
    await tick();
  }],
]);
