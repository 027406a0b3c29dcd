import assert from 'node:assert/strict';
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { writeAtomically, writeFileAtomic } from '../../src/io/atomic-write.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-atomic-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Records fsync (of a file or a folder) and rename calls, in order, as the writer makes them. */
function recordDiskCalls(t: TestContext): string[] {
  const calls: string[] = [];
  const { fsyncSync, renameSync } = fs;
  t.mock.method(fs, 'fsyncSync', (fd: number) => {
    calls.push(fs.fstatSync(fd).isDirectory() ? 'fsync folder' : `fsync file of ${fs.fstatSync(fd).size} bytes`);
    fsyncSync(fd);
  });
  t.mock.method(fs, 'renameSync', (from: string, to: string) => {
    calls.push('rename');
    renameSync(from, to);
  });
  // The writer's named imports of node:fs see the mocks only once they are synced.
  syncBuiltinESMExports();
  t.after(syncBuiltinESMExports);
  return calls;
}

test('writeFileAtomic replaces the file whole: the data is flushed before the rename, the folder after it', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'run.json');
  writeFileSync(path, 'old');
  const calls = recordDiskCalls(t);
  await writeFileAtomic(path, Buffer.from('new contents'));
  assert.equal(readFileSync(path, 'utf8'), 'new contents');
  assert.deepEqual(readdirSync(dir), ['run.json'], 'no temporary file left');
  const folderSync = process.platform === 'win32' ? [] : ['fsync folder'];
  assert.deepEqual(calls, ['fsync file of 12 bytes', 'rename', ...folderSync]);
});

test('a write that fails leaves the old file as it was and no temporary file', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'model.h5');
  writeFileSync(path, 'good model');
  await assert.rejects(writeAtomically(path, async (temp) => {
    writeFileSync(temp, 'half a mod');
    throw new Error('disk went away');
  }), /disk went away/);
  assert.equal(readFileSync(path, 'utf8'), 'good model');
  assert.deepEqual(readdirSync(dir), ['model.h5']);
  await assert.rejects(writeFileAtomic(join(dir, 'missing', 'x.png'), new Uint8Array(1)),
    { message: `${join(dir, 'missing', 'x.png')}: cannot write, the folder ${join(dir, 'missing')} does not exist` });
});
