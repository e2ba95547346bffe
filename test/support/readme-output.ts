import * as fs from 'fs';
import * as path from 'path';
import { codeBlocks, REPO_ROOT } from './readme-snippets';

/** The README's code blocks that show output, found by their first line and compared with a real run. */

const BLOCKS = codeBlocks(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'), 'README.md');

/** The README block whose first line is `first`, or starts with it (exactly one). */
export function block(first: string, options: { prefix?: boolean; second?: string } = {}): { name: string; lines: readonly string[] } {
  const { prefix = false, second } = options;
  const found = BLOCKS.filter((b) =>
    (prefix ? b.lines[0].startsWith(first) : b.lines[0] === first) && (second === undefined || b.lines[1] === second));
  if (found.length !== 1) throw new Error(`${found.length} README blocks start with ${first}`);
  return found[0];
}

/** The output's lines are the README's, `...` matching any lines (none included). */
export function expectReadmeLines(actual: string, readme: readonly string[]): void {
  const lines = actual.replace(/\n$/, '').split('\n');
  const segments: string[][] = [[]];
  for (const line of readme) {
    if (line === '...') segments.push([]);
    else segments[segments.length - 1].push(line);
  }
  let at = 0;
  const matches = segments.every((segment, i) => {
    const first = i === 0;
    const last = i === segments.length - 1;
    const end = lines.length - segment.length; // where a last segment must start
    const found =
      segment.length === 0 ? at
        : first ? (startsAt(lines, segment, 0) ? 0 : -1)
          : last ? (end >= at && startsAt(lines, segment, end) ? end : -1)
            : lines.findIndex((_, j) => j >= at && startsAt(lines, segment, j));
    if (found === -1) return false;
    at = found + segment.length;
    return !last || at === lines.length || segment.length === 0;
  });
  if (!matches) {
    expect(lines.join('\n')).toBe(readme.join('\n')); // shows the difference
  }
}
function startsAt(lines: readonly string[], segment: readonly string[], index: number): boolean {
  return segment.every((line, k) => lines[index + k] === line);
}
