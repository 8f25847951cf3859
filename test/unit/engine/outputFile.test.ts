/**
 * `--out`: written through symlinks, never replacing a device, FIFO or directory, checked before the
 * analysis, and never leaving a temp file behind when the write fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputTarget, writeFileAtomically } from '../../../src/engine/cli/outputFile';
import { uniqueTempPath } from '../../../src/core/atomicWrite';
import { withTempDir } from '../dataset/helpers/writers';

test('a symlink stays a link: the write goes to its target, and no temp file is left in either folder', async () => {
  await withTempDir('out-link', async (dir) => {
    const elsewhere = join(dir, 'results');
    mkdirSync(elsewhere);
    const real = join(elsewhere, 'real.json');
    writeFileSync(real, 'old');
    const link = join(dir, 'latest.json');
    symlinkSync(join('results', 'real.json'), link);
    await writeFileAtomically(link, 'new');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(readlinkSync(link), join('results', 'real.json'));
    assert.equal(readFileSync(real, 'utf8'), 'new');
    assert.deepEqual(readdirSync(dir).sort(), ['latest.json', 'results']);
    assert.deepEqual(readdirSync(elsewhere), ['real.json']);
  });
});

test('a dangling symlink is written through: its target is created and the link kept', async () => {
  await withTempDir('out-dangling', async (dir) => {
    const link = join(dir, 'latest.json');
    symlinkSync('run-1.json', link);
    await writeFileAtomically(link, 'first');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(join(dir, 'run-1.json'), 'utf8'), 'first');
  });
});

test('a character device is refused and stays a device (/dev/null is not replaced)', async () => {
  await assert.rejects(checkOutputTarget('/dev/null'), /^UserError: --out \/dev\/null: is a character device, not a regular file; refusing to replace it/);
  await assert.rejects(writeFileAtomically('/dev/null', '{}'), /is a character device/);
  assert.ok(statSync('/dev/null').isCharacterDevice(), '/dev/null is no longer a character device');
  assert.ok(!readdirSync('/dev').some((n) => n.startsWith('.null.')), 'a temp file was left in /dev');
});

test('a directory, a FIFO and a symlink to a device are refused, and left as they were', async () => {
  await withTempDir('out-kinds', async (dir) => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    await assert.rejects(writeFileAtomically(folder, '{}'), /folder: is a directory, not a regular file/);
    assert.ok(statSync(folder).isDirectory());
    const fifo = join(dir, 'pipe');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    await assert.rejects(writeFileAtomically(fifo, '{}'), /pipe: is a FIFO \(named pipe\), not a regular file/);
    assert.ok(statSync(fifo).isFIFO());
    const toDevice = join(dir, 'to-null');
    symlinkSync('/dev/null', toDevice);
    await assert.rejects(writeFileAtomically(toDevice, '{}'), /to-null \(the link's target \/dev\/null\): is a character device/);
    assert.ok(lstatSync(toDevice).isSymbolicLink());
    assert.deepEqual(readdirSync(dir).sort(), ['folder', 'pipe', 'to-null']);
  });
});

test('a missing folder, or a path under a file, is refused by the check that runs before the analysis', async () => {
  await withTempDir('out-folder', async (dir) => {
    const missing = join(dir, 'no-such-folder', 'result.json');
    await assert.rejects(checkOutputTarget(missing), new RegExp(`--out ${missing}: the folder ${join(dir, 'no-such-folder')} does not exist`));
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    await assert.rejects(checkOutputTarget(join(file, 'result.json')), /--out .*a-file\/result\.json: (.*a-file is not a folder|cannot check the path)/);
    // The check leaves nothing behind (its probe file is removed).
    await checkOutputTarget(join(dir, 'result.json'));
    assert.deepEqual(readdirSync(dir), ['a-file']);
  });
});

test('a write that fails midway (a full disk) removes the temp file and leaves the old result untouched', async () => {
  await withTempDir('out-enospc', async (dir) => {
    const out = join(dir, 'result.json');
    writeFileSync(out, 'previous result');
    const diskFull = async (file: import('node:fs/promises').FileHandle, text: string) => {
      await file.write(text.slice(0, 5));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    await assert.rejects(writeFileAtomically(out, 'the new, longer result', diskFull), /--out .*result\.json: cannot write the result \(no space left on device, ENOSPC\); the file was left as it was/);
    assert.deepEqual(readdirSync(dir), ['result.json'], 'the temp file is gone');
    assert.equal(readFileSync(out, 'utf8'), 'previous result');
  });
});

test('the replaced file keeps its permissions, and temp names differ between writes', async () => {
  await withTempDir('out-mode', async (dir) => {
    const out = join(dir, 'private.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o600);
    await writeFileAtomically(out, 'new');
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const a = uniqueTempPath(out);
    const b = uniqueTempPath(out);
    assert.notEqual(a, b);
    assert.ok(a.includes(`.${process.pid}.`), a);
    assert.equal(join(a, '..'), dir, 'the temp file is in the target folder, so the rename stays on one file system');
  });
});
