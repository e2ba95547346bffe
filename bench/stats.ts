/** Order statistics of a small sample, and how the tables print them. */

export interface Summary {
  readonly median: number;
  /** First and third quartiles (linear interpolation between order statistics). */
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function summarize(samples: readonly number[]): Summary {
  return {
    median: median(samples),
    q1: quantile(samples, 0.25),
    q3: quantile(samples, 0.75),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples: [...samples],
  };
}

/** A ratio as the percentage it adds: 1.132 -> "+13.2 %". */
export function added(ratio: number): string {
  const points = (ratio - 1) * 100;
  return `${points >= 0 ? '+' : '\u2212'}${Math.abs(points).toFixed(1)} %`;
}

/** A range of ratios as added percentages: "+11.0 to +14.1". */
export function addedRange(low: number, high: number): string {
  return `${added(low).replace(' %', '')} to ${added(high)}`;
}

export function seconds(value: number): string {
  return value.toFixed(value >= 10 ? 1 : 2);
}

/** 12345 -> "12,345"; 12345678 -> "12.3 M". */
export function count(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} M`;
  return value.toLocaleString('en-US');
}
