import { checkAllocation } from '../backend/allocation.js';
import { sizeOf } from '../tensor/shape.js';

/** A weight as a file stores it: only its name and size are needed to bound a rebuild. */
export interface StoredSize {
  name: string;
  size: number;
}

/**
 * Values a rebuilt model may exceed the file by, per weight and in all: cheap to allocate, and
 * enough that a near-miss (one layer's filters changed) still reaches the shape check that
 * names both shapes, while a claim of millions of units is refused before any allocation.
 */
const SLACK = 2 ** 20;

interface Budget {
  where: string;
  largest: StoredSize;
  total: number;
  used: number;
}

let budget: Budget | null = null;

/**
 * Runs `build` — rebuilding a model from a file's config — with every weight it creates checked
 * against the weights the file stores, before the weight's memory is allocated. A config is
 * text: a 28 KB file can claim a Dense layer of 2e9 units, which would otherwise be built and
 * randomly initialised (gigabytes) before its shape is compared with the stored one. A weight
 * much larger than every stored dataset, or many more values than all of them, cannot load.
 */
export function withWeightBudget<T>(stored: readonly StoredSize[], where: string, build: () => T): T {
  const largest = stored.reduce((a, b) => (b.size > a.size ? b : a), { name: 'none', size: 0 });
  const total = stored.reduce((n, w) => n + w.size, 0);
  const outer = budget;
  budget = { where, largest, total, used: 0 };
  try {
    return build();
  } finally {
    budget = outer;
  }
}

/**
 * Checks a new weight of `layer` before it is allocated: against the budget of a file being
 * loaded (see withWeightBudget) and against this machine's memory. Errors name the layer.
 */
export function checkNewWeight(layer: string, weight: string, shape: readonly number[]): void {
  const size = sizeOf(shape);
  const what = `layer '${layer}' would create weight '${weight}' of shape (${shape.join(', ')}) (${size} values)`;
  if (budget) {
    const { where, largest, total } = budget;
    if (size > largest.size + SLACK) {
      throw new Error(`${where}: ${what}, far more than any weight the file stores (the largest, '${largest.name}', ` +
        `has ${largest.size}); model_config does not match the stored weights`);
    }
    budget.used += size;
    if (budget.used > total + SLACK) {
      throw new Error(`${where}: ${what}, bringing the model to ${budget.used} weight values while the file stores ` +
        `${total}; model_config does not match the stored weights`);
    }
  }
  checkAllocation(size, `layer '${layer}': weight '${weight}'`);
}
