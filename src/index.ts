/** deeptype's public API: Keras's names in TypeScript's camelCase. */
export { Tensor, type DType, type TypedArray } from './tensor/tensor.js';
export type { Shape } from './tensor/shape.js';
export type { RandomOptions } from './tensor/create.js';
export { fill, ones, randomNormal, randomUniform, scalar, tensor, zeros } from './tensor/create.js';
export { setSeed } from './tensor/random.js';
export { noGrad } from './autograd/tape.js';
export { valueAndGrads } from './autograd/grad.js';
export { backendName, getBackend, setBackend } from './backend/index.js';
export * as ops from './ops/index.js';
export { layers } from './layers/index.js';
export type {
  ActivationArgs, BatchNormalizationArgs, ConcatenateArgs, Conv2DArgs, Cropping2DArgs, DenseArgs, DepthwiseConv2DArgs,
  DropoutArgs, Factor, FlipMode, LeakyReLUArgs, PermuteArgs, Pooling2DArgs, RandomAffineArgs, RandomContrastArgs,
  RandomFlipArgs, RandomLayerArgs, RandomRotationArgs, RandomTranslationArgs, RandomZoomArgs, ReLUArgs, RescalingArgs,
  ReshapeArgs, SeparableConv2DArgs, SoftmaxArgs, UpSampling2DArgs, ZeroPadding2DArgs,
} from './layers/index.js';
export type { WarpFillMode, WarpInterpolation } from './ops/affine-warp.js';
export type { ActivationName } from './ops/activations.js';
export type { Padding } from './ops/padding.js';
export type { MarginsArg } from './ops/spatial.js';
export type { InitializerName } from './models/initializers.js';
export { Layer, type CallContext, type LayerArgs, type LayerConfig, type LayerShape } from './models/layer.js';
export { Model } from './models/model.js';
export type { SummaryOptions } from './models/summary.js';
export { Sequential } from './models/sequential.js';
export { clearSession } from './models/naming.js';
export { model, sequential } from './models/factories.js';
export { Functional, type FunctionalArgs } from './models/functional.js';
export { input, type InputArgs } from './models/input-layer.js';
export { SymbolicTensor } from './models/symbolic.js';
export type { Variable } from './models/variable.js';
export { setProfile, type Profile } from './config.js';
export { LearningRateSchedule, optimizers, Optimizer, schedules } from './optimizers/index.js';
export type { AdamArgs } from './optimizers/adam.js';
export type { AdamWArgs } from './optimizers/adamw.js';
export type { CosineDecayArgs, ExponentialDecayArgs, PiecewiseConstantDecayArgs } from './optimizers/schedules.js';
export type { OptimizerArgs } from './optimizers/optimizer.js';
export type { RmspropArgs } from './optimizers/rmsprop.js';
export type { SgdArgs } from './optimizers/sgd.js';
export * as losses from './losses/losses.js';
export type { LossFn } from './losses/losses.js';
export * as metrics from './metrics/metrics.js';
export type { MetricFn } from './metrics/metrics.js';
export { Metric } from './metrics/metric.js';
export type { AucArgs } from './metrics/auc.js';
export type { ThresholdMetricArgs } from './metrics/precision-recall.js';
export { callbacks } from './training/callbacks/index.js';
export { CSVLogger, EarlyStopping, LearningRateScheduler, ModelCheckpoint, ProgressLogger, ReduceLROnPlateau, TerminateOnNaN, type Callback,
  type FitParams, type Logs } from './training/callbacks/index.js';
export type { CsvLoggerOptions } from './training/callbacks/csv-logger.js';
export type { EarlyStoppingOptions } from './training/callbacks/early-stopping.js';
export type { ScheduleFunction } from './training/callbacks/learning-rate-scheduler.js';
export type { ReduceLROnPlateauOptions } from './training/callbacks/reduce-lr-on-plateau.js';
export type { ModelCheckpointOptions } from './training/callbacks/model-checkpoint.js';
export type { ProgressOptions } from './training/callbacks/progress.js';
export type { CompileArgs } from './training/compile.js';
export type { FitOptions } from './training/fit.js';
export type { EvaluateOptions, PredictOptions } from './training/evaluate.js';
export type { History } from './training/history.js';
// Straight from the files, not plot/index: the published types then never reach vega-lite's.
export { plotHistory, type PlotFormat, type PlotHistoryOptions } from './plot/history.js';
export { imageGrid, type GridImage, type ImageGridOptions } from './plot/image-grid.js';
export type { PlotTheme } from './plot/themes.js';
export * from './visualize/index.js';
export { freezeWeights, unfreezeWeights, type FreezeRange, type LayerRef } from './models/freeze.js';
export { extractFeatures, type ExtractFeaturesOptions } from './training/extract-features.js';
export * as applications from './applications/index.js';
export type { MobileNetV2Options, PretrainedOptions, SqueezenetOptions, Vgg16Options } from './applications/index.js';
export * from './data/index.js';
export { inspectKerasFile, loadModel, loadWeights, saveModel, saveWeights } from './io/index.js';
export type { KerasFileInfo, LoadModelOptions, LoadWeightsOptions, SaveModelOptions } from './io/index.js';
