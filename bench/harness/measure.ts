/** Timing helpers: the median of N runs, so one GC pause or cold cache does not decide a figure. */

export function median(values: readonly number[]): number {
  // INVARIANT: callers measure at least once.
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Timed<T> {
  /** Median wall time of the runs, in ms. */
  ms: number;
  runsMs: number[];
  /** The last run's result. */
  result: T;
}

/** Run `fn` `runs` times (sequentially) and return the median wall time. `setup` runs untimed before each. */
export async function timeRuns<T, S = void>(
  runs: number,
  fn: (state: S) => Promise<T> | T,
  setup?: () => Promise<S> | S,
): Promise<Timed<T>> {
  const runsMs: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const state = (setup ? await setup() : undefined) as S;
    const start = performance.now();
    result = await fn(state);
    runsMs.push(performance.now() - start);
  }
  return { ms: median(runsMs), runsMs, result: result as T };
}
