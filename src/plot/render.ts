import sharp from 'sharp';
import type { TopLevelSpec } from 'vega-lite';

/** An SVG document and the size its root element declares. */
export interface RenderedSvg {
  svg: string;
  width: number;
  height: number;
}

/**
 * Renders a vega-lite spec to SVG with vega's headless view, so plots need no browser and no
 * canvas package. Text widths are estimated (no canvas), which errs on the wide side. vega and
 * vega-lite load here, on the first plot: they would be most of the cost of importing deeptype.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<RenderedSvg> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const root = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!root) throw new Error('renderSvg: vega returned an SVG without width and height on its root element');
  return { svg, width: Number(root[1]), height: Number(root[2]) };
}

/**
 * Rasterises an SVG at `scale` device pixels per SVG pixel. Rendering at that density (72 dpi
 * × scale), rather than resizing a 1× bitmap, keeps text and lines sharp.
 */
export async function svgToPng(svg: string, scale: number): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 72 * scale }).flatten({ background: '#ffffff' }).png().toBuffer();
}
