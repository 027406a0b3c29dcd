import { add } from '../ops/arithmetic.js';
import { onesLike } from '../tensor/create.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './tape.js';

/** Tensors reachable from `root` through recorded ops, ordered so every tensor follows its users. */
function reverseTopologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push([t, true]);
    for (const input of t.gradNode?.inputs ?? []) if (input.requiresGrad && !seen.has(input)) stack.push([input, false]);
  }
  return order.reverse();
}

/** Walks the tape backwards from `value`, returning d(sum of value)/d(each variable). */
export function backward(value: Tensor, variables: readonly Tensor[]): Tensor[] {
  const grads = new Map<Tensor, Tensor>();
  grads.set(value, onesLike(value));
  noGrad(() => {
    for (const t of reverseTopologicalOrder(value)) {
      const dy = grads.get(t);
      if (!dy || !t.gradNode) continue;
      const inputGrads = t.gradNode.backward(dy);
      t.gradNode.inputs.forEach((input, i) => {
        const g = inputGrads[i];
        if (!g || !input.requiresGrad) return;
        if (!sameShape(g.shape, input.shape)) {
          throw new Error(`autograd: ${t.gradNode!.op} produced a gradient of shape [${g.shape}] for an input of shape [${input.shape}]`);
        }
        const previous = grads.get(input);
        grads.set(input, previous ? add(previous, g) : g);
      });
    }
  });
  return variables.map((v) => grads.get(v) ?? zerosFor(v));
}

function zerosFor(v: Tensor): Tensor {
  return noGrad(() => onesLike(v, 0));
}

/**
 * Evaluates `fn` while recording, and returns its value with the gradients of its sum with
 * respect to each variable (a variable that `fn` does not use gets zeros).
 */
export function valueAndGrads(fn: () => Tensor, variables: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  const previous = variables.map((v) => v.requiresGrad);
  variables.forEach((v) => (v.requiresGrad = true));
  try {
    const value = fn();
    return { value, grads: backward(value, variables) };
  } finally {
    variables.forEach((v, i) => (v.requiresGrad = previous[i]!));
  }
}
