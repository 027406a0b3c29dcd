import type { ClassScores } from './predictions.js';
import type { RunInfo } from './run-folder.js';

export interface ReportContent {
  run: RunInfo;
  summary: string;
  /** history.png's name in the run folder, or null when no epoch finished. */
  historyImage: string | null;
  scores: ClassScores;
  /** Class names by index. */
  classNames: string[];
  /**
   * misclassified.png's name, the name of the same grid with Grad-CAM overlays of the predicted
   * class, and a caption per image in grid order; null when none was wrong.
   */
  misclassified: { image: string; gradCam: string; captions: string[] } | null;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const number = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(4));

function table(rows: (string | number)[][], header: string[]): string {
  const cells = (row: (string | number)[], tag: string): string =>
    `<tr>${row.map((c) => `<${tag}>${escape(typeof c === 'number' ? number(c) : c)}</${tag}>`).join('')}</tr>`;
  return `<table>${cells(header, 'th')}${rows.map((r) => cells(r, 'td')).join('')}</table>`;
}

/** The N×N confusion matrix (rows: true class) with each class's accuracy in the last column. */
function confusionTable(scores: ClassScores, names: string[]): string {
  const rows = scores.confusion.map((row, c) => [`true ${names[c]}`, ...row, `${(100 * scores.classAcc[c]!).toFixed(1)}%`]);
  return table(rows, ['', ...names.map((n) => `predicted ${n}`), 'class accuracy']);
}

/**
 * A self-contained page for one training run: what was trained and how, the final metrics,
 * the learning curves, the confusion matrix on the validation images and the images the model
 * got most confidently wrong. Pictures are files beside it in the run folder.
 */
export function reportHtml(c: ReportContent): string {
  const { run } = c;
  const settings = Object.entries({ model: run.kind, data: run.data, ...run.settings, preprocessing: run.preprocessing,
    'image size': run.imageSize.join('×'), backend: run.backend, 'training time (s)': run.seconds.toFixed(1) });
  const finals = Object.entries(run.final).map(([k, v]) => [k, v]);
  const phases = run.phases.map((p) => `${escape(p.name)} (${p.epochs} epochs)`).join(', then ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>deeptype run: ${escape(run.kind)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; } td, th { border: 1px solid #ccc; padding: .25em .7em; text-align: left; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 13px; } img { max-width: 100%; }
.warn { color: #a40; }
</style></head><body>
<h1>deeptype run: ${escape(run.kind)}</h1>
<p>Training phases: ${phases || 'none completed an epoch'}.${run.interrupted ? ' <strong class="warn">Training was stopped early with Ctrl-C.</strong>' : ''}</p>
<h2>Final metrics</h2>
${table(finals, ['metric', 'value'])}
<h2>Learning curves</h2>
${c.historyImage ? `<img src="${escape(c.historyImage)}" alt="training and validation loss and accuracy per epoch">` : '<p>No epoch finished, so there are no curves.</p>'}
<h2>Validation: confusion matrix</h2>
<p>${c.scores.samples} validation images; accuracy ${(100 * c.scores.acc).toFixed(1)}%, loss ${number(c.scores.loss)}.</p>
${confusionTable(c.scores, c.classNames)}
<h2>Misclassified validation images</h2>
${c.misclassified ? `<p>The most confidently wrong first, left to right:</p>
<img src="${escape(c.misclassified.image)}" alt="misclassified validation images">
<p>Where the model looked: the Grad-CAM heatmap of the class it predicted, over each image.</p>
<img src="${escape(c.misclassified.gradCam)}" alt="Grad-CAM overlays of the misclassified validation images">
<ol>${c.misclassified.captions.map((t) => `<li>${escape(t)}</li>`).join('')}</ol>` : '<p>None: every validation image was classified correctly.</p>'}
<h2>Settings</h2>
${table(settings.map(([k, v]) => [k, String(v)]), ['setting', 'value'])}
<h2>Model summary</h2>
<pre>${escape(c.summary)}</pre>
<p>Files in this folder: model.h5, history.json, history.csv, history.png, summary.txt, run.json and this report.</p>
</body></html>
`;
}
