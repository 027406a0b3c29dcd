import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { loadWeights } from '../io/weights.js';
import type { Model } from '../models/model.js';
import { packageRoot } from '../package-root.js';

export interface PretrainedOptions {
  /** 'imagenet' (the default: the package's file, or Keras's, found locally or downloaded when asked), null (random), or a file path. */
  weights?: 'imagenet' | null | string;
  /** Fetch the 'imagenet' file from its published address when it is not found locally; default false. */
  download?: boolean;
}

/** A published weights file: its name, address and md5; `shipped` when the package holds it in models/. */
export interface ReleaseFile {
  name: string;
  url: string;
  /**
   * Null where the publisher gives no hash (Keras's MobileNetV2 files): the file is then loaded
   * by position, which checks that it has exactly the model's weighted layers and shapes.
   */
  md5: string | null;
  shipped?: boolean;
}

/** What `options.weights` means once its default is applied: 'imagenet' unless null or a path was given. */
export function requestedWeights(options: PretrainedOptions): 'imagenet' | null | string {
  return options.weights === undefined ? 'imagenet' : options.weights;
}

/** Where 'imagenet' files are looked for after the package's own: $DEEPTYPE_HOME/models (default ~/.deeptype/models), then Keras's cache ~/.keras/models. */
export function weightFolders(): string[] {
  const home = process.env.DEEPTYPE_HOME || join(homedir(), '.deeptype');
  return [join(home, 'models'), join(homedir(), '.keras', 'models')];
}

const md5Of = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');

/** Downloads to a temporary name, checks the md5, then renames: a broken download never looks like a weights file. */
export async function downloadWeights(release: Pick<ReleaseFile, 'url' | 'md5'>, target: string): Promise<string> {
  let bytes: Buffer;
  try {
    const response = await fetch(release.url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`could not download ${release.url}: ${(error as Error).message}. ` +
      `Download it by other means and put it at ${target}`);
  }
  const md5 = md5Of(bytes);
  if (release.md5 !== null && md5 !== release.md5) {
    throw new Error(`downloaded ${release.url} has md5 ${md5}, expected ${release.md5} (${bytes.length} bytes); nothing was saved`);
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, bytes);
  return target;
}

/** Files already hashed in this process, by path, size and modification time: VGG16's is 58 MB. */
const hashed = new Map<string, string>();

function checkedMd5(path: string): string {
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  let md5 = hashed.get(key);
  if (md5 === undefined) hashed.set(key, (md5 = md5Of(readFileSync(path))));
  return md5;
}

/** The local 'imagenet' file, checked against its md5: the package's copy first, then the folders. */
async function findImagenet(model: Model, release: ReleaseFile, download: boolean): Promise<string> {
  const folders = weightFolders();
  const candidates = [...(release.shipped ? [join(packageRoot, 'models', release.name)] : []), ...folders.map((f) => join(f, release.name))];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    if (download) return downloadWeights(release, join(folders[0]!, release.name));
    throw new Error(`${model.name}: ImageNet weights file ${release.name} not found; looked in ${folders.join(' and ')}. ` +
      `Put the file in one of those folders (it is published at ${release.url}) or give its path as the weights ` +
      '(API: weights: path, or download: true to fetch it, checked by md5; CLI: --weights path).');
  }
  const md5 = release.md5 === null ? null : checkedMd5(found);
  if (md5 !== release.md5) {
    const fix = found.startsWith(packageRoot) ? 'reinstall deeptype' : `replace it with the published file (${release.url})`;
    throw new Error(`${model.name}: ${found} has md5 ${md5}, expected ${release.md5}: the file is damaged or another version; ${fix}`);
  }
  return found;
}

/** Resolves `options.weights` to a file and loads it into `model` by layer name. */
export async function loadPretrained(model: Model, options: PretrainedOptions, release: ReleaseFile): Promise<void> {
  const weights = requestedWeights(options);
  if (weights === null) return;
  const path = weights === 'imagenet' ? await findImagenet(model, release, options.download ?? false) : weights;
  await loadWeights(model, path, { byName: weights !== 'imagenet' || release.md5 !== null });
}
