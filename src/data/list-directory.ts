import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { nonRegularKind } from './regular-file.js';

/** Keras's white-listed extensions, tested as a bare lower-case suffix (keras-preprocessing >= 1.0.6). */
export const IMAGE_EXTENSIONS: readonly string[] = ['png', 'jpg', 'jpeg', 'bmp', 'ppm', 'tif', 'tiff'];

export interface DirectoryListing {
  /** Class names in index order. */
  readonly classNames: readonly string[];
  /** Paths relative to the directory, e.g. `cats/cat.1.jpg`. */
  readonly filenames: readonly string[];
  /** Class index of each file. */
  readonly classes: Int32Array;
  /** Entries left out that a user may have meant as data, relative to the directory, with why. */
  readonly skipped: readonly { path: string; why: string }[];
}

export interface ListOptions {
  /** Explicit class folder names (their order gives the indices); default: every subfolder. */
  classes?: readonly string[] | null;
  followLinks?: boolean;
  /** Keep the fraction [from, to) of each class's sorted files (validationSplit + subset). */
  split?: readonly [number, number] | null;
}

/** Python's `sorted` on str: by Unicode code point, which differs from JS's UTF-16 order. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const hasImageExtension = (name: string): boolean => {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
};

/** `.ipynb_checkpoints`, `.DS_Store`, macOS's `._cat.jpg`: tool droppings, never data. */
const isHidden = (name: string): boolean => name.startsWith('.');

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory(); // follows symlinks, like os.path.isdir
  } catch {
    return false;
  }
}

/**
 * `os.walk` of one class folder: every folder below it (symlinked folders only with
 * followLinks), visited in order of full path, files sorted by name within each folder.
 * Hidden entries, and image-named entries that are not regular files (a named pipe would block
 * the read forever), go to `skipped` instead.
 */
function walkImages(top: string, followLinks: boolean, skipped: (path: string, why: string) => void): string[] {
  const folders: { path: string; files: string[] }[] = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    const real = realpathSync(path);
    if (seen.has(real)) return; // a symlink loop with followLinks
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return; // os.walk skips folders it cannot list
    }
    const files: string[] = [];
    for (const e of entries) {
      const full = join(path, e.name);
      const dir = e.isDirectory() || (e.isSymbolicLink() && isDirectory(full));
      if (isHidden(e.name)) {
        if (dir || hasImageExtension(e.name)) skipped(full, dir ? 'a hidden folder' : 'a hidden file');
      } else if (!dir) {
        if (!hasImageExtension(e.name)) continue;
        const kind = nonRegularKind(full);
        if (kind) skipped(full, `${kind}, not a regular file`);
        else files.push(e.name);
      } else if (followLinks || !e.isSymbolicLink()) visit(full);
    }
    folders.push({ path, files });
  };
  visit(top);
  folders.sort((a, b) => compareCodePoints(a.path, b.path));
  return folders.flatMap((f) => f.files.sort(compareCodePoints).map((name) => join(f.path, name)));
}

/**
 * Lists a class-per-folder image tree as Keras's `DirectoryIterator` does. Class folders are
 * the subfolders of `directory` sorted by code point; files directly inside `directory` are
 * ignored. Hidden folders are not classes, as in tf.keras's `image_dataset_from_directory`
 * (keras-preprocessing's iterator made a stray `.ipynb_checkpoints` class 0 and shifted every
 * label); hidden entries below are skipped too, and every skip is reported in `skipped`.
 * Files are kept by extension; whether they decode is found out at batch time. Unlike Keras,
 * which prints "Found 0 images" and carries on, an empty result is an error here, naming the
 * folder and what was looked for.
 */
export function listDirectory(directory: string, options: ListOptions = {}): DirectoryListing {
  const where = 'flowImagesFromDirectory';
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (e) {
    throw new Error(`${where}: cannot list directory '${directory}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const skipped: { path: string; why: string }[] = [];
  const skip = (path: string, why: string): void => {
    skipped.push({ path: relative(directory, path), why });
  };
  const folders = names.filter((n) => isDirectory(join(directory, n))).sort(compareCodePoints);
  if (!options.classes) for (const n of folders.filter(isHidden)) skip(join(directory, n), 'a hidden folder');
  const classNames = options.classes ? [...options.classes] : folders.filter((n) => !isHidden(n));
  if (classNames.length === 0) {
    throw new Error(`${where}: '${directory}' has no class subfolders; expected one folder per class `
      + `(e.g. '${join(directory, 'cats')}', '${join(directory, 'dogs')}') holding the images`);
  }
  const filenames: string[] = [];
  const classes: number[] = [];
  classNames.forEach((name, index) => {
    const classDir = join(directory, name);
    if (!isDirectory(classDir)) throw new Error(`${where}: class folder '${classDir}' (from classes) does not exist`);
    let files = walkImages(classDir, options.followLinks ?? false, skip);
    if (options.split) {
      const [from, to] = options.split;
      files = files.slice(Math.trunc(from * files.length), Math.trunc(to * files.length));
    }
    for (const f of files) {
      filenames.push(relative(directory, f));
      classes.push(index);
    }
  });
  if (filenames.length === 0) {
    throw new Error(`${where}: found no images in the ${classNames.length} class folder(s) of '${directory}' `
      + `(${classNames.join(', ')}); looked for files ending in ${IMAGE_EXTENSIONS.map((e) => `.${e}`).join(', ')}`);
  }
  skipped.sort((a, b) => compareCodePoints(a.path, b.path));
  return { classNames, filenames, classes: Int32Array.from(classes), skipped };
}

/** Images per class, in class order: 0 for a class folder holding none. */
export function classCounts(listing: DirectoryListing): number[] {
  const counts = new Array<number>(listing.classNames.length).fill(0);
  for (const c of listing.classes) counts[c]!++;
  return counts;
}
