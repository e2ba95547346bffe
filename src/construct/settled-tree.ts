/**
 * A pass over a construct tree that nothing changes while it runs: the validation
 * `ImagePinning.enforce` registers runs after every aspect, and after prepare has rendered every
 * resource (so rendering creates no more constructs, as the FireLens log router's SSM parameter
 * is created while its container is first rendered). An index of the tree used during such a pass
 * is built once, fresh, at its first use in the pass, and a name it does not hold is not there:
 * no rebuild on a miss. Outside a pass (an Aspect checking as it visits, the cdk-nag pack), the
 * indexes rebuild once per missing name, since the tree may still grow.
 */
let current: SettledPass | undefined;

/** The identity of one pass; indexes remember the pass they were built in. */
export type SettledPass = object;

/** Runs `check` as one settled pass. */
export function inSettledPass<T>(check: () => T): T {
  const outer = current;
  current = {};
  try {
    return check();
  } finally {
    current = outer;
  }
}

/** The pass running now, if any. */
export function settledPass(): SettledPass | undefined {
  return current;
}
