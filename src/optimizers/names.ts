/**
 * The optimizers' names, in the order the CLI lists them. Kept apart from the table so the CLI's
 * option parsing reads them without loading the library; the table is checked against this list.
 */
export const OPTIMIZER_NAMES = ['rmsprop', 'adam', 'adamW', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
