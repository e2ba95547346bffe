import { ScannedImage } from './scan';

/** Pieces the table and the summary share. */

/** What a file is, after its name: ` (stack Web)`, ` (nested stack ... in ...)`, ` (ECS task definition)`. */
export function fileContext(image: ScannedImage): string {
  if (image.unlistedIn) {
    return ` (not listed in ${image.unlistedIn})`;
  }
  if (image.nestedIn) {
    return ` (nested stack ${image.nestedIn.logicalId} in ${image.nestedIn.file}${image.stack ? `, stack ${image.stack}` : ''})`;
  }
  if (image.stack) {
    return ` (stack ${image.stack})`;
  }
  return image.fileKind === 'task-definition' ? ' (ECS task definition)' : '';
}

/** `39:16`, or `-` when the value could not be located. */
export function positionText(image: ScannedImage): string {
  const p = image.position;
  return p ? `${p.startLine}:${p.startColumn}` : '-';
}

/** `1 error`, `2 errors`, `1,500 errors`. */
export function plural(n: number, word: string): string {
  return `${groupedDigits(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `1500` -> `1,500`, as `n.toLocaleString('en-US')` writes a count, without it for the counts
 * (whole numbers, not negative) a report writes: the first toLocaleString of a process loads the
 * ICU number formats, about 10 ms, a tenth of a small scan. Other numbers are left to it.
 */
export function groupedDigits(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return n.toLocaleString('en-US');
  const digits = String(n);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** Items by key, keys and items in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
