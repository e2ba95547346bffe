/**
 * An image value whose parts may only be known at deploy time: a sequence of literal text and
 * unknown parts (pseudo parameters, template parameters, SSM parameters, imports, attributes).
 *
 * This is what every front door hands to the policy: the Aspect and the validation plugin after
 * reading CloudFormation intrinsics, the public `evaluate(image)` for a plain string.
 */

/** Where an unknown part of an image comes from. */
export type UnknownOrigin =
  | { readonly kind: 'pseudo'; readonly name: string }
  | { readonly kind: 'parameter'; readonly name: string }
  | { readonly kind: 'ssm-parameter'; readonly name?: string }
  | { readonly kind: 'resource'; readonly name: string }
  | { readonly kind: 'attribute'; readonly name: string }
  | { readonly kind: 'import'; readonly name?: string }
  /** A field of an ARN (`name`: `account`, `region`, ...), and the ARN's own origin when it is one unknown part. */
  | { readonly kind: 'arn-field'; readonly name: string; readonly of?: UnknownOrigin }
  /** A value `Fn::FindInMap` picks from a mapping the template does not make known. */
  | { readonly kind: 'mapping'; readonly name: string }
  /** Where the images should be, the template holds something else: `name` says what. */
  | { readonly kind: 'unreadable'; readonly name: string }
  /** Past a limit of the reader (`name` says which): not checked, and said so. */
  | { readonly kind: 'limit'; readonly name: string }
  | { readonly kind: 'other'; readonly name: string };

export type ValueSegment =
  | { readonly literal: string }
  | { readonly unknown: UnknownOrigin; readonly display: string };

/**
 * Stands in for an unknown part when the literal skeleton is scanned: one digit is valid in a
 * registry host label, a port, a repository path component and a tag, so the skeleton of a
 * well-formed image scans cleanly whatever the unknown turns out to be.
 */
const PLACEHOLDER = '0';

export class ImageValue {
  /** A template that is entirely literal. */
  public static literal(text: string): ImageValue {
    return new ImageValue([{ literal: text }]);
  }

  /** A template that is one unknown part. */
  public static unknown(origin: UnknownOrigin, display: string): ImageValue {
    return new ImageValue([{ unknown: origin, display }]);
  }

  /** Concatenates templates and plain strings, merging adjacent literal text. */
  public static concat(parts: ReadonlyArray<ImageValue | string>): ImageValue {
    const segments: ValueSegment[] = [];
    for (const part of parts) {
      for (const segment of typeof part === 'string' ? [{ literal: part }] : part.segments) {
        const last = segments[segments.length - 1];
        if ('literal' in segment && last && 'literal' in last) {
          segments[segments.length - 1] = { literal: last.literal + segment.literal };
        } else if (!('literal' in segment) || segment.literal.length > 0) {
          segments.push(segment);
        }
      }
    }
    return new ImageValue(segments);
  }

  public readonly segments: readonly ValueSegment[];
  /** `toString()`, computed once: the policy asks for it several times per image. */
  private readonly display: string;

  private constructor(segments: readonly ValueSegment[]) {
    this.segments = segments;
    this.display = segments.length === 1 && 'literal' in segments[0]
      ? segments[0].literal
      : segments.map((s) => ('literal' in s ? s.literal : s.display)).join('');
  }

  /** True when no part is unknown (adjacent literals are merged, so at most one segment). */
  public get isLiteral(): boolean {
    return this.segments.length === 0 || (this.segments.length === 1 && 'literal' in this.segments[0]);
  }

  /** The literal text, when the template has no unknown part. */
  public get literalText(): string | undefined {
    return this.isLiteral ? this.display : undefined;
  }

  /** The unknown parts, in order. */
  public get unknowns(): ReadonlyArray<{ readonly unknown: UnknownOrigin; readonly display: string }> {
    return this.segments.filter((s): s is { unknown: UnknownOrigin; display: string } => 'unknown' in s);
  }

  /** The image as the user wrote it, unknown parts shown as `<account>`, `<param:Tag>` and so on. */
  public toString(): string {
    return this.display;
  }

  /** The literal text after the last unknown part (all of it for a literal template). */
  public get literalSuffix(): string {
    const last = this.segments[this.segments.length - 1];
    return last && 'literal' in last ? last.literal : '';
  }

  /** The literal text before the first unknown part (all of it for a literal template). */
  public get literalPrefix(): string {
    const first = this.segments[0];
    return first && 'literal' in first ? first.literal : '';
  }

  /**
   * The text with every unknown part replaced by a placeholder, and a function that maps an
   * index in that text back to an index in `toString()`.
   */
  public skeleton(): { readonly text: string; readonly toDisplayIndex: (index: number) => number } {
    if (this.isLiteral) {
      return { text: this.toString(), toDisplayIndex: identity };
    }
    const starts: Array<{ skeleton: number; display: number; displayLength: number; literal: boolean }> = [];
    let text = '';
    let display = 0;
    for (const segment of this.segments) {
      const displayLength = 'literal' in segment ? segment.literal.length : segment.display.length;
      starts.push({ skeleton: text.length, display, displayLength, literal: 'literal' in segment });
      text += 'literal' in segment ? segment.literal : PLACEHOLDER;
      display += displayLength;
    }
    const toDisplayIndex = (index: number): number => {
      for (let i = starts.length - 1; i >= 0; i--) {
        const start = starts[i];
        if (index >= start.skeleton) {
          if (start.literal) {
            return start.display + (index - start.skeleton);
          }
          // On the placeholder: the unknown's start; just past it (the end of the text): its end.
          return index === start.skeleton ? start.display : start.display + start.displayLength;
        }
      }
      return index;
    };
    return { text, toDisplayIndex };
  }
}

function identity(index: number): number {
  return index;
}
