import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../src/tensor/random.js';

test('fillMask draws the mask next() would, value for value, and leaves the generator where next() would', () => {
  for (const rate of [0.5, 0.3, 0, 0.999]) {
    const [fast, slow] = [new Random(42), new Random(42)];
    const mask = new Float32Array(10_001);
    fast.fillMask(mask, rate, 2);
    const expected = Float32Array.from(mask, () => (slow.next() >= rate ? 2 : 0));
    assert.deepEqual(mask, expected, `rate ${rate}`);
    assert.equal(fast.next(), slow.next(), `rate ${rate}: the next draw`);
    const kept = mask.filter((v) => v === 2).length;
    assert.ok(Math.abs(kept / mask.length - (1 - rate)) < 0.02, `rate ${rate}: ${kept} kept`);
  }
});
