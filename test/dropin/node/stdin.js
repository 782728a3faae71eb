'use strict';
// process.stdin from a pipe, a file, /dev/null and a pseudo-terminal
// (python3's pty module drives one: test/dropin/node/pty-driver.py);
// stdout to a TTY: raw mode, window size and its change (SIGWINCH).
const assert = require('assert');
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, mappedLibuvs } = require('./common');

const mode = process.argv[2];
if (mode === 'cat') {
  // Child: what came on stdin, as JSON, with what stdin was.
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    const data = Buffer.concat(chunks);
    process.stdout.write(JSON.stringify({
      isTTY: !!process.stdin.isTTY,
      length: data.length,
      sum: data.reduce((a, b) => (a + b) % 65521, 0),
      libs: mappedLibuvs(),
    }));
  });
  return;
}
if (mode === 'tty') {
  // Child on a pseudo-terminal: a line in cooked mode, a byte in raw mode,
  // a resize, then exit.  Each step prints a marker the driver waits for.
  const say = (s) => process.stdout.write(`${s}\n`);
  say(`INFO ${JSON.stringify({
    stdin: !!process.stdin.isTTY, stdout: !!process.stdout.isTTY,
    cols: process.stdout.columns, rows: process.stdout.rows, libs: mappedLibuvs(),
  })}`);
  let step = 'line';
  process.stdout.on('resize', () => {
    say(`RESIZED ${process.stdout.columns}x${process.stdout.rows}`);
    process.stdin.pause();
    process.exit(0);
  });
  process.stdin.on('data', (d) => {
    if (step === 'line') {
      say(`LINE ${JSON.stringify(d.toString())}`);
      process.stdin.setRawMode(true);
      step = 'raw';
      say('RAW');
    } else if (step === 'raw') {
      say(`BYTE ${JSON.stringify(d.toString())}`);
      process.stdin.setRawMode(false);
      step = 'resize';
      say('WAITRESIZE');
    }
  });
  say('READY');
  return;
}

const self = __filename;
const sumOf = (buf) => buf.reduce((a, b) => (a + b) % 65521, 0);
function catChild(stdin, input) {
  return new Promise((resolve, reject) => {
    const child = cp.spawn(process.execPath, [self, 'cat'], { stdio: [stdin, 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}`));
      else resolve(JSON.parse(out));
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

function python3() {
  for (const p of ['/usr/bin/python3', 'python3']) {
    if (cp.spawnSync(p, ['-c', 'import pty'], { stdio: 'ignore' }).status === 0) return p;
  }
  throw new Error('python3 with the pty module is needed');
}

run('stdin', [
  ['stdin from a pipe: 1 MiB and an end of file; from a file; from /dev/null', async () => {
    const data = Buffer.alloc(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 12)) & 0xff;
    const file = path.join(os.tmpdir(), `eddy-node-stdin-${process.pid}`);
    fs.writeFileSync(file, data.subarray(0, 100000));
    const fd = fs.openSync(file, 'r');
    // Three children at once: a node start costs seconds on a loaded machine.
    const [piped, fromFile, empty] = await Promise.all([
      catChild('pipe', data), catChild(fd), catChild('ignore')]);
    fs.closeSync(fd);
    fs.unlinkSync(file);
    assert.deepStrictEqual(piped, { isTTY: false, length: data.length, sum: sumOf(data), libs: mappedLibuvs() });
    assert.strictEqual(fromFile.length, 100000);
    assert.strictEqual(fromFile.sum, sumOf(data.subarray(0, 100000)));
    assert.strictEqual(empty.length, 0);
  }],
  ['stdin and stdout on a pseudo-terminal: cooked line, raw byte, resize', async () => {
    const driver = path.join(__dirname, 'pty-driver.py');
    const r = cp.spawnSync(python3(), [driver, process.execPath, self, 'tty'],
                           { encoding: 'utf8', timeout: 30000 });
    if (r.status !== 0) {
      throw new Error(`pty driver failed (${r.status} ${r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
    const lines = r.stdout.split(/\r?\n/);
    const get = (tag) => {
      const l = lines.find((x) => x.startsWith(`${tag} `) || x === tag);
      assert.ok(l !== undefined, `no ${tag} in:\n${r.stdout}`);
      return l.slice(tag.length + 1);
    };
    const info = JSON.parse(get('INFO'));
    assert.deepStrictEqual(info, { stdin: true, stdout: true, cols: 100, rows: 30, libs: mappedLibuvs() });
    assert.strictEqual(JSON.parse(get('LINE')), 'hello tty\n');
    assert.strictEqual(JSON.parse(get('BYTE')), 'x');
    assert.strictEqual(get('RESIZED'), '120x40');
  }],
]);
