import { join } from 'node:path';
import type { TestContext } from 'node:test';
import sharp from 'sharp';

export { DATA_DIR, needsData } from '../helpers/paths.js';
export { tempDir } from '../helpers/files.js';

/** Writes a small solid-colour image through sharp (format from the extension). */
export async function writeImage(path: string, width: number, height: number,
  colour: { r: number; g: number; b: number; alpha?: number } = { r: 200, g: 100, b: 50 }): Promise<void> {
  const channels = colour.alpha === undefined ? 3 : 4;
  await sharp({ create: { width, height, channels, background: colour } }).toFile(path);
}

/** Captures console.warn and console.log lines for the rest of the test. */
export function captureConsole(t: TestContext): { warnings: string[]; logs: string[] } {
  const warnings: string[] = [];
  const logs: string[] = [];
  t.mock.method(console, 'warn', (...args: unknown[]) => warnings.push(args.join(' ')));
  t.mock.method(console, 'log', (...args: unknown[]) => logs.push(args.join(' ')));
  return { warnings, logs };
}
