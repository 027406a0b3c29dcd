export { inspectKerasFile, type KerasFileInfo, type KerasFileProfile } from './inspect.js';
export { loadModel, type LoadModelOptions } from './load-model.js';
export { saveModel, type SaveModelOptions } from './save-model.js';
export { loadWeights, type LoadWeightsOptions, saveWeights } from './weights.js';
