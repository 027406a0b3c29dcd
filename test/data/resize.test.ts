import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedImage } from '../../src/data/decoded-image.js';
import { checkInterpolation, type Interpolation, nearestIndices, resizeImage } from '../../src/data/resize.js';

const row = (values: number[], channels: 1 | 3 | 4 = 1): DecodedImage =>
  ({ data: Uint8Array.from(values), height: 1, width: values.length / channels, channels });

test("nearest follows Pillow's cumulative rule, not the closed form", () => {
  // Values from the spec (directory-iterator.md §3), computed from Pillow's ImagingScaleAffine.
  const idx = nearestIndices(500, 150);
  assert.deepEqual([idx[0], idx[1], idx[2]], [1, 5, 8]);
  assert.equal(idx[25], 84); // the closed form floor(25.5 · 10/3) would say 85
  assert.equal(idx[28], 94);
  assert.equal(idx[149], 498);
  assert.deepEqual(Array.from(nearestIndices(375, 150).slice(0, 6)), [1, 3, 6, 8, 11, 13]);
  assert.deepEqual(Array.from(nearestIndices(2, 4)), [0, 0, 1, 1]);
});

test('nearest resize picks whole pixels and keeps channels together', () => {
  const img: DecodedImage = { data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), height: 2, width: 2, channels: 3 };
  const up = resizeImage(img, 2, 4);
  assert.deepEqual(Array.from(up.data), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 7, 8, 9, 7, 8, 9, 10, 11, 12, 10, 11, 12]);
  assert.equal(resizeImage(img, 2, 2), img, 'same size: untouched, no resampling');
});

test("bilinear downscale uses Pillow's antialiasing kernel and 8-bit rounding", () => {
  // Worked by hand from Resample.c: support 2 at scale 2, weights 3/7, 3/7, 1/7 per output.
  assert.deepEqual(Array.from(resizeImage(row([0, 100, 200, 255]), 1, 2, 'bilinear').data), [71, 209]);
  assert.deepEqual(Array.from(resizeImage(row([0, 90]), 1, 1, 'box').data), [45]);
});

test('every filter gives Pillow\'s pixels, downscaling (antialiased) and upscaling (overshoot clipped)', () => {
  // Printed by test/fixtures/pillow/resize.py (Pillow 12.3) from the same images.
  const gray: DecodedImage = { data: Uint8Array.from({ length: 35 }, (_, i) => (i * 53 + 17) % 256), height: 5, width: 7, channels: 1 };
  const pillow: Record<Exclude<Interpolation, 'nearest'>, [number[], number[]]> = {
    box: [[102, 144, 159, 111, 146, 124, 203, 27, 127, 105, 120, 136], [0, 0, 255, 30, 30, 200, 90, 90]],
    bilinear: [[94, 146, 135, 107, 150, 126, 114, 89, 130, 105, 124, 129], [0, 112, 241, 100, 83, 189, 138, 90]],
    hamming: [[82, 151, 153, 101, 156, 123, 141, 68, 133, 109, 127, 125], [0, 91, 254, 61, 54, 199, 129, 90]],
    bicubic: [[91, 150, 138, 105, 157, 128, 107, 89, 130, 98, 125, 131], [0, 112, 253, 87, 63, 196, 142, 82]],
    lanczos: [[91, 152, 138, 105, 163, 130, 97, 94, 130, 89, 131, 130], [0, 121, 255, 90, 52, 195, 151, 73]],
  };
  for (const [filter, [down, up]] of Object.entries(pillow) as [Interpolation, [number[], number[]]][]) {
    assert.deepEqual(Array.from(resizeImage(gray, 3, 4, filter).data), down, `${filter}: 7x5 -> 4x3`);
    assert.deepEqual(Array.from(resizeImage(row([0, 255, 30, 200, 90]), 1, 8, filter).data), up, `${filter}: 5 -> 8`);
  }
  const rgb: DecodedImage = { data: Uint8Array.from({ length: 36 }, (_, i) => (i * 71 + 5) % 256), height: 3, width: 4, channels: 3 };
  assert.deepEqual(Array.from(resizeImage(rgb, 2, 3, 'lanczos').data),
    [63, 76, 183, 135, 119, 115, 152, 161, 46, 140, 216, 101, 60, 148, 144, 91, 79, 186]);
});

test('RGBA is resized premultiplied so transparent pixels do not bleed colour', () => {
  // Pillow's values, from test/fixtures/pillow/resize.py.
  const img = row([255, 0, 0, 0, 0, 0, 255, 255], 4); // invisible red, opaque blue
  assert.deepEqual(Array.from(resizeImage(img, 1, 1, 'bilinear').data), [0, 0, 255, 128], 'no red from the transparent pixel');
  const mixed: DecodedImage = { data: Uint8Array.from([255, 0, 0, 0, 10, 200, 30, 128, 0, 0, 255, 255,
    90, 90, 90, 60, 250, 10, 10, 255, 40, 80, 120, 200]), height: 2, width: 3, channels: 4 };
  assert.deepEqual(Array.from(resizeImage(mixed, 1, 2, 'bicubic').data), [168, 81, 21, 85, 68, 48, 135, 222]);
});

test('bad sizes and filter names are named in the error', () => {
  assert.throws(() => resizeImage(row([1]), 0, 3), /target size must be two positive integers, got \[0, 3\]/);
  assert.throws(() => checkInterpolation('cubic', 'imageLoad'), /imageLoad: invalid interpolation "cubic"; supported methods are nearest, bilinear, bicubic/);
});
