import { ImageValue } from '../../src/value/image-value';
import { nameBeforeUnknownTag, readReference } from '../../src/value/partial-reference';

/** An image value from literal text and `[name]` unknown parts, shown as `<name>`. */
const value = (...segments: Array<string | [string]>) =>
  ImageValue.concat(segments.map((s) => (typeof s === 'string' ? s : ImageValue.unknown({ kind: 'other', name: s[0] }, `<${s[0]}>`))));

describe('readReference: the parts of a partly known reference', () => {
  test.each<[string, Array<string | [string]>, object]>([
    ['a literal Docker Hub name, normalized', ['nginx:1.27.3'], { registry: 'docker.io', repository: 'library/nginx', tag: '1.27.3', name: 'docker.io/library/nginx', writtenName: 'nginx' }],
    ['a literal ECR name', ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1'], { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'app', tag: 'v1' }],
    ['a partly known registry', [['account'], '.dkr.ecr.', ['region'], '.amazonaws.com/app:v1'], { registry: '<account>.dkr.ecr.<region>.amazonaws.com', repository: 'app', tag: 'v1', name: '<account>.dkr.ecr.<region>.amazonaws.com/app', writtenName: undefined }],
    ['a partly known repository on Docker Hub', ['team/', ['name'], ':v1'], { registry: 'docker.io', repository: 'team/<name>', tag: 'v1' }],
    ['a name that is unknown from its start', [['import'], ':v1'], { registry: undefined, repository: undefined, tag: 'v1' }],
    ['an unknown first component followed by a path', [['host'], '/app:v1'], { registry: undefined, repository: undefined, tag: 'v1' }],
    ['a digest', [`app@sha256:${'ab'.repeat(32)}`], { registry: 'docker.io', repository: 'library/app', tag: undefined, digest: `sha256:${'ab'.repeat(32)}` }],
  ])('%s', (_title, segments, expected) => {
    const read = readReference(value(...segments));
    expect(read.ok).toBe(true);
    expect(read.ok && read.parts).toMatchObject({ digest: undefined, ...expected });
  });

  test('the parsed reference is given only when the whole image is literal', () => {
    const literal = readReference(value('nginx:1.27.3'));
    expect(literal.ok && literal.parts.reference?.toString()).toBe('docker.io/library/nginx:1.27.3');
    const partly = readReference(value('nginx:', ['tag'], '-x'));
    expect(partly.ok && partly.parts.reference).toBeUndefined();
  });

  test('an error is positioned in the displayed text, after an unknown part', () => {
    // '<account>' is 9 characters shown for one in the skeleton: the 'A' is the 11th displayed character.
    const read = readReference(value(['account'], '/App:1'));
    expect(read).toEqual({ ok: false, message: expect.stringMatching(/uppercase letter 'A'.*\(position 11\)$/) });
  });
});

describe('nameBeforeUnknownTag: the name of an image whose tag or digest is unknown', () => {
  test.each<[string, Array<string | [string]>, string | undefined]>([
    ['a tag from a parameter', ['nginx:', ['Tag']], 'docker.io/library/nginx'],
    ['a digest from a parameter', ['app@', ['Digest']], 'docker.io/library/app'],
    ['an ECR name with unknown parts', [['account'], '.dkr.ecr.', ['region'], '.amazonaws.com/base:', ['Tag']], '<account>.dkr.ecr.<region>.amazonaws.com/base'],
    ['no separator before the unknown part', ['nginx', ['Suffix']], undefined],
    ['only an unknown part', [['Image']], undefined],
  ])('%s', (_title, segments, name) => {
    expect(nameBeforeUnknownTag(value(...segments))?.name).toBe(name);
  });
});
