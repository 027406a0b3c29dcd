import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodedImage } from '../../src/data/decoded-image.js';
import { checkInterpolation, nearestIndices, resizeImage } from '../../src/data/resize.js';

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
  assert.deepEqual(Array.from(resizeImage(row([10, 10, 10, 10]), 1, 3, 'bicubic').data), [10, 10, 10]);
  assert.deepEqual(Array.from(resizeImage(row([0, 90]), 1, 1, 'box').data), [45]);
  const lanczos = resizeImage(row([0, 255, 0, 255, 0, 255]), 1, 3, 'lanczos').data;
  assert.ok(lanczos.every((v) => v >= 0 && v <= 255));
});

test('RGBA is resized premultiplied so transparent pixels do not bleed colour', () => {
  const img = row([255, 0, 0, 0, 0, 0, 255, 255], 4); // invisible red, opaque blue
  const out = resizeImage(img, 1, 1, 'bilinear').data;
  assert.equal(out[0], 0, 'no red from the transparent pixel');
  assert.ok(out[2]! >= 254 && out[3]! >= 127 && out[3]! <= 128);
});

test('bad sizes and filter names are named in the error', () => {
  assert.throws(() => resizeImage(row([1]), 0, 3), /target size must be two positive integers, got \[0, 3\]/);
  assert.throws(() => checkInterpolation('cubic', 'imageLoad'), /imageLoad: invalid interpolation "cubic"; supported methods are nearest, bilinear, bicubic/);
});
