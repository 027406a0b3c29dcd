/** Pretrained networks with Keras's layer names: `applications.vgg16(...)`, `applications.squeezenet(...)`. */
export { vgg16, type Vgg16Options } from './vgg16.js';
export { squeezenet, type SqueezenetOptions } from './squeezenet.js';
export { caffePreprocess } from './preprocess.js';
export { downloadWeights, weightFolders, type PretrainedOptions } from './pretrained.js';
