import { mkdir } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { imageLoad } from '../../data/image-load.js';
import { saveImage } from '../../data/image-save.js';
import { activations, plotActivations } from '../../visualize/activations.js';
import { plotFilters } from '../../visualize/filters.js';
import { gradCam, type Heatmap } from '../../visualize/grad-cam.js';
import { heatmapImage, overlayHeatmap } from '../../visualize/overlay.js';
import { featureMapLayers } from '../../visualize/taps.js';
import { InputError } from '../errors.js';
import { expandImagePaths, loadImages } from '../image-input.js';
import { writeText } from '../run-folder.js';
import { loadSavedModel } from '../saved-model.js';

export interface ExplainFlags {
  out: string;
  layer?: string;
  class?: number;
  filters: number;
}

/** The book shows the first 8 layers (4 convolutions, 4 pools); deeper ones add little. */
const ACTIVATION_LAYERS = 8;
/** Channels drawn per layer: 32 keeps activations.png readable for layers of 128 or 512. */
const ACTIVATION_CHANNELS = 32;

interface Explained {
  image: string;
  folder: string;
  heat: Heatmap;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Each class's probability: a sigmoid's one unit is P(class 1). */
function probabilities(prediction: Float32Array, classNames: readonly string[]): [string, number][] {
  const values = prediction.length === 1 ? [1 - prediction[0]!, prediction[0]!] : Array.from(prediction);
  return values.map((p, k) => [classNames[k] ?? String(k), p]);
}

function explainHtml(model: string, layer: string, filters: string | null, items: readonly Explained[], classNames: readonly string[], out: string): string {
  const sections = items.map(({ image, folder, heat }) => {
    const link = (name: string): string => escape(relative(out, join(folder, name)));
    const rows = probabilities(heat.prediction, classNames).map(([name, p]) => `<tr><td>${escape(name)}</td><td>${p.toFixed(4)}</td></tr>`).join('');
    return `<h2>${escape(basename(image))}</h2>
<p>Grad-CAM of class <strong>${escape(classNames[heat.classIndex] ?? String(heat.classIndex))}</strong> on layer ${escape(heat.layer)}.</p>
<table><tr><th>class</th><th>probability</th></tr>${rows}</table>
<p><img src="${link('overlay.png')}" alt="heatmap over the photo"> <img src="${link('heatmap.png')}" alt="Grad-CAM heatmap"></p>
<p><img src="${link('activations.png')}" alt="intermediate activations"></p>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>deeptype explain: ${escape(basename(model))}</title>
<style>body { font: 15px/1.45 system-ui, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; } img { max-width: 100%; vertical-align: top; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2em .6em; }</style></head><body>
<h1>What ${escape(basename(model))} sees</h1>
${filters ? `<h2>Patterns the filters of ${escape(layer)} respond to</h2>\n<img src="${escape(filters)}" alt="filter patterns">` : ''}
${sections}
</body></html>
`;
}

/**
 * Writes, for each image, activations.png, heatmap.png and overlay.png (one folder per image
 * when several), filters.png once when a layer is named, and explain.html over all of them.
 */
export async function explain(file: string, inputs: string[], flags: ExplainFlags): Promise<void> {
  const paths = expandImagePaths(inputs);
  const saved = await loadSavedModel(file, false);
  const { model, imageSize, preprocessing, classNames } = saved;
  const shown = featureMapLayers(model).slice(0, ACTIVATION_LAYERS);
  await mkdir(flags.out, { recursive: true });
  const items: Explained[] = [];
  for (const path of paths) {
    const { batch, skipped } = await loadImages([path], imageSize, preprocessing);
    if (!batch) {
      if (paths.length === 1) throw new InputError(skipped[0]!);
      console.warn(`deeptype: skipped ${skipped[0]}`);
      continue;
    }
    const heat = await gradCam(model, batch, { layer: flags.layer, classIndex: flags.class })
      .catch((error: Error) => {
        throw new InputError(error.message);
      });
    const folder = paths.length === 1 ? flags.out : join(flags.out, basename(path, extname(path)));
    await mkdir(folder, { recursive: true });
    await plotActivations(await activations(model, batch, { layers: shown }), join(folder, 'activations.png'), { maxChannels: ACTIVATION_CHANNELS });
    await saveImage(heatmapImage(heat, imageSize[1], imageSize[0]), join(folder, 'heatmap.png'));
    await saveImage(overlayHeatmap(await imageLoad(path), heat), join(folder, 'overlay.png'));
    items.push({ image: path, folder, heat });
    console.log(`${path}\t${classNames[heat.classIndex] ?? heat.classIndex}\t${folder}`);
  }
  if (items.length === 0) throw new InputError(`none of the ${paths.length} images could be read`);
  let filters: string | null = null;
  if (flags.layer) {
    filters = 'filters.png';
    await plotFilters(model, flags.layer, join(flags.out, filters), { count: flags.filters, inputScale: preprocessing === 'rescale' ? 1 / 255 : 1 });
  }
  await writeText(join(flags.out, 'explain.html'), explainHtml(file, items[0]!.heat.layer, filters, items, classNames, flags.out));
}
