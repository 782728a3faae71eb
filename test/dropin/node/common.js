'use strict';
// Shared by the node drop-in tests (test/dropin/run-node.sh runs them).
//
// proveEddy() makes a test worthless on the system's libuv: it fails unless
// this process mapped eddy's library (EDDY_LIB, set by the runner to the
// real path behind build/compat/libuv.so.1) and no other libuv, and node
// reports eddy's uv_version_string() (EDDY_UV_VERSION).

const assert = require('assert');
const fs = require('fs');

function mappedLibuvs() {
  const maps = fs.readFileSync('/proc/self/maps', 'utf8');
  const libs = new Set();
  for (const line of maps.split('\n')) {
    const path = line.split(/\s+/)[5];
    if (path && /(^|\/)(libuv\.so|libeddy\.so)/.test(path)) libs.add(path);
  }
  return [...libs];
}

function proveEddy() {
  const lib = process.env.EDDY_LIB;
  const version = process.env.EDDY_UV_VERSION;
  assert.ok(lib && version, 'EDDY_LIB and EDDY_UV_VERSION must be set (run through run-node.sh)');
  assert.deepStrictEqual(mappedLibuvs(), [lib], 'the process must map eddy and only eddy');
  assert.strictEqual(process.versions.uv, version, 'process.versions.uv is eddy\'s');
}

// A test that hangs fails instead: the runner's timeout is the last resort.
function deadline(seconds, what) {
  const t = setTimeout(() => {
    console.error(`${what}: still running after ${seconds} s`);
    process.exit(3);
  }, seconds * 1000);
  t.unref();
}

// Runs the async steps in order, reports each, exits non-zero on the first
// failure (an unhandled rejection would only warn on some node versions).
async function run(name, steps) {
  proveEddy();
  deadline(40, name);
  for (const [what, fn] of steps) {
    const started = process.hrtime.bigint();
    try {
      await fn();
    } catch (err) {
      console.error(`FAIL ${name}: ${what}`);
      console.error(err && err.stack ? err.stack : err);
      process.exit(1);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`ok   ${name}: ${what} (${ms.toFixed(0)} ms)`);
  }
}

function once(emitter, event) {
  return new Promise((resolve, reject) => {
    const onError = (err) => { emitter.removeListener(event, onEvent); reject(err); };
    const onEvent = (...args) => { emitter.removeListener('error', onError); resolve(args); };
    emitter.once(event, onEvent);
    if (event !== 'error') emitter.once('error', onError);
  });
}

module.exports = { proveEddy, mappedLibuvs, run, once, deadline };
