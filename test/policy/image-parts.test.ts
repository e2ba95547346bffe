import { ImagePinningPolicy } from '../../src';
import { ImageTemplate } from '../../src/template/image-template';

const policy = new ImagePinningPolicy();
const parts = (...segments: Array<string | [string]>) => {
  const template = ImageTemplate.concat(segments.map((s) => (typeof s === 'string' ? s : ImageTemplate.unknown({ kind: 'other', name: s[0] }, `<${s[0]}>`))));
  const v = policy._evaluateTemplate(template);
  return { registry: v.registry, repository: v.repository, tag: v.tag, digest: v.digest };
};

describe('registry and repository on the verdict', () => {
  test.each<[string, Array<string | [string]>, object]>([
    ['a literal Docker Hub name, normalized', ['nginx:1.27.3'], { registry: 'docker.io', repository: 'library/nginx', tag: '1.27.3' }],
    ['a literal ECR name', ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1'], { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'app', tag: 'v1' }],
    ['a partly known registry', [['account'], '.dkr.ecr.', ['region'], '.amazonaws.com/app:v1'], { registry: '<account>.dkr.ecr.<region>.amazonaws.com', repository: 'app', tag: 'v1' }],
    ['a partly known repository on Docker Hub', ['team/', ['name'], ':v1'], { registry: 'docker.io', repository: 'team/<name>', tag: 'v1' }],
    ['a name that is unknown from its start', [['import'], ':v1'], { registry: undefined, repository: undefined, tag: 'v1' }],
    ['an unknown first component followed by a path', [['host'], '/app:v1'], { registry: undefined, repository: undefined, tag: 'v1' }],
  ])('%s', (_title, segments, expected) => {
    expect(parts(...segments)).toEqual({ registry: undefined, repository: undefined, tag: undefined, digest: undefined, ...expected });
  });
});
