import { basename } from 'node:path';
import { imageLoad } from '../data/image-load.js';
import type { Model } from '../models/model.js';
import { imageGrid } from '../plot/image-grid.js';
import type { DecodedImage } from '../data/decoded-image.js';
import { Tensor } from '../tensor/tensor.js';
import { gradCam } from '../visualize/grad-cam.js';
import { overlayHeatmap } from '../visualize/overlay.js';
import { flowFrom, loadImages } from './image-input.js';
import { type ClassScores, classProbabilities, misclassified, predictedClass, predictFolder, requireClassifier, scoreClasses } from './predictions.js';
import { reportHtml } from './report-html.js';
import { type RunInfo, runFiles, writeText } from './run-folder.js';

/** How many misclassified images the report shows. */
const SHOWN_MISTAKES = 8;

export interface ReportOptions {
  validationDir: string;
  batchSize: number;
  /** Validation images to score; default all. */
  maxSamples?: number;
  summary: string;
  hasHistoryImage: boolean;
}

/** Each image with the Grad-CAM heatmap of the class the model predicted laid over it: where it looked when it went wrong. */
async function gradCamOverlays(model: Model, paths: readonly string[], images: readonly DecodedImage[], run: RunInfo): Promise<DecodedImage[]> {
  const { batch } = await loadImages(paths, run.imageSize, run.preprocessing);
  const [h, w] = run.imageSize;
  const size = h * w * 3;
  return Promise.all(images.map(async (image, i) => {
    const one = new Tensor(batch!.f32.subarray(i * size, (i + 1) * size), [1, h, w, 3]);
    return overlayHeatmap(image, await gradCam(model, one));
  }));
}

/**
 * Scores the trained model on the validation images and writes report.html, with
 * misclassified.png beside it. Returns the scores so the run can record them.
 */
export async function writeRunReport(dir: string, model: Model, run: RunInfo, options: ReportOptions): Promise<ClassScores> {
  const files = runFiles(dir);
  console.log('Scoring the validation images for the report:');
  const classes = requireClassifier(model, 'report');
  const iterator = flowFrom(options.validationDir, { imageSize: run.imageSize, preprocessing: run.preprocessing, batchSize: options.batchSize, classes });
  const predictions = await predictFolder(model, iterator, options.maxSamples);
  const scores = scoreClasses(predictions, classes);
  const classNames = Object.keys(iterator.classIndices).sort((a, b) => iterator.classIndices[a]! - iterator.classIndices[b]!);
  const wrong = misclassified(predictions).slice(0, SHOWN_MISTAKES);
  let mistakes: { image: string; gradCam: string; captions: string[] } | null = null;
  if (wrong.length > 0) {
    const paths = wrong.map((i) => predictions.files[i]!);
    const images = await Promise.all(paths.map((path) => imageLoad(path, { targetSize: run.imageSize })));
    await imageGrid(images, { file: files.misclassified, columns: 4 });
    await imageGrid(await gradCamOverlays(model, paths, images, run), { file: files.misclassifiedGradCam, columns: 4 });
    mistakes = {
      image: basename(files.misclassified),
      gradCam: basename(files.misclassifiedGradCam),
      captions: wrong.map((i) => {
        const row = predictions.outputs[i]!;
        const predicted = predictedClass(row);
        return `${basename(predictions.files[i]!)}: true class ${classNames[predictions.labels[i]!]}, predicted ${classNames[predicted]} ` +
          `(P(${classNames[predicted]}) = ${classProbabilities(row)[predicted]!.toFixed(3)})`;
      }),
    };
  }
  await writeText(files.report, reportHtml({
    run, summary: options.summary, scores, classNames, misclassified: mistakes,
    historyImage: options.hasHistoryImage ? basename(files.historyPng) : null,
  }));
  return scores;
}
