/**
 * fast-check parameters for a property test: each property's fixed run count and seed (what CI runs), replaced
 * by `RUNS` and `SEED` from the environment for a wider search or to replay a failure (test/README.md,
 * "Property tests").
 */
export function propertyRuns(numRuns: number, seed: number): { numRuns: number; seed: number } {
  return { numRuns: fromEnv('RUNS', 1) ?? numRuns, seed: fromEnv('SEED', -(2 ** 31)) ?? seed };
}

function fromEnv(name: string, min: number): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(
      `${name}=${text}: expected an integer of at least ${min} (test/README.md, "Property tests")`,
    );
  return n;
}
