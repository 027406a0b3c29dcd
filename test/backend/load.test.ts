// The addon's loader: a damaged or foreign binary is reported, never loaded into a crash.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { elfProblem } from '../../src/backend/native/elf.js';
import { loadAddonFrom } from '../../src/backend/native/load.js';
import { REPO, skipUnless } from '../helpers/paths.js';

const BUILT = join(REPO, 'build', 'Release', 'deeptype_native.node');
const skip = skipUnless(existsSync(BUILT), `the addon is not built at ${BUILT}`) || process.platform !== 'linux' && 'ELF checks run on Linux';

test('a whole addon passes; a truncated one, another architecture and a text file are named, never dlopened', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'deeptype-load-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(elfProblem(BUILT), null);

  const truncated = join(dir, 'truncated.node');
  copyFileSync(BUILT, truncated);
  truncateSync(truncated, 65536);
  assert.match(elfProblem(truncated)!, /^truncated: 65536 bytes, shorter than its headers say$/);
  const loaded = loadAddonFrom(truncated);
  assert.equal(loaded.load.backend, null);
  assert.equal(loaded.addon, null);
  assert.ok(loaded.load.reason.startsWith(`the native kernels at ${truncated} do not load on ${process.platform}-${process.arch}`), loaded.load.reason);
  assert.match(loaded.load.reason, /truncated: 65536 bytes.*npm rebuild deeptype/);

  const foreign = join(dir, 'foreign.node');
  const bytes = readFileSync(BUILT);
  bytes.writeUInt16LE(process.arch === 'arm64' ? 62 : 183, 0x12);
  writeFileSync(foreign, bytes);
  assert.equal(elfProblem(foreign), `built for ${process.arch === 'arm64' ? 'x64' : 'arm64'}, this is ${process.arch}`);

  const text = join(dir, 'text.node');
  writeFileSync(text, 'not a binary');
  assert.equal(elfProblem(text), 'not an ELF shared object');
  assert.match(loadAddonFrom(text).load.reason, /not an ELF shared object/);
});
