/**
 * The shapes every native kernel is checked on, against the js backend (native.test.ts) and,
 * for AArch64's NEON kernels, against the scalar build under qemu (test/native/cross.ts).
 */

/** [m, k, n]. The last four: A's rows read in place on AVX-512 (depths of 16–512), several row
 * blocks, a last micro-tile of fewer rows, narrow (≤ 16 columns) and partial column panels. */
export const MATMUL_SHAPES: [number, number, number][] = [[1, 1, 1], [7, 5, 3], [37, 29, 45], [20, 330, 33], [130, 70, 300],
  [400, 50, 300], [3, 700, 17], [401, 64, 40], [333, 128, 16], [190, 512, 33], [45, 16, 7]];

/** batch, h, w, inC, outC, kernel, stride, same. */
export const CONV_CASES: [number, number, number, number, number, number, number, boolean][] = [
  [1, 9, 7, 3, 5, 3, 1, false], [1, 9, 7, 3, 5, 3, 1, true], [20, 6, 5, 2, 3, 3, 2, true],
  [20, 7, 7, 4, 33, 1, 1, false], [1, 11, 10, 5, 8, 5, 1, true], [2, 11, 9, 3, 4, 5, 2, false],
  [1, 13, 12, 40, 17, 3, 1, true], [3, 8, 8, 6, 7, 1, 2, true], [1, 1, 1, 3, 2, 1, 1, false],
  [20, 8, 8, 3, 32, 3, 1, false], [1, 10, 9, 2, 3, 3, 2, false],
  // 64+ input channels: the input gradient goes through col2im at stride 1 too (batch ≥ threads).
  [2, 6, 7, 64, 5, 3, 1, true], [3, 5, 5, 70, 3, 5, 1, false], [1, 5, 6, 64, 4, 3, 1, true],
  // Wide rows, 3 to 64 channels, full and partial column panels of the micro-kernel.
  [2, 5, 31, 16, 48, 3, 1, true], [1, 4, 17, 32, 32, 3, 1, false], [2, 6, 20, 3, 40, 5, 1, true],
  [1, 7, 16, 64, 16, 3, 1, true], [3, 3, 44, 16, 33, 3, 1, false],
  // 1–4 channels: read in place by the direct tile on AVX-512 (rows of several 14-pixel
  // tiles, the last one partial; one and two column panels; strides 1 and 2).
  [2, 9, 31, 3, 64, 3, 1, true], [3, 12, 29, 1, 8, 3, 1, false], [1, 15, 33, 3, 64, 3, 2, true],
  [1, 9, 30, 4, 16, 3, 2, false], [2, 7, 45, 2, 20, 5, 1, true],
  // 16 channels at stride 1: the direct tile's pixels run on across rows, dropping the
  // windows that wrap (rows narrower than a tile, so several wraps in one; 1×1; a 5×5
  // kernel wider than the map).
  [2, 8, 8, 16, 64, 3, 1, true], [1, 4, 3, 16, 40, 5, 1, true], [2, 3, 17, 16, 32, 3, 1, false],
  // Whole panels of 64 channels: tiles of 7 pixels × 64 channels, two panels.
  [1, 6, 9, 16, 128, 3, 1, true], [2, 11, 15, 3, 128, 3, 2, false],
  // Pointwise: the image's rows are A's, read in place on AVX-512 (channel counts of
  // SqueezeNet's 1×1 layers; narrow and wide outputs; a last tile of fewer pixels).
  [3, 6, 5, 16, 20, 1, 1, false], [2, 9, 11, 128, 16, 1, 1, false], [1, 13, 12, 512, 40, 1, 1, false],
  [2, 5, 7, 48, 70, 1, 1, false],
];

/** 3×3 stride-1 layers with 32+ input channels take Winograd's F(2×2, 3×3) path: odd sizes whose
 * last tiles overhang the edge, both paddings, narrow (≤ 16) and partial column panels, depth
 * past one packed block (330 input channels), and enough tiles for several tasks.
 * batch, h, w, inC, outC, same. */
export const WINOGRAD_CASES: [number, number, number, number, number, boolean][] = [
  [1, 7, 9, 32, 16, true], [3, 11, 6, 36, 33, false], [2, 13, 13, 40, 70, true], [1, 6, 5, 330, 24, true],
  [4, 24, 22, 32, 64, false], [1, 9, 4, 33, 130, true],
];
