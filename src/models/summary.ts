import { getProfile } from '../config.js';
import { formatShape } from '../tensor/shape.js';
import type { Layer, LayerShape } from './layer.js';
import type { Model } from './model.js';

export interface SummaryOptions {
  /** Total width; Keras's default is 65 (R passes the console width, usually 80). */
  lineLength?: number;
  /** Where the text goes; default console.log. */
  print?: (text: string) => void;
}

/** One table row: a layer, the shape it outputs and its parameter count. */
export interface SummaryRow {
  layer: Layer;
  outputShape: LayerShape | null;
  /** Functional models with branches fill the "Connected to" column. */
  connectedTo?: string[];
}

/** Class name as a summary shows it: nested models are (Model) in K22 and (Functional) in TF2. */
function displayClass(layer: Layer): string {
  if (layer.className === 'Functional' || layer.className === 'Model') return getProfile() === 'K22' ? 'Model' : 'Functional';
  return layer.className;
}

/**
 * Keras's row rule: each field is appended after replacing the previous last character with a
 * space, then the line is cut and padded to the field's stop. So a long first field loses its
 * last characters (`max_pooling2d_1 (MaxPooling2`) exactly as Keras prints it.
 */
function renderRow(fields: string[], stops: number[]): string {
  let line = '';
  fields.forEach((field, i) => {
    if (i > 0) line = line.slice(0, -1) + ' ';
    line += field;
    line = line.slice(0, stops[i]).padEnd(stops[i]!);
  });
  return line;
}

const withCommas = (n: number): string => n.toLocaleString('en-US');

/** The Keras summary table (K22 "classic" layout; TF2 adds the `Model: "name"` header). */
export function summarize(model: Model, options: SummaryOptions = {}): string {
  const rows = model.summaryRows();
  const branching = rows.some((r) => r.connectedTo);
  const length = options.lineLength ?? (branching ? 98 : 65);
  const stops = (branching ? [0.33, 0.55, 0.67, 1] : [0.45, 0.85, 1]).map((f) => Math.floor(f * length));
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(branching ? ['Connected to'] : [])];
  const out: string[] = [];
  if (getProfile() === 'TF2') out.push(`Model: "${model.name}"`);
  out.push('_'.repeat(length), renderRow(header, stops), '='.repeat(length));
  rows.forEach((row, i) => {
    const first = [`${row.layer.name} (${displayClass(row.layer)})`,
      row.outputShape ? formatShape(row.outputShape) : 'multiple', String(row.layer.countParams())];
    const links = row.connectedTo ?? [];
    out.push(renderRow(branching ? [...first, links[0] ?? ''] : first, stops));
    for (const link of links.slice(1)) out.push(renderRow(['', '', '', link], stops));
    out.push((i === rows.length - 1 ? '=' : '_').repeat(length));
  });
  const trainable = model.trainableWeights.reduce((n, w) => n + w.value.size, 0);
  const total = model.countParams();
  out.push(`Total params: ${withCommas(total)}`, `Trainable params: ${withCommas(trainable)}`,
    `Non-trainable params: ${withCommas(total - trainable)}`, '_'.repeat(length));
  return out.join('\n');
}
