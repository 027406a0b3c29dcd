import { totalmem } from 'node:os';

/** The longest Float32Array V8 makes on 64-bit Node 20 (buffer.constants.MAX_LENGTH). */
const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** 12884901888 → '12.0 GiB'. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

let memoryBytes: number | undefined;
/** The machine's memory, asked once: os.totalmem() reads /proc/meminfo, and every buffer is checked. */
const machineMemory = (): number => (memoryBytes ??= totalmem());

/**
 * Refuses a buffer of `floats` float32 values that cannot exist here: more than this machine's
 * memory or than a typed array holds. Such a request would abort the process (native memory)
 * or fail with "Invalid typed array length" naming nothing, or leave the OS to kill the process
 * once the pages are touched; here it is a RangeError naming the op and the bytes.
 */
export function checkAllocation(floats: number, op: string): void {
  if (!Number.isSafeInteger(floats) || floats < 0) {
    throw new RangeError(`${op}: cannot allocate ${floats} float32 values (expected a non-negative integer count)`);
  }
  const bytes = floats * 4;
  const memory = machineMemory();
  if (bytes > memory || floats > MAX_TYPED_ARRAY_LENGTH) {
    throw new RangeError(`${op}: cannot allocate ${bytes} bytes (${formatBytes(bytes)}) for ${floats} float32 values; ` +
      `this machine has ${formatBytes(memory)} of memory${floats > MAX_TYPED_ARRAY_LENGTH ? ` and a typed array holds at most ${MAX_TYPED_ARRAY_LENGTH} values` : ''}`);
  }
}
