import type { InitializerName } from '../models/initializers.js';

const INITIALIZER_CLASSES: Record<InitializerName, string> = {
  glorotUniform: 'GlorotUniform', glorotNormal: 'GlorotNormal', heUniform: 'HeUniform',
  heNormal: 'HeNormal', zeros: 'Zeros', ones: 'Ones',
};

/** How configs spell things in Keras JSON. */
export const keras = {
  initializer(name: InitializerName): { class_name: string; config: Record<string, unknown> } {
    return { class_name: INITIALIZER_CLASSES[name], config: name === 'zeros' || name === 'ones' ? {} : { seed: null } };
  },
};
