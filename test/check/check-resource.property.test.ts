import * as fc from 'fast-check';
import { templateContext } from '../../src/cfn/cloud-template';
import { checkResource } from '../../src/check/check-resource';
import { compileOptions } from '../../src/check/check-settings';

/**
 * Random CloudFormation intrinsic trees (Fn::If, Fn::Join, Fn::Select, Fn::Sub, Ref, nesting)
 * around known image strings, as the image of one container. Whatever the tree, the check must
 * judge each literal image the tree can yield, or report the image unresolved: it never yields
 * fewer findings than the tree holds literal images, and never loses a known image silently.
 */
const KNOWN = ['nginx:1.27.3', 'nginx:latest', 'busybox', 'ghcr.io/x/app:2.4.1', 'redis:7.2.4', `app@sha256:${'ab'.repeat(32)}`];

interface Tree {
  readonly value: unknown;
  /** The known images a value of the tree can be exactly, when the whole value is one of them. */
  readonly images: readonly string[];
}

const leaf: fc.Arbitrary<Tree> = fc.constantFrom(...KNOWN).map((image) => ({ value: image, images: [image] }));
const unknownLeaf: fc.Arbitrary<Tree> = fc.constantFrom<unknown>({ Ref: 'Param' }, { 'Fn::GetAtt': ['R', 'Uri'] }, { 'Fn::ImportValue': 'x' }).map((value) => ({ value, images: [] }));

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    unknownLeaf,
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({ value: { 'Fn::If': ['C', a.value, b.value] }, images: [...a.images, ...b.images] })),
    // A join of one part is the part itself.
    tie('node').map((a) => ({ value: { 'Fn::Join': ['', [a.value]] }, images: a.images })),
    // Select picks one element of a literal list.
    fc.tuple(tie('node'), leaf).map(([a, b]) => ({ value: { 'Fn::Select': [0, [a.value, b.value]] }, images: a.images })),
    // Sub with a variable that is the whole string.
    tie('node').map((a) => ({ value: { 'Fn::Sub': ['${V}', { V: a.value }] }, images: a.images })),
  ),
})).node;

describe('the check never yields fewer images than the tree holds', () => {
  const settings = compileOptions();
  const context = templateContext({ Parameters: { Param: { Type: 'String' } } });

  test('each literal image is judged, and unknown values are reported unresolved', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const findings = checkResource('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Name: 'app', Image: t.value }] }, context, settings);
        expect(findings.length).toBeGreaterThan(0);
        const limit = findings.some((f) => f.value.unknowns.some((u) => u.unknown.kind === 'limit'));
        if (limit) {
          // Past a limit: one finding that says so, unresolved, never a silent pass.
          expect(findings.map((f) => f.reason)).toEqual(['UNRESOLVED']);
          return;
        }
        // Each known image the tree can be is judged as that image: never fewer findings than it holds.
        const judged = new Set(findings.map((f) => f.image));
        for (const image of t.images) expect(judged).toContain(image);
        expect(findings.length).toBeGreaterThanOrEqual(new Set(t.images).size);
        // What is not literal is reported unresolved.
        for (const f of findings.filter((x) => !x.value.isLiteral)) expect(f.reason).toBe('UNRESOLVED');
      }),
      { numRuns: 500 },
    );
  });
});
