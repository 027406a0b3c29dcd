import { Tensor } from '../tensor/tensor.js';

/** Keras's `class_mode`: the form of the labels a directory iterator yields. */
export type ClassMode = 'categorical' | 'binary' | 'sparse' | 'input' | null;

const CLASS_MODES: readonly ClassMode[] = ['categorical', 'binary', 'sparse', 'input', null];

export function checkClassMode(mode: unknown, where: string): ClassMode {
  if (!CLASS_MODES.includes(mode as ClassMode)) {
    throw new Error(`${where}: invalid classMode ${JSON.stringify(mode)}; expected 'categorical', 'binary', 'sparse', 'input' or null`);
  }
  return mode as ClassMode;
}

/**
 * Labels for one batch: 'binary' and 'sparse' → float32 [b] of class indices (Keras gives a
 * vector, R shows `num [1:20]`; binary does not check for two classes); 'categorical' →
 * one-hot float32 [b, numClasses]; 'input' → a copy of the images (autoencoders); null → null.
 */
export function labelsFor(mode: ClassMode, classIndices: readonly number[], numClasses: number, images: Tensor): Tensor | null {
  const b = classIndices.length;
  switch (mode) {
    case 'binary':
    case 'sparse':
      return new Tensor(Float32Array.from(classIndices), [b]);
    case 'categorical': {
      const y = new Float32Array(b * numClasses);
      classIndices.forEach((c, i) => {
        y[i * numClasses + c] = 1;
      });
      return new Tensor(y, [b, numClasses]);
    }
    case 'input':
      return new Tensor(Float32Array.from(images.f32), images.shape);
    case null:
      return null;
  }
}
