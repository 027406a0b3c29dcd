import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadWeights } from '../io/weights.js';
import type { Model } from '../models/model.js';

export interface PretrainedOptions {
  /** 'imagenet' (Keras's file, found locally or downloaded when asked), null (random), or a file path. */
  weights?: 'imagenet' | null | string;
  /** Fetch the 'imagenet' file from its published address when it is not found locally; default false. */
  download?: boolean;
}

export interface ReleaseFile {
  url: string;
  md5: string;
}

/** Where 'imagenet' weights are looked for, in order: $DEEPTYPE_HOME/models, then Keras's cache ~/.keras/models. */
export function weightFolders(): string[] {
  const folders = [join(homedir(), '.keras', 'models')];
  if (process.env.DEEPTYPE_HOME) folders.unshift(join(process.env.DEEPTYPE_HOME, 'models'));
  return folders;
}

/** Downloads to a temporary name, checks the md5, then renames: a broken download never looks like a weights file. */
export async function downloadWeights(release: ReleaseFile, target: string): Promise<string> {
  let bytes: Buffer;
  try {
    const response = await fetch(release.url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`could not download ${release.url}: ${(error as Error).message}. ` +
      `Download it by other means and put it at ${target}`);
  }
  const md5 = createHash('md5').update(bytes).digest('hex');
  if (md5 !== release.md5) {
    throw new Error(`downloaded ${release.url} has md5 ${md5}, expected ${release.md5} (${bytes.length} bytes); nothing was saved`);
  }
  const dir = join(target, '..');
  await mkdir(dir, { recursive: true });
  const temp = `${target}.${process.pid}.download`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  return target;
}

/** Resolves `options.weights` to a file and loads it into `model` by layer name. */
export async function loadPretrained(model: Model, options: PretrainedOptions, release: ReleaseFile, fileName: string): Promise<void> {
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  if (weights === null) return;
  let path = weights;
  if (weights === 'imagenet') {
    const folders = weightFolders();
    const found = folders.map((f) => join(f, fileName)).find((p) => existsSync(p));
    if (found) path = found;
    else if (options.download) path = await downloadWeights(release, join(folders[0]!, fileName));
    else {
      throw new Error(`${model.name}: ImageNet weights file ${fileName} not found; looked in ${folders.join(' and ')}. ` +
        `Put the file in one of those folders (it is published at ${release.url}), pass its path as weights, ` +
        'or pass download: true to fetch it (checked by md5).');
    }
  }
  await loadWeights(model, path, { byName: true });
}
