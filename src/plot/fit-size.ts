import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, type RenderedSvg } from './render.js';

/** Builds the spec for given panel sizes; the panels are what renderAtSize adjusts. */
export type SpecForPanels = (panelWidth: number, panelHeight: number) => TopLevelSpec;

/** Smallest panel, in pixels, that still shows a readable curve. */
const MIN_PANEL = 40;

/**
 * Renders a faceted chart whose whole image is `width` × `height`. vega-lite sizes panels, not
 * images, and cannot "fit" a facet grid, so this renders, measures what the axes, strips and
 * legend took, and resizes the panels; those margins hardly change, so two or three passes
 * land on the requested size. Any last pixel left over (row heights are whole pixels) becomes
 * margin at the right or bottom.
 */
export async function renderAtSize(build: SpecForPanels, width: number, height: number, rows: number): Promise<RenderedSvg> {
  let panelWidth = width - 160;
  let panelHeight = Math.floor((height - 60) / rows);
  let out: RenderedSvg | undefined;
  for (let pass = 0; pass < 3; pass++) {
    if (panelWidth < MIN_PANEL || panelHeight < MIN_PANEL) {
      throw new Error(`plotHistory: ${width}×${height} px leaves panels of ${panelWidth}×${panelHeight} px for ${rows} metric(s) once axes and legend are drawn; need at least ${MIN_PANEL} px each way, so pass a larger width or height`);
    }
    out = await renderSvg(build(panelWidth, panelHeight));
    const dw = width - out.width;
    const dh = height - out.height;
    if (dw === 0 && Math.abs(dh) < rows) break;
    panelWidth += dw;
    panelHeight += Math.floor(dh / rows);
  }
  return resizeRoot(out!, width, height);
}

/** Sets the SVG's declared size (and viewBox) to exactly the requested one. */
function resizeRoot(r: RenderedSvg, width: number, height: number): RenderedSvg {
  const svg = r.svg.replace(/<svg[^>]*>/, (tag) => tag
    .replace(/\swidth="[^"]*"/, ` width="${width}"`)
    .replace(/\sheight="[^"]*"/, ` height="${height}"`)
    .replace(/\sviewBox="[^"]*"/, ` viewBox="0 0 ${width} ${height}"`));
  return { svg, width, height };
}
