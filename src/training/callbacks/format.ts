/** Keras prints a value with %.4f, or %.4e when it is tiny; NaN as 'nan'. */
export function formatMetric(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** ` - loss: 0.6906 - acc: 0.5305` */
export function formatLogs(logs: Record<string, number>, skip: readonly string[] = ['batch', 'size']): string {
  return Object.entries(logs).filter(([k]) => !skip.includes(k)).map(([k, v]) => ` - ${k}: ${formatMetric(v)}`).join('');
}

/** ETA as Keras: `45s`, `1:05`, `1:01:05`. */
export function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Per-step time: `2s/step`, `118ms/step`, `850us/step`. */
export function formatPerStep(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/step`;
  return `${(seconds * 1e6).toFixed(0)}us/step`;
}

/** `  1/100 [..............................]`, ` 50/100 [==============>...............]` */
export function formatBar(current: number, target: number, width = 30): string {
  const digits = String(target).length;
  const filled = Math.floor((width * current) / target);
  let bar = '';
  if (filled > 0) bar = '='.repeat(filled - 1) + (current < target ? '>' : '=');
  return `${String(current).padStart(digits)}/${target} [${bar.padEnd(width, '.')}]`;
}
