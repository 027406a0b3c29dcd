import { getProfile } from '../config.js';
import type { Tensor } from '../tensor/tensor.js';
import { releaseDead } from '../ops/scope.js';
import { callFused, fusesWith, readsConcatenation } from './fusion.js';
import { InputLayer } from './input-layer.js';
import type { CallContext, Layer, LayerArgs, LayerConfig, LayerShape } from './layer.js';
import { Model } from './model.js';
import type { SummaryRow } from './summary.js';
import type { GraphNode, SymbolicTensor } from './symbolic.js';

export interface FunctionalArgs extends LayerArgs {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** One tensor, or a list: then `predict` returns one tensor per output, in this order. */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
}

const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);

/**
 * A model defined by connecting layers with `layer.apply(symbolic)`: any directed acyclic graph
 * of layers, branches and merges included, from its inputs to its outputs. Its layers are the
 * graph's layers, weights included, so a model built from another model's layer outputs
 * shares that model's weights. `Many` is true when the outputs were given as a list.
 */
export class Functional<Many extends boolean = false> extends Model {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  declare readonly multiOutput: Many;
  /** Every tensor between the inputs and the outputs, in creation (so topological) order. */
  readonly graph: readonly SymbolicTensor[];
  private readonly layerList: readonly Layer[];
  /** Layer outputs computed together with the convolutions feeding them (fusion.ts). */
  private readonly fused: ReadonlyMap<SymbolicTensor, Fusion>;
  /** What call() computes, in order. */
  private readonly plan: readonly Step[];

  constructor(args: FunctionalArgs) {
    // K22 saves and prints functional models as 'Model'; tf.keras calls them 'Functional'.
    super(getProfile() === 'K22' ? 'Model' : 'Functional', { name: args.name, trainable: args.trainable, nameCounter: 'model' });
    this.inputs = list(args.inputs);
    this.outputs = list(args.outputs);
    (this as { multiOutput: boolean }).multiOutput = Array.isArray(args.outputs);
    if (this.inputs.length === 0 || this.outputs.length === 0) {
      throw new Error(`${this.name}: a functional model needs at least one input and one output, got ${this.inputs.length} and ${this.outputs.length}`);
    }
    this.graph = collectGraph(this.outputs, this.inputs, this.name);
    this.layerList = [...new Set(this.graph.map((s) => s.node.layer))];
    for (const layer of this.layerList) this.noteNesting(layer);
    this.fused = fusions(this.graph, this.outputs);
    this.plan = plan(this.graph, this.fused, this.outputs);
    this.ensureBuilt(this.inputs[0]!.shape);
  }

  get layers(): readonly Layer[] {
    return this.layerList;
  }

  override get batchInputShape(): LayerShape | null {
    return this.inputs[0]!.shape;
  }

  get input(): SymbolicTensor {
    return this.inputs[0]!;
  }

  override get output(): SymbolicTensor {
    return this.outputs[0]!;
  }

  get outputShape(): LayerShape {
    return this.outputs[0]!.shape;
  }

  override get outputNames(): string[] {
    return this.outputs.map((s) => s.node.layer.name);
  }

  call(x: Tensor, context: CallContext): Tensor {
    this.requireSingle('be called as a layer');
    return this.callOutputs([x], context)[0]!;
  }

  /** Every output for the given inputs (in `inputs` order), in `outputs` order. */
  override callOutputs(xs: readonly Tensor[], context: CallContext): Tensor[] {
    if (xs.length !== this.inputs.length) {
      throw new Error(`${this.name}: expected ${this.inputs.length} input tensor(s) (${this.inputs.map((s) => s.node.layer.name).join(', ')}), got ${xs.length}`);
    }
    const values = new Map<SymbolicTensor, Tensor>(this.inputs.map((s, i) => [s, xs[i]!]));
    for (const { output, reads, lastReads } of this.plan) {
      const layer = output.node.layer;
      const args = reads.map((s) => values.get(s)!);
      const fusion = this.fused.get(output);
      values.set(output, fusion ? callFused(layer, fusion.convs.map((s) => s.node.layer), args, context) : layer.callInputs(args, context));
      for (const read of lastReads) {
        const dead = values.get(read)!;
        values.delete(read);
        if (!this.inputs.includes(read)) releaseDead(dead, values.values());  // inputs are the caller's
      }
    }
    return this.outputs.map((s) => values.get(s)!);
  }

  /** Models with several inputs or outputs run through predict and callOutputs, not as one layer. */
  private requireSingle(what: string): void {
    if (this.inputs.length !== 1 || this.outputs.length !== 1) {
      throw new Error(`${this.name}: a model with ${this.inputs.length} input(s) and ${this.outputs.length} output(s) cannot ${what}; ` +
        'use predict() or callOutputs()');
    }
  }

  private get nodes(): GraphNode[] {
    return this.graph.map((s) => s.node);
  }

  computeOutputShape(inputShape: LayerShape): LayerShape {
    this.requireSingle('be nested in another model');
    return [inputShape[0] ?? null, ...this.outputShape.slice(1)];
  }

  /** Rows for summary(): one per layer; "Connected to" names each input as layer[node][tensor]. */
  summaryRows(): SummaryRow[] {
    const branching = this.nodes.some((n) => n.inputs.length > 1) || this.hasFanOut();
    return this.layerList.map((layer) => {
      const outputs = this.graph.filter((s) => s.node.layer === layer);
      const row: SummaryRow = { layer, outputShape: outputs.length === 1 ? outputs[0]!.shape : null };
      if (branching) row.connectedTo = outputs.flatMap((o) => o.node.inputs.map((s) => `${s.node.layer.name}[${this.nodeIndex(s)}][0]`));
      return row;
    });
  }

  /**
   * The index of the node making `s` among this model's applications of its layer, as Keras
   * renumbers them: a layer applied in another graph first (a Sequential's own) is node 0 here.
   */
  private nodeIndex(s: SymbolicTensor): number {
    return this.nodes.filter((n) => n.layer === s.node.layer).indexOf(s.node);
  }

  private hasFanOut(): boolean {
    const uses = new Map<SymbolicTensor, number>();
    for (const n of this.nodes) for (const s of n.inputs) uses.set(s, (uses.get(s) ?? 0) + 1);
    return [...uses.values()].some((u) => u > 1);
  }

  protected layerConfig(): LayerConfig {
    const ref = (s: SymbolicTensor): [string, number, number] => [s.node.layer.name, this.nodeIndex(s), 0];
    return {
      layers: this.layerList.map((layer) => ({
        name: layer.name,
        class_name: layer.className,
        config: layer.getConfig(),
        inbound_nodes: this.nodes.filter((n) => n.layer === layer && n.inputs.length > 0)
          .map((n) => n.inputs.map((s) => [...ref(s), {}])),
      })),
      input_layers: this.inputs.map(ref),
      output_layers: this.outputs.map(ref),
    };
  }
}

/** One layer call (or fused op) of Functional.call, with what it reads and what is dead after it. */
interface Step {
  readonly output: SymbolicTensor;
  /** Its arguments: the node's inputs, or for a fused op its convolutions' inputs. */
  readonly reads: readonly SymbolicTensor[];
  /** Tensors no later step reads and that are not model outputs. */
  readonly lastReads: readonly SymbolicTensor[];
}

function plan(graph: readonly SymbolicTensor[], fused: ReadonlyMap<SymbolicTensor, Fusion>,
  outputs: readonly SymbolicTensor[]): Step[] {
  const absorbed = new Set([...fused.values()].flatMap((f) => f.absorbed));
  const steps = graph.filter((s) => !(s.node.layer instanceof InputLayer) && !absorbed.has(s))
    .map((output) => ({ output, reads: fused.get(output)?.convs.map((c) => c.node.inputs[0]!) ?? output.node.inputs, lastReads: [] as SymbolicTensor[] }));
  const lastReader = new Map<SymbolicTensor, (typeof steps)[number]>();
  for (const step of steps) for (const r of step.reads) lastReader.set(r, step);
  for (const [read, step] of lastReader) if (!outputs.includes(read)) step.lastReads.push(read);
  return steps;
}

/** Tensors on some path from `inputs` to `outputs`, in creation order; errors on a disconnected input. */
function collectGraph(outputs: readonly SymbolicTensor[], inputs: readonly SymbolicTensor[], where: string): SymbolicTensor[] {
  const found = new Set<SymbolicTensor>();
  const stack = [...outputs];
  while (stack.length) {
    const s = stack.pop()!;
    if (found.has(s)) continue;
    found.add(s);
    if (inputs.includes(s)) continue;
    if (s.node.inputs.length === 0) {
      throw new Error(`${where}: the outputs depend on ${s.node.layer.name}, which is not one of the model's inputs`);
    }
    stack.push(...s.node.inputs);
  }
  for (const i of inputs) if (!found.has(i)) throw new Error(`${where}: input ${i.node.layer.name} is not connected to the outputs`);
  return [...found].sort((a, b) => a.id - b.id);
}

/** A node computed in one op with the convolutions feeding it: those, and every node the op absorbs. */
interface Fusion {
  readonly convs: readonly SymbolicTensor[];
  readonly absorbed: readonly SymbolicTensor[];
}

/**
 * Nodes whose inputs are all convolutions read by nothing else and that fuse with them
 * (fusion.ts); and max pools or pointwise convolutions of such a fused concatenation, read by
 * nothing else either.
 */
function fusions(graph: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): Map<SymbolicTensor, Fusion> {
  const uses = new Map<SymbolicTensor, number>();
  for (const s of graph) for (const i of s.node.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const unshared = (s: SymbolicTensor): boolean => uses.get(s) === 1 && !outputs.includes(s);
  const fused = new Map<SymbolicTensor, Fusion>();
  for (const s of graph) {  // in creation order: a concatenation before the pool that reads it
    const { layer, inputs } = s.node;
    if (inputs.every(unshared) && fusesWith(layer, inputs.map((i) => i.node.layer), s.shape.length)) {
      fused.set(s, { convs: inputs, absorbed: inputs });
    }
    const joined = inputs.length === 1 ? fused.get(inputs[0]!) : undefined;
    if (joined && joined.convs.length > 1 && unshared(inputs[0]!) &&
      readsConcatenation(layer, inputs[0]!.node.layer, joined.convs.map((c) => c.node.layer),
        joined.convs.map((c) => c.node.inputs[0]))) {
      fused.delete(inputs[0]!);
      fused.set(s, { convs: joined.convs, absorbed: [...joined.absorbed, inputs[0]!] });
    }
  }
  return fused;
}
