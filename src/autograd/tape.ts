import type { GradNode, Tensor } from '../tensor/tensor.js';

let recording = true;

/** Runs `fn` without recording gradients: inference paths and backward passes use it. */
export function noGrad<T>(fn: () => T): T {
  const previous = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = previous;
  }
}

export function isRecording(): boolean {
  return recording;
}

/**
 * Attaches an op's backward rule to its output when any input needs a gradient; otherwise
 * records nothing, so inference builds no graph at all.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[],
  backward: GradNode['backward']): Tensor {
  if (recording && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.gradNode = { op, inputs, backward };
  }
  return out;
}
