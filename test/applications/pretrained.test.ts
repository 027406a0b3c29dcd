import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { downloadWeights, weightFolders } from '../../src/applications/pretrained.js';
import { squeezenet } from '../../src/applications/squeezenet.js';
import { vgg16 } from '../../src/applications/vgg16.js';
import { saveWeights } from '../../src/io/weights.js';
import { clearSession } from '../../src/models/naming.js';
import { randomTensor } from '../helpers/grad-check.js';
import { h5File } from '../helpers/h5.js';
import { SQUEEZENET_WEIGHTS } from '../helpers/paths.js';

async function withHome<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'deeptype-home-'));
  const saved = process.env.DEEPTYPE_HOME;
  process.env.DEEPTYPE_HOME = dir;
  try {
    return await fn(dir);
  } finally {
    if (saved === undefined) delete process.env.DEEPTYPE_HOME;
    else process.env.DEEPTYPE_HOME = saved;
    await rm(dir, { recursive: true, force: true });
  }
}

test("'imagenet' without the file: an error naming the file, the folders searched and how to get it", async () => {
  await withHome(async (dir) => {
    await assert.rejects(vgg16({ includeTop: false, inputShape: [150, 150, 3] }), (e: Error) => {
      assert.match(e.message, /vgg16_weights_tf_dim_ordering_tf_kernels_notop\.h5 not found/);
      assert.ok(e.message.includes(join(dir, 'models')) && e.message.includes(join('.keras', 'models')));
      assert.match(e.message, /download: true/);
      assert.match(e.message, /CLI: --weights path/);
      return true;
    });
  });
});

test('download: checked by md5, written under a temporary name, never kept when wrong', async () => {
  const body = Buffer.from('pretend weights');
  const server = createServer((req, res) => {
    if (req.url === '/weights.h5') res.end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await withHome(async (dir) => {
      const target = join(dir, 'models', 'w.h5');
      const md5 = createHash('md5').update(body).digest('hex');
      await assert.rejects(downloadWeights({ url: `${base}/weights.h5`, md5: '0'.repeat(32) }, target), /has md5 .*expected 0{32}.*nothing was saved/);
      assert.equal(existsSync(target), false);
      await assert.rejects(downloadWeights({ url: `${base}/missing.h5`, md5 }, target), /could not download .*HTTP 404.*put it at/);
      assert.equal(await downloadWeights({ url: `${base}/weights.h5`, md5 }, target), target);
      assert.deepEqual(await readFile(target), body);
      assert.deepEqual(readdirSync(join(dir, 'models')), ['w.h5']);
    });
  } finally {
    server.close();
  }
});

test("'imagenet' files found locally are checked by md5; a path loads as it is", async () => {
  await withHome(async (dir) => {
    clearSession();
    // A file with VGG16's names and shapes and deterministic values stands in for the 58 MB original.
    const source = await vgg16({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
    source.weights.forEach((w, i) => w.assign(randomTensor([...w.shape], 100 + i)));
    const file = join(dir, 'models', 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5');
    await mkdir(join(dir, 'models'));
    await saveWeights(source, file);
    const md5 = createHash('md5').update(await readFile(file)).digest('hex');
    await assert.rejects(vgg16({ weights: 'imagenet', includeTop: false, inputShape: [48, 48, 3] }),
      new RegExp(`${file.replaceAll('.', '\\.')} has md5 ${md5}, expected 6d6bbae143d832006294945121d1f1fc.*replace it with the published file`));
    const fromPath = await vgg16({ weights: file, includeTop: false, inputShape: [32, 32, 3] });
    assert.equal(fromPath.weights.length, 26);
    fromPath.weights.forEach((w, i) => assert.deepEqual(w.value.f32, source.weights[i]!.value.f32, w.name));
    const x = randomTensor([1, 32, 32, 3], 1, 0, 255);
    assert.deepEqual(fromPath.apply(x).f32, source.apply(x).f32);
  });
});

test("squeezenet 'imagenet' loads the weights the package ships, with no download and no cache folder", async () => {
  await withHome(async () => {
    clearSession();
    const base = await squeezenet({ includeTop: false, inputShape: [64, 64, 3] });
    const file = await h5File(SQUEEZENET_WEIGHTS);
    try {
      const expected = (file.get('fire9/expand3x3/uniform25') as { value: Float32Array }).value;
      assert.deepEqual(base.getLayer('fire9/expand3x3').weights[0]!.value.f32, expected);
    } finally {
      file.close();
    }
  });
});

test('the default for weights is imagenet, so the guards apply without naming it', async () => {
  clearSession();
  await assert.rejects(squeezenet({ includeTop: true }), /only the base's ImageNet weights exist.*weights: null/);
  await assert.rejects(vgg16({ inputShape: [150, 150, 3] }), /with the top need inputShape \[224, 224, 3\], got \[150, 150, 3\]/);
  const randomTop = await squeezenet({ includeTop: true, weights: null, classes: 3, inputShape: [64, 64, 3] });
  assert.deepEqual(randomTop.outputShape, [null, 3]);
});

test('without DEEPTYPE_HOME the first folder searched is ~/.deeptype/models', () => {
  const saved = process.env.DEEPTYPE_HOME;
  delete process.env.DEEPTYPE_HOME;
  try {
    assert.deepEqual(weightFolders(), [join(homedir(), '.deeptype', 'models'), join(homedir(), '.keras', 'models')]);
  } finally {
    if (saved !== undefined) process.env.DEEPTYPE_HOME = saved;
  }
});
