/** The two lecture epochs bench/epoch.ts times, shared by deeptype's run and the peers' scripts' arguments. */
export const RECIPES = {
  scratch: { batchSize: 20, steps: 100, augment: false, dropout: false },
  augment: { batchSize: 32, steps: 100, augment: true, dropout: true },
} as const;
export type Experiment = keyof typeof RECIPES;

/** Validation after each epoch: the 1,000 validation images once, in batches of 20. */
export const VALIDATION = { batchSize: 20, steps: 50 } as const;
