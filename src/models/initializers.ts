import { rngFor } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';

export type InitializerName = 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'zeros' | 'ones';

const ALIASES: Record<string, InitializerName> = {
  glorot_uniform: 'glorotUniform', glorot_normal: 'glorotNormal', he_uniform: 'heUniform',
  he_normal: 'heNormal', zeros: 'zeros', ones: 'ones',
};

export function checkInitializer(name: string, where: string): InitializerName {
  const resolved = ALIASES[name] ?? (Object.values(ALIASES).includes(name as InitializerName) ? name as InitializerName : null);
  if (!resolved) throw new Error(`${where}: unknown initializer '${name}'; expected one of ${Object.keys(ALIASES).join(', ')}`);
  return resolved;
}

/** Keras's fans: dense [in, out]; conv [kh, kw, in, out] → receptive field × in / × out. */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) return [shape[0] ?? 1, shape[0] ?? 1];
  const receptive = sizeOf(shape.slice(0, -2));
  return [receptive * shape[shape.length - 2]!, receptive * shape[shape.length - 1]!];
}

/** Fresh (unpooled) storage: weights live for the whole session, outside any step scope. */
export function initialize(name: InitializerName, shape: readonly number[], seed?: number): Float32Array {
  const data = new Float32Array(sizeOf(shape));
  if (name === 'zeros') return data;
  if (name === 'ones') return data.fill(1);
  const rng = rngFor(seed);
  const [fanIn, fanOut] = fans(shape);
  const scale = name.startsWith('glorot') ? 2 / (fanIn + fanOut) : 2 / fanIn;
  if (name.endsWith('Uniform')) {
    const limit = Math.sqrt(3 * scale);
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-limit, limit);
  } else {
    // Keras draws from a normal truncated at two standard deviations (stddev corrected by 0.8796).
    const stddev = Math.sqrt(scale) / 0.87962566103423978;
    for (let i = 0; i < data.length; i++) {
      let v: number;
      do v = rng.normal(); while (Math.abs(v) > 2);
      data[i] = v * stddev;
    }
  }
  return data;
}
