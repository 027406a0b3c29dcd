import type { Model } from '../models/model.js';
import { backendName } from '../backend/index.js';
import { makeFolder } from '../io/write-target.js';
import type { Callback } from '../training/callbacks/callback.js';
import { ModelCheckpoint } from '../training/callbacks/model-checkpoint.js';
import { TerminateOnNaN } from '../training/callbacks/terminate-on-nan.js';
import type { History } from '../training/history.js';
import type { InterruptGuard } from './interrupt.js';
import { concatHistories, type Preprocessing, type RunInfo, runFiles, writeText } from './run-folder.js';

/** What a training flow reports once its model exists, before the first epoch. */
export interface RunStart {
  kind: string;
  model: Model;
  preprocessing: Preprocessing;
  imageSize: [number, number];
  classIndices: Record<string, number>;
}

/**
 * One `deeptype train` run as it happens: writes summary.txt and run.json as soon as the model
 * exists, so a run stopped at any point still says what it was, and chains the history of each
 * training phase (fine-tuning has two).
 */
export class RunSession {
  readonly files: ReturnType<typeof runFiles>;
  readonly started = performance.now();
  info: RunInfo | null = null;
  summary = '';
  history: History | null = null;

  constructor(readonly dir: string, readonly data: string, readonly settings: Record<string, number | string | boolean>,
    readonly guard: InterruptGuard) {
    this.files = runFiles(dir);
  }

  /** Creates the run folder (only now, so bad input found earlier leaves no empty folder behind). */
  async begin(start: RunStart): Promise<void> {
    await makeFolder(this.dir);
    console.log(`Run folder: ${this.dir}`);
    this.summary = start.model.summary({ print: () => {} });
    await writeText(this.files.summary, `${this.summary}\n`);
    this.info = {
      kind: start.kind, classIndices: start.classIndices, imageSize: start.imageSize, preprocessing: start.preprocessing,
      data: this.data, settings: this.settings, phases: [], backend: backendName(), seconds: 0, interrupted: false, final: {},
    };
    await this.saveInfo();
  }

  /**
   * Runs one training phase (a `fit` call): Ctrl-C ends it after the current step, and so does a
   * loss gone NaN (nothing useful can follow). With `checkpoint`, model.h5 is rewritten after
   * every epoch and on Ctrl-C, never with NaN weights.
   */
  async phase(name: string, fit: (callbacks: Callback[]) => Promise<History>, checkpoint: boolean): Promise<void> {
    const callbacks = [new TerminateOnNaN(), ...(checkpoint ? [new RunCheckpoint({ filepath: this.files.model })] : [])];
    const history = await this.guard.whileTraining(() => fit(callbacks));
    this.history = this.history ? concatHistories(this.history, history) : history;
    this.info!.phases.push({ name, epochs: history.epoch.length });
    this.info!.interrupted = this.guard.stopped;
    this.info!.seconds = (performance.now() - this.started) / 1000;
    const last = history.epoch.length - 1;
    if (last >= 0) this.info!.final = Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[last]!]));
    await this.saveInfo();
  }

  async saveInfo(): Promise<void> {
    await writeText(this.files.run, `${JSON.stringify(this.info, null, 2)}\n`);
  }
}

/** The run's model.h5 checkpoint, in the CLI's words: a skipped save names the option to change. */
class RunCheckpoint extends ModelCheckpoint {
  protected override warnNotSaved(path: string, weight: string): void {
    console.warn(`deeptype: not saving ${path} after this epoch: weight '${weight}' holds NaN or infinite values; ` +
      'it keeps the last epoch with finite weights (a lower --lr may help)');
  }
}
