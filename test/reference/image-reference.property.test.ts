import * as fc from 'fast-check';
import { ImageReference } from '../../src/reference/image-reference';

/*
 * Arbitraries built from the grammar of distribution/reference :
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path
 *   component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := "sha256:" 64 lowercase hex
 */

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = LOWER_ALNUM + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WORD = ALNUM + '_';
const HEX = '0123456789abcdef';

const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(''));

const alnumRun = fc.string({ unit: chars(LOWER_ALNUM), minLength: 1, maxLength: 8 });
const separator = fc.oneof(
  fc.constant('.'),
  fc.constant('_'),
  fc.constant('__'),
  fc.integer({ min: 1, max: 4 }).map((n) => '-'.repeat(n)),
);
const component = fc
  .tuple(alnumRun, fc.array(fc.tuple(separator, alnumRun), { maxLength: 3 }))
  .map(([first, rest]) => first + rest.map(([sep, run]) => sep + run).join(''));
const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((c) => c.join('/'));

/** `[a-zA-Z0-9]` or `[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`. */
const hostLabel = fc.oneof(
  fc.string({ unit: chars(ALNUM), minLength: 1, maxLength: 1 }),
  fc
    .tuple(chars(ALNUM), fc.string({ unit: chars(ALNUM + '-'), maxLength: 10 }), chars(ALNUM))
    .map(([a, mid, b]) => a + mid + b),
);
const port = fc.integer({ min: 0, max: 65535 }).map((n) => `:${n}`);
const ipv6 = fc
  .array(fc.string({ unit: chars(HEX + 'ABCDEF'), maxLength: 4 }), { minLength: 2, maxLength: 8 })
  .map((groups) => `[${groups.join(':')}]`);

/** Domains that Docker's normalization recognizes as a registry (a '.' or ':', localhost, or uppercase). */
const domain = fc.oneof(
  fc.tuple(fc.array(hostLabel, { minLength: 2, maxLength: 4 }).map((l) => l.join('.')), fc.option(port, { nil: '' })).map(([h, p]) => h + p),
  fc.tuple(fc.constant('localhost'), fc.option(port, { nil: '' })).map(([h, p]) => h + p),
  fc.tuple(hostLabel, port).map(([h, p]) => h + p),
  fc.tuple(ipv6, fc.option(port, { nil: '' })).map(([h, p]) => h + p),
  fc.constantFrom(
    'docker.io',
    'index.docker.io',
    'public.ecr.aws',
    'ghcr.io',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    'Registry.Example.com',
  ),
);

const tag = fc
  .tuple(
    chars(WORD),
    fc.oneof(
      fc.string({ unit: chars(WORD + '.-'), maxLength: 12 }),
      fc.string({ unit: chars(WORD + '.-'), minLength: 100, maxLength: 127 }),
    ),
  )
  .map(([first, rest]) => first + rest);
const digest = fc.string({ unit: chars(HEX), minLength: 64, maxLength: 64 }).map((hex) => `sha256:${hex}`);

interface GeneratedReference {
  readonly domain?: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly text: string;
}

/** Lowercase host names: dot-separated labels of letters, digits and inner '-'. */
const LOWERCASE_HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Without a domain, a first path component with a '.' (or `localhost`) followed by '/' is read as
 * the registry (normalize.go), so it must then also be a valid host: `a_b.c/x` is invalid.
 */
function firstComponentIsUsable(r: { domain?: string; path: string }): boolean {
  const slash = r.path.indexOf('/');
  if (r.domain !== undefined || slash === -1) {
    return true;
  }
  const first = r.path.slice(0, slash);
  return !(first.includes('.') || first === 'localhost') || LOWERCASE_HOST.test(first);
}

const validReference: fc.Arbitrary<GeneratedReference> = fc
  .record({
    domain: fc.option(domain, { nil: undefined }),
    path,
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  .filter(firstComponentIsUsable)
  .map((r) => ({
    ...r,
    text: `${r.domain === undefined ? '' : `${r.domain}/`}${r.path}${r.tag === undefined ? '' : `:${r.tag}`}${r.digest === undefined ? '' : `@${r.digest}`}`,
  }));

/** The normalized registry and repository, from the rules of normalize.go as distribution/reference implements them. */
function expectedName(r: GeneratedReference): { registry: string; repository: string } {
  let registry: string;
  let repository: string;
  if (r.domain !== undefined) {
    registry = r.domain;
    repository = r.path;
  } else {
    const slash = r.path.indexOf('/');
    const first = slash === -1 ? undefined : r.path.slice(0, slash);
    // generated paths are lowercase and colon-free: a first component is a registry if it has a '.' or is localhost
    if (first !== undefined && (first.includes('.') || first === 'localhost')) {
      registry = first;
      repository = r.path.slice(slash + 1);
    } else {
      registry = 'docker.io';
      repository = r.path;
    }
  }
  if (registry === 'index.docker.io') {
    registry = 'docker.io';
  }
  if (registry === 'docker.io' && !repository.includes('/')) {
    repository = `library/${repository}`;
  }
  return { registry, repository };
}

/** Either a reference, or an Error whose message is the documented one. Anything else is rethrown. */
function parseOrError(input: string): ImageReference | Error {
  try {
    return ImageReference.parse(input);
  } catch (e) {
    return e as Error;
  }
}

function expectReferenceOrDocumentedError(input: string): void {
  const result = parseOrError(input);
  if (result instanceof ImageReference) {
    // whatever is accepted has a canonical form that is accepted with the same meaning
    expect(ImageReference.parse(result.toString()).toString()).toBe(result.toString());
    return;
  }
  expect(result).toBeInstanceOf(Error);
  expect(result.constructor).toBe(Error);
  expect(result.message.startsWith('Invalid image reference')).toBe(true);
  const position = /\(position (\d+)\)$/.exec(result.message);
  expect(position).not.toBeNull();
  const n = Number(position![1]);
  expect(n).toBeGreaterThanOrEqual(1);
  expect(n).toBeLessThanOrEqual(input.length + 1);
}

describe('ImageReference.parse: properties', () => {
  test('every reference generated from the grammar parses, with the generated parts', () => {
    fc.assert(
      fc.property(validReference, (r) => {
        const ref = ImageReference.parse(r.text);
        const { registry, repository } = expectedName(r);
        expect(ref.registry).toBe(registry);
        expect(ref.repository).toBe(repository);
        expect(ref.tag).toBe(r.tag);
        expect(ref.digest).toBe(r.digest);
        const canonical = `${registry}/${repository}${r.tag === undefined ? '' : `:${r.tag}`}${r.digest === undefined ? '' : `@${r.digest}`}`;
        expect(ref.toString()).toBe(canonical);
      }),
      { numRuns: 500 },
    );
  });

  test('the canonical form of a valid reference round-trips', () => {
    fc.assert(
      fc.property(validReference, (r) => {
        const once = ImageReference.parse(r.text);
        const twice = ImageReference.parse(once.toString());
        expect(twice.toString()).toBe(once.toString());
        expect(twice.registry).toBe(once.registry);
        expect(twice.repository).toBe(once.repository);
        expect(twice.tag).toBe(once.tag);
        expect(twice.digest).toBe(once.digest);
      }),
      { numRuns: 300 },
    );
  });

  test('a valid reference with one character changed to an uppercase letter in the path is rejected', () => {
    fc.assert(
      fc.property(validReference, fc.nat(), chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ'), (r, at, upper) => {
        // only where the path is unambiguously a path: a registry is present
        fc.pre(r.domain !== undefined);
        const i = at % r.path.length;
        const badPath = r.path.slice(0, i) + upper + r.path.slice(i + 1);
        const input = `${r.domain}/${badPath}${r.tag === undefined ? '' : `:${r.tag}`}`;
        expect(() => ImageReference.parse(input)).toThrow(/^Invalid image reference.*\(position \d+\)$/);
      }),
      { numRuns: 200 },
    );
  });

  test.each<[string, fc.Arbitrary<string>]>([
    ['fc.string()', fc.string({ maxLength: 80 })],
    ["fc.string({ unit: 'binary' })", fc.string({ unit: 'binary', maxLength: 80 })],
    ["fc.string({ unit: 'binary-ascii' })", fc.string({ unit: 'binary-ascii', maxLength: 80 })],
    ['grammar characters', fc.string({ unit: chars(ALNUM + '._-/:@[]'), maxLength: 80 })],
    ['grammar characters, weighted towards separators', fc.string({ unit: chars('ab0.._--//::@@[]A'), maxLength: 40 })],
    ['valid references with a random insertion', fc.tuple(validReference, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }))
      .map(([r, at, extra]) => {
        const i = at % (r.text.length + 1);
        return r.text.slice(0, i) + extra + r.text.slice(i);
      })],
    ['valid references with a random deletion', fc.tuple(validReference, fc.nat(), fc.integer({ min: 1, max: 3 }))
      .map(([r, at, n]) => {
        const i = at % r.text.length;
        return r.text.slice(0, i) + r.text.slice(i + n);
      })],
  ])('parse of %s returns a reference or throws the documented Error', (_title, arbitrary) => {
    fc.assert(fc.property(arbitrary, expectReferenceOrDocumentedError), { numRuns: 300 });
  });

  test('long hostile inputs (a short unit repeated up to 100,000 characters) finish quickly', () => {
    const hostile = fc
      .tuple(
        fc.string({ unit: chars(ALNUM + '._-/:@[]'), maxLength: 3 }),
        fc.string({ unit: chars('ab0._-/:@[]A'), minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1_000, max: 100_000 }),
        fc.string({ unit: chars(ALNUM + '._-/:@[]'), maxLength: 3 }),
      )
      .map(([prefix, unit, length, suffix]) => prefix + unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + suffix);
    fc.assert(
      fc.property(hostile, (input) => {
        const start = process.hrtime.bigint();
        const result = parseOrError(input);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        expect(ms).toBeLessThan(500);
        if (result instanceof Error) {
          expect(result.message.startsWith('Invalid image reference')).toBe(true);
          expect(result.message.length).toBeLessThan(1_000);
        }
      }),
      { numRuns: 40 },
    );
  });
});
