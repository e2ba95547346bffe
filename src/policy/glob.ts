/**
 * Wildcard patterns for allowed images and moving tags: `*` matches any run of characters
 * (including `/`); every other character matches itself.
 *
 * Matching is the classic two-pointer wildcard algorithm: no regular expression, so no
 * backtracking blow-up, at most (pattern length x text length) steps.
 */
export class Glob {
  public readonly pattern: string;
  private readonly caseInsensitive: boolean;

  constructor(pattern: string, options: { caseInsensitive?: boolean } = {}) {
    this.caseInsensitive = options.caseInsensitive ?? false;
    this.pattern = this.caseInsensitive ? pattern.toLowerCase() : pattern;
  }

  public matches(input: string): boolean {
    const p = this.pattern;
    const t = this.caseInsensitive ? input.toLowerCase() : input;
    let pi = 0;
    let ti = 0;
    let star = -1;
    let resume = 0;
    while (ti < t.length) {
      if (pi < p.length && p[pi] === '*') {
        star = pi++;
        resume = ti;
      } else if (pi < p.length && p[pi] === t[ti]) {
        pi++;
        ti++;
      } else if (star !== -1) {
        pi = star + 1;
        ti = ++resume;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] === '*') pi++;
    return pi === p.length;
  }
}
