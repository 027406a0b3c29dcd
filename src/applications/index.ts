/** Pretrained networks with Keras's layer names: `applications.vgg16(...)`, `applications.squeezenet(...)`, `applications.mobilenetV2(...)`. */
export { vgg16, type Vgg16Options } from './vgg16.js';
export { squeezenet, type SqueezenetOptions } from './squeezenet.js';
export { mobilenetV2, type MobileNetV2Options } from './mobilenet-v2.js';
export { caffePreprocess } from './preprocess.js';
export { downloadWeights, weightFolders, type PretrainedOptions } from './pretrained.js';
