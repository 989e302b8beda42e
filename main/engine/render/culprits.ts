/**
 * Which pieces of data make nginx refuse a config: adaptive group testing
 * over the data items (instances, KV values). A check renders the template
 * with only some items and asks `nginx -t` about the result. Halves that pass
 * are cleared at once, so k bad items among n cost about 2·k·log2(n) checks.
 * When a failure needs two items together, leaving one of them out is
 * enough, and that one is what it names. When the checks run out, the answer
 * is "undetermined" and nothing is left out.
 */

/** Renders with only `included` and checks it: undefined when nginx accepts it, else nginx's message. */
export type FailureCheck<T> = (included: readonly T[]) => Promise<string | undefined>;

export type CulpritSearch<T> =
  { culprits: Map<T, string>; checks: number } | { undetermined: string; checks: number };

/** `failure`: what nginx said about the render with every item, when that is known already. */
export async function findCulprits<T>(
  items: readonly T[],
  fails: FailureCheck<T>,
  maxChecks: number,
  failure?: string,
): Promise<CulpritSearch<T>> {
  let checks = 0;
  const check = async (included: readonly T[]): Promise<string | undefined> => {
    if (checks >= maxChecks) throw new ChecksExhausted();
    checks++;
    return fails(included);
  };

  /** The bad items among `candidates`, given that `base` (known good) plus all of them failed with `failed`. */
  const search = async (
    base: readonly T[],
    candidates: readonly T[],
    failed: string,
  ): Promise<Map<T, string>> => {
    if (candidates.length === 1) return new Map([[candidates[0]!, failed]]);
    const half = Math.ceil(candidates.length / 2);
    const first = candidates.slice(0, half);
    const second = candidates.slice(half);
    const bad = new Map<T, string>();
    const firstFailure = await check([...base, ...first]);
    if (firstFailure !== undefined)
      for (const [item, why] of await search(base, first, firstFailure)) bad.set(item, why);
    const good = [...base, ...first.filter((item) => !bad.has(item))];
    // When the whole first half was good, base + first + second is the render that failed.
    const secondFailure = bad.size === 0 ? failed : await check([...good, ...second]);
    if (secondFailure !== undefined)
      for (const [item, why] of await search(good, second, secondFailure)) bad.set(item, why);
    return bad;
  };

  try {
    const whole = failure ?? (await check(items));
    if (whole === undefined) return { culprits: new Map(), checks };
    return { culprits: await search([], items, whole), checks };
  } catch (error) {
    if (error instanceof ChecksExhausted)
      return { undetermined: `more than ${maxChecks} checks would be needed`, checks };
    throw error;
  }
}

class ChecksExhausted extends Error {}
