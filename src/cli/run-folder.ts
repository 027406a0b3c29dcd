import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { History } from '../training/history.js';
import { InputError } from './errors.js';

/** How a model's input images are prepared; predict and evaluate must repeat it exactly. */
export const PREPROCESSINGS = ['rescale', 'caffe'] as const;
export type Preprocessing = (typeof PREPROCESSINGS)[number];

/** run.json: what a later `predict` or `evaluate` needs to feed the model, and how it was trained. */
export interface RunInfo {
  /** The model kind (lecture, squeezenet-features, …) or the .h5 file training started from. */
  kind: string;
  /** Class folder name → output index, as flowImagesFromDirectory assigned them. */
  classIndices: Record<string, number>;
  /** [height, width] every image is resized to. */
  imageSize: [number, number];
  preprocessing: Preprocessing;
  data: string;
  settings: Record<string, number | string | boolean>;
  /** Training phases in order (fine-tuning has two); their epochs follow each other in the history. */
  phases: { name: string; epochs: number }[];
  backend: string;
  seconds: number;
  /** True when Ctrl-C ended training early. */
  interrupted: boolean;
  /** The last epoch's loss and metrics; validation metrics of the whole validation folder once the report ran. */
  final: Record<string, number>;
}

/** The files of a run folder, by role. */
export function runFiles(dir: string): Record<'model' | 'historyJson' | 'historyCsv' | 'historyPng' | 'summary' | 'run' | 'report' | 'misclassified' | 'misclassifiedGradCam', string> {
  return {
    model: join(dir, 'model.h5'),
    historyJson: join(dir, 'history.json'),
    historyCsv: join(dir, 'history.csv'),
    historyPng: join(dir, 'history.png'),
    summary: join(dir, 'summary.txt'),
    run: join(dir, 'run.json'),
    report: join(dir, 'report.html'),
    misclassified: join(dir, 'misclassified.png'),
    misclassifiedGradCam: join(dir, 'misclassified-gradcam.png'),
  };
}

/** `runs/<kind>-<YYYYMMDD-HHMMSS>` unless `out` names the folder. */
export function runFolderName(out: string | undefined, kind: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return out ?? join('runs', `${kind.replace(/[^A-Za-z0-9_-]+/g, '_')}-${stamp}`);
}

/** Writes a text file atomically (temporary name, then rename). */
export async function writeText(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, Buffer.from(text));
}

/** Writes history.json (the History as fit returns it) and history.csv (Keras's CSVLogger layout). */
export async function writeHistoryFiles(dir: string, history: History): Promise<void> {
  const files = runFiles(dir);
  await writeText(files.historyJson, `${JSON.stringify({ history: history.history, epoch: history.epoch, params: history.params }, null, 2)}\n`);
  const names = Object.keys(history.history);
  const rows = history.epoch.map((epoch, i) => [epoch, ...names.map((n) => history.history[n]![i])].join(','));
  await writeText(files.historyCsv, `${['epoch', ...names].join(',')}\n${rows.map((r) => `${r}\n`).join('')}`);
}

/**
 * Appends one training phase's history to another's, epochs continuing, so a two-phase run
 * (head, then fine-tuning) reads and plots as one curve as in the lecture.
 */
export function concatHistories(first: History, second: History): History {
  const offset = first.epoch.length;
  const history: Record<string, number[]> = {};
  for (const name of new Set([...Object.keys(first.history), ...Object.keys(second.history)])) {
    history[name] = [...(first.history[name] ?? []), ...(second.history[name] ?? [])];
  }
  return { history, epoch: [...first.epoch, ...second.epoch.map((_, i) => offset + i)], params: second.params };
}

/**
 * The run.json beside a model file, or null when the model was not made by `deeptype train`.
 * What predict and evaluate take from it is checked: a preprocessing they do not know would
 * otherwise feed the model differently prepared images without a word.
 */
export function readRunInfo(modelPath: string): RunInfo | null {
  const path = join(dirname(modelPath), 'run.json');
  if (!existsSync(path)) return null;
  let info: RunInfo;
  try {
    info = JSON.parse(readFileSync(path, 'utf8')) as RunInfo;
  } catch (error) {
    throw new InputError(`${path}: not a readable run.json (${(error as Error).message})`);
  }
  if (!PREPROCESSINGS.includes(info?.preprocessing)) {
    throw new InputError(`${path}: unknown preprocessing ${JSON.stringify(info?.preprocessing)}; expected ${PREPROCESSINGS.map((p) => `'${p}'`).join(' or ')}`);
  }
  const classes = info.classIndices as unknown;
  if (typeof classes !== 'object' || classes === null || Object.values(classes).some((i) => !Number.isInteger(i))) {
    throw new InputError(`${path}: classIndices should map class names to indices, got ${JSON.stringify(info.classIndices)}`);
  }
  return info;
}
