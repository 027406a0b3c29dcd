import type { Model } from '../../models/model.js';
import type { Callback, Logs } from './callback.js';

/** Stops training as soon as a batch's loss is NaN or infinite, as Keras's TerminateOnNaN. */
export class TerminateOnNaN implements Callback {
  model?: Model;

  onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: Invalid loss, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}

