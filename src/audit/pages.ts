/** Paginated lists and batched describe calls, as every AWS read API needs them. */

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Follows a paginated list to its end. A page that fails ends the list with what was read (the
 * failure is on the scope); a token seen twice ends it too rather than looping.
 */
export async function listAll<T>(page: (token: string | undefined) => Promise<{ items?: T[]; next?: string } | undefined>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const result = await page(token);
    if (!result) break;
    items.push(...(result.items ?? []));
    token = result.next;
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return items;
}
