export { Adam } from './adam.js';
export { AdamW } from './adamw.js';
export { OPTIMIZER_NAMES, type OptimizerName } from './names.js';
export { Optimizer } from './optimizer.js';
export { RMSprop } from './rmsprop.js';
export { CosineDecay, ExponentialDecay, LearningRateSchedule, PiecewiseConstantDecay, schedules } from './schedules.js';
export { SGD } from './sgd.js';
export { h5LayoutOf, OPTIMIZER_TABLE, optimizerFromConfig, optimizers } from './table.js';
