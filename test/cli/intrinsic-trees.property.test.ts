import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { removeTemporaryDirectories, temporaryDirectory } from './cli-process';
import { compileOptions } from '../../src/check/check-settings';
import { scan } from '../../src/cli/scan';

// Property (issue 9, section 3): random trees of intrinsic functions (Fn::If, Fn::Join,
// Fn::Select, Fn::Sub, Ref, nested) around known image strings, put into templates and scanned.
// For every container, the scan judges each image the tree can literally evaluate to, or says
// that it could not (an unresolved image, a limit of the reader); it never reports fewer images
// than the tree holds literally.

afterAll(removeTemporaryDirectories);

const DIGEST = `sha256:${'5e'.repeat(32)}`;
const IMAGES = ['nginx:1.27.3', 'busybox:latest', 'redis', `ghcr.io/acme/app@${DIGEST}`, 'public.ecr.aws/acme/web:2.0.1', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v3'];

/** A tree and what it can evaluate to: a literal image, or null for a value only known at deploy time. */
interface Tree {
  readonly node: unknown;
  readonly values: ReadonlyArray<string | null>;
}

const PARAMETERS = {
  Allowed: { Type: 'String', AllowedValues: ['nginx:1.27.3', 'busybox:latest'] },
  WithDefault: { Type: 'String', Default: 'redis:7.2.4' },
  Free: { Type: 'String' },
};
const PARAMETER_VALUES: Record<keyof typeof PARAMETERS, Array<string | null>> = {
  Allowed: ['nginx:1.27.3', 'busybox:latest'],
  WithDefault: ['redis:7.2.4', null],
  Free: [null],
};

/** A piece of text, written as a literal or wrapped in a function that evaluates to it. */
const piece = (text: string): fc.Arbitrary<unknown> =>
  fc.constantFrom<unknown>(text, { 'Fn::Sub': text.replace(/\$\{/g, '${!') }, { 'Fn::Join': ['', [text]] }, { 'Fn::Select': [0, [text, 'decoy:latest']] }, { 'Fn::Select': [1, ['decoy', text]] });

/** A tree that evaluates to exactly `image`: the image cut into pieces, joined by Fn::Join or Fn::Sub. */
const exactly = (image: string): fc.Arbitrary<Tree> =>
  fc.uniqueArray(fc.integer({ min: 1, max: image.length - 1 }), { maxLength: 2 }).chain((cuts) => {
    const bounds = [0, ...cuts.sort((a, b) => a - b), image.length];
    const texts = bounds.slice(1).map((end, i) => image.slice(bounds[i], end));
    return fc.tuple(fc.tuple(...texts.map(piece)), fc.boolean()).map(([pieces, bySub]) => {
      if (pieces.length === 1) return { node: pieces[0], values: [image] };
      const node = bySub
        ? { 'Fn::Sub': [pieces.map((_, i) => `\${P${i}}`).join(''), Object.fromEntries(pieces.map((p, i) => [`P${i}`, p]))] }
        : { 'Fn::Join': ['', pieces] };
      return { node, values: [image] };
    });
  });

const trees = fc.letrec<{ image: Tree; exact: Tree; choice: Tree; select: Tree; parameter: Tree }>((tie) => ({
  image: fc.oneof({ maxDepth: 3 }, tie('exact'), tie('choice'), tie('select'), tie('parameter')),
  exact: fc.constantFrom(...IMAGES).chain(exactly),
  choice: fc.tuple(tie('image'), tie('image')).map(([a, b]) => ({ node: { 'Fn::If': ['IsProd', a.node, b.node] }, values: [...a.values, ...b.values] })),
  select: fc.tuple(fc.array(tie('image'), { minLength: 1, maxLength: 3 }), fc.nat()).map(([items, n]) => {
    const i = n % items.length;
    return { node: { 'Fn::Select': [i, items.map((t) => t.node)] }, values: items[i].values };
  }),
  parameter: fc.tuple(fc.constantFrom(...(Object.keys(PARAMETERS) as Array<keyof typeof PARAMETERS>)), fc.boolean()).map(([name, bySub]) => ({
    node: bySub ? { 'Fn::Sub': `\${${name}}` } : { Ref: name },
    values: PARAMETER_VALUES[name],
  })),
})).image;

/** Where the tree sits: the image itself, or inside an Fn::If around the container or around the list. */
const placement = fc.constantFrom('image', 'around-container', 'around-list');

function containerDefinitions(name: string, tree: Tree, where: string, other: Tree): { definitions: unknown; values: ReadonlyArray<string | null> } {
  const container = (t: Tree) => ({ Name: name, Image: t.node });
  switch (where) {
    case 'around-container':
      return { definitions: [{ 'Fn::If': ['IsProd', container(tree), container(other)] }], values: [...tree.values, ...other.values] };
    case 'around-list':
      return { definitions: { 'Fn::If': ['IsProd', [container(tree)], [container(other)]] }, values: [...tree.values, ...other.values] };
    default:
      return { definitions: [container(tree)], values: tree.values };
  }
}

describe('property: the scan judges every image an intrinsic tree can take, or says it cannot', () => {
  test('random trees around known images, in templates, scanned', () => {
    const settings = compileOptions();
    fc.assert(
      fc.property(fc.array(fc.tuple(trees, placement, trees), { minLength: 1, maxLength: 3 }), (containers) => {
        const dir = temporaryDirectory('image-pinning-property-');
        const expected = new Map<string, ReadonlyArray<string | null>>();
        const resources: Record<string, unknown> = {};
        containers.forEach(([tree, where, other], i) => {
          const { definitions, values } = containerDefinitions(`c${i}`, tree, where, other);
          expected.set(`c${i}`, values);
          resources[`Task${i}`] = { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: definitions } };
        });
        const template = {
          Parameters: PARAMETERS,
          Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Free' }, 'prod'] } },
          Resources: resources,
        };
        fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template, undefined, 1));
        const result = scan(['template.json'], { settings, cwd: dir });
        expect(result.problems).toEqual([]);
        for (const [name, values] of expected) {
          const found = result.images.filter((i) => i.container === name).map((i) => i.finding.image);
          const literal = new Set(values.filter((v): v is string => v !== null));
          const limited = found.some((image) => image.includes('more than'));
          // Each literal image is judged (under its own text), unless a limit of the reader says so.
          for (const image of literal) {
            if (!limited) expect(found).toContain(image);
          }
          // What only deployment decides is shown as such, never dropped.
          if (values.includes(null)) expect(found.some((image) => image.includes('<'))).toBe(true);
          expect(found.length).toBeGreaterThanOrEqual(limited ? 1 : literal.size);
        }
      }),
      { numRuns: 150 },
    );
  });
});
