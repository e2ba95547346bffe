import { evaluateAlternatives, evaluateIntrinsic } from '../../src/cfn/intrinsics';
import { EMPTY_CONTEXT, ParameterDeclaration, TemplateContext } from '../../src/cfn/template-context';
import { isStackAssetImage } from '../../src/check/asset-image';
import { ImagePinningPolicy } from '../../src/policy/image-pinning-policy';
import { ImageVerdict, PinningReason } from '../../src/policy/image-verdict';
import { PinningLevel, UnresolvedImageAction } from '../../src/policy/pinning-level';
import { ImagePinningPolicyProps } from '../../src/policy/policy-options';
import { ImageValue } from '../../src/value/image-value';
import { reportedAs } from '../support/outcome';

/*
 * The CloudFormation shapes aws-cdk-lib renders for ContainerDefinitions[].Image ,
 * read by evaluateIntrinsic and judged by the policy.
 */

const HEX64 = '0123456789abcdef'.repeat(4);
const DIGEST = `sha256:${HEX64}`;
const ASSET_HASH = 'a1b2c3d4e5f6'.repeat(6).slice(0, 64);

const ACCOUNT = { Ref: 'AWS::AccountId' };
const REGION = { Ref: 'AWS::Region' };
const URL_SUFFIX = { Ref: 'AWS::URLSuffix' };

/** A template declaring these parameters. */
function contextWith(parameters: Record<string, ParameterDeclaration>): TemplateContext {
  return {
    parameter: (id) => parameters[id],
    // The stack's synthesizer pushes container assets here (the default, a custom qualifier, the legacy synthesizer).
    assetRepositories: () => ({
      names: ['cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}', 'cdk-myqualif-container-assets-${AWS::AccountId}-${AWS::Region}', 'aws-cdk/assets'],
    }),
  };
}

const CONTEXT = contextWith({
  ImageTag: { type: 'String' },
  ImageDigest: { type: 'String', default: DIGEST },
  DigestParam: { type: 'String' },
  Env: { type: 'String', allowedValues: ['prod', 'dev'] },
  FluentBitLatest: { type: 'AWS::SSM::Parameter::Value<String>', default: '/aws/service/aws-for-fluent-bit/latest' },
  FluentBitStable: { type: 'AWS::SSM::Parameter::Value<String>', default: '/aws/service/aws-for-fluent-bit/stable' },
  FluentBitVersion: { type: 'AWS::SSM::Parameter::Value<String>', default: '/aws/service/aws-for-fluent-bit/2.32.0' },
  OtherSsm: { type: 'AWS::SSM::Parameter::Value<String>', default: '/my/images/app/latest' },
  SsmNoDefault: { type: 'AWS::SSM::Parameter::Value<String>' },
});

/** `Fn::Select [i, Fn::Split [":", Fn::GetAtt [Repo, Arn]]]`: how aws-cdk-lib reads a repository's account or region. */
function arnField(index: number, repo = 'Repo') {
  return { 'Fn::Select': [index, { 'Fn::Split': [':', { 'Fn::GetAtt': [repo, 'Arn'] }] }] };
}

/** `repo.repositoryUriForTag(...)` / `repositoryUriForDigest(...)`: a Join over the ARN fields. */
function ecrImage(...rest: unknown[]) {
  return { 'Fn::Join': ['', [arnField(4), '.dkr.ecr.', arnField(3), '.', URL_SUFFIX, '/', { Ref: 'Repo' }, ...rest]] };
}

/** `Repository.fromRepositoryName(scope, id, name)` in the same stack: account and region are pseudo parameters. */
function namedEcrImage(name: string, ...rest: unknown[]) {
  return { 'Fn::Join': ['', [ACCOUNT, '.dkr.ecr.', REGION, '.', URL_SUFFIX, `/${name}`, ...rest]] };
}

const ECR_DISPLAY = '<account>.dkr.ecr.<region>.<urlsuffix>/<ref:Repo>';

/** The verdict on each value `value` can take. */
type Judged = Array<{ verdict: ImageVerdict; when: string }>;
function judgeEach(value: unknown, props: ImagePinningPolicyProps = {}, context: TemplateContext = CONTEXT): Judged {
  const policy = new ImagePinningPolicy(props);
  // What the check tells the policy about each value, as check-resource.ts does.
  const judgeValue = (v: ImageValue) => policy._evaluateValue(v, { stackAssetImage: isStackAssetImage(v, context) });
  return evaluateAlternatives(value, context).map((a) => ({ verdict: judgeValue(a.value), when: a.when.join(' and ') }));
}

/** The verdict on a value that can take one value only. */
function judge(value: unknown, props: ImagePinningPolicyProps = {}, context: TemplateContext = CONTEXT): ImageVerdict {
  const [only, ...more] = judgeEach(value, props, context);
  expect(more).toEqual([]);
  return only.verdict;
}

describe('evaluateIntrinsic', () => {
  test('a plain string is literal', () => {
    const template = evaluateIntrinsic('nginx:1.27.3');
    expect(template.isLiteral).toBe(true);
    expect(template.literalText).toBe('nginx:1.27.3');
    expect(template.toString()).toBe('nginx:1.27.3');
  });

  test('numbers and booleans are literal text', () => {
    expect(evaluateIntrinsic(42).literalText).toBe('42');
    expect(evaluateIntrinsic(true).literalText).toBe('true');
  });

  test('a Join over literals is literal', () => {
    const template = evaluateIntrinsic({ 'Fn::Join': ['/', ['registry.example.com', 'team', 'app:1.0']] });
    expect(template.isLiteral).toBe(true);
    expect(template.literalText).toBe('registry.example.com/team/app:1.0');
  });

  test('the ECR repository shape shows the account, region and URL suffix readably', () => {
    const template = evaluateIntrinsic(ecrImage(':latest'), CONTEXT);
    expect(template.isLiteral).toBe(false);
    expect(template.literalText).toBeUndefined();
    expect(template.toString()).toBe(`${ECR_DISPLAY}:latest`);
    expect(template.literalSuffix).toBe(':latest');
    expect(template.unknowns.map((u) => u.display)).toEqual(['<account>', '<region>', '<urlsuffix>', '<ref:Repo>']);
  });

  test.each<[string, unknown, string]>([
    ['pseudo parameters', { 'Fn::Join': ['', [{ Ref: 'AWS::Partition' }, ':', { Ref: 'AWS::StackName' }]] }, '<partition>:<stack-name>'],
    ['an unknown pseudo parameter', { Ref: 'AWS::NotificationARNs' }, '<AWS::NotificationARNs>'],
    ['a template parameter', { Ref: 'ImageTag' }, '<param:ImageTag>'],
    ['a resource', { Ref: 'Repo' }, '<ref:Repo>'],
    ['an SSM parameter with a default name', { Ref: 'FluentBitLatest' }, '<ssm:/aws/service/aws-for-fluent-bit/latest>'],
    ['an SSM parameter without a default', { Ref: 'SsmNoDefault' }, '<ssm-param:SsmNoDefault>'],
    ['an attribute', { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] }, '<Repo.RepositoryUri>'],
    ['an attribute in dotted form', { 'Fn::GetAtt': 'Repo.RepositoryUri' }, '<Repo.RepositoryUri>'],
    ['an import', { 'Fn::ImportValue': 'RepoUri' }, '<import:RepoUri>'],
    ['an import with a computed name', { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-RepoUri' } }, '<import>'],
    ['an import with a literal Sub name', { 'Fn::ImportValue': { 'Fn::Sub': 'Shared-RepoUri' } }, '<import:Shared-RepoUri>'],
    ['Fn::If', { 'Fn::If': ['UseProd', 'nginx:1.0', 'nginx:2.0'] }, '<if:UseProd>'],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'web'] }, '<map:Images>'],
    ['an unknown function', { 'Fn::Base64': 'nginx' }, '<Fn::Base64>'],
    ['a malformed Join', { 'Fn::Join': ['', 'nginx'] }, '<Fn::Join>'],
    ['a malformed Ref', { Ref: ['x'] }, '<Ref>'],
    ['an object with two keys', { a: 1, b: 2 }, '<object>'],
    ['null', null, '<empty>'],
    ['a list', ['nginx'], '<list>'],
    ['Select from a literal list', { 'Fn::Select': [1, ['a', 'nginx:1.0']] }, 'nginx:1.0'],
    ['Select out of range', { 'Fn::Select': [5, ['a']] }, '<Fn::Select>'],
    ['Select over a literal Split', { 'Fn::Select': [1, { 'Fn::Split': ['|', 'a|nginx:1.0|b'] }] }, 'nginx:1.0'],
    ['Select of a non-ARN field of an unknown', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Repo', 'Arn'] }] }] }, '<Fn::Select>'],
  ])('%s', (_title, value, display) => {
    expect(evaluateIntrinsic(value, CONTEXT).toString()).toBe(display);
  });

  test('an unknown Ref without context is shown as a resource reference', () => {
    expect(evaluateIntrinsic({ Ref: 'ImageTag' }, EMPTY_CONTEXT).toString()).toBe('<ref:ImageTag>');
    expect(evaluateIntrinsic({ Ref: 'ImageTag' }).toString()).toBe('<ref:ImageTag>');
  });

  describe('Fn::Sub', () => {
    test('pseudo parameters in the asset string', () => {
      const template = evaluateIntrinsic({
        'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${ASSET_HASH}`,
      });
      expect(template.toString()).toBe(
        `<account>.dkr.ecr.<region>.<urlsuffix>/cdk-hnb659fds-container-assets-<account>-<region>:${ASSET_HASH}`,
      );
    });

    test('"${!Literal}" writes "${Literal}" verbatim', () => {
      const template = evaluateIntrinsic({ 'Fn::Sub': 'app:${!Tag}' });
      expect(template.isLiteral).toBe(true);
      expect(template.literalText).toBe('app:${Tag}');
    });

    test('a variables map supplies literal values', () => {
      const template = evaluateIntrinsic({
        'Fn::Sub': ['${Registry}/app:${Tag}', { Registry: 'public.ecr.aws/acme', Tag: '1.2.3' }],
      });
      expect(template.isLiteral).toBe(true);
      expect(template.literalText).toBe('public.ecr.aws/acme/app:1.2.3');
    });

    test('a variables map may hold intrinsics', () => {
      const template = evaluateIntrinsic(
        { 'Fn::Sub': ['${Uri}:${Tag}', { Uri: { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] }, Tag: { Ref: 'ImageTag' } }] },
        CONTEXT,
      );
      expect(template.toString()).toBe('<Repo.RepositoryUri>:<param:ImageTag>');
    });

    test('a variable without a map entry is a Ref or, with a dot, a GetAtt', () => {
      expect(evaluateIntrinsic({ 'Fn::Sub': '${Repo.RepositoryUri}:${ImageTag}' }, CONTEXT).toString()).toBe(
        '<Repo.RepositoryUri>:<param:ImageTag>',
      );
    });

    test('an escape next to a variable', () => {
      const template = evaluateIntrinsic({ 'Fn::Sub': ['${Name}:${!Tag}-${Tag}', { Name: 'nginx', Tag: '1' }] });
      expect(template.literalText).toBe('nginx:${Tag}-1');
    });

    test('an unterminated "${" is literal text', () => {
      expect(evaluateIntrinsic({ 'Fn::Sub': 'nginx:${Tag' }).literalText).toBe('nginx:${Tag');
    });
  });

  test('never throws, even on malformed input', () => {
    const inputs: unknown[] = [
      undefined, null, {}, [], { 'Fn::Join': null }, { 'Fn::Join': ['', [null, undefined, {}]] },
      { 'Fn::Sub': [] }, { 'Fn::Sub': [42] }, { 'Fn::Select': 'x' }, { 'Fn::Select': [-1, ['a']] },
      { 'Fn::Select': [{ Ref: 'X' }, ['a']] }, { 'Fn::Select': [0, { 'Fn::Split': [1, 'a'] }] },
      { 'Fn::GetAtt': [1, 2] }, { 'Fn::ImportValue': null }, { 'Fn::If': null }, { 'Fn::FindInMap': 'x' },
      { Ref: null }, Symbol('x'), () => 'nginx',
    ];
    for (const input of inputs) {
      expect(() => evaluateIntrinsic(input, CONTEXT).toString()).not.toThrow();
    }
  });
});

describe('the policy on rendered shapes', () => {
  test('fromEcrRepository(repo): Join ending ":latest" is MOVING_TAG', () => {
    const verdict = judge(ecrImage(':latest'));
    expect(verdict.image).toBe(`${ECR_DISPLAY}:latest`);
    expect(verdict.reason).toBe(PinningReason.MOVING_TAG);
    expect(verdict.compliant).toBe(false);
    expect(reportedAs(verdict)).toBe('error');
    expect(verdict.message).toContain(`${ECR_DISPLAY}:latest`);
    expect(verdict.fix).toEqual(expect.any(String));
    expect(verdict.tag).toBe('latest');
    expect(verdict.name).toBe(ECR_DISPLAY);
    expect(verdict.reference).toBeUndefined();
  });

  test.each<[string, unknown[], PinningReason, PinningReason, PinningReason]>([
    ['a version tag', [':v1.2.3'], PinningReason.PINNED_TAG, PinningReason.PINNED_TAG, PinningReason.NO_DIGEST],
    ['a release line tag', [':2'], PinningReason.PINNED_TAG, PinningReason.FLOATING_TAG, PinningReason.NO_DIGEST],
    ['a digest', [`@${DIGEST}`], PinningReason.PINNED_DIGEST, PinningReason.PINNED_DIGEST, PinningReason.PINNED_DIGEST],
    ['a bad digest', ['@sha256:abc'], PinningReason.INVALID_REFERENCE, PinningReason.INVALID_REFERENCE, PinningReason.INVALID_REFERENCE],
    ['no tag', [], PinningReason.UNRESOLVED, PinningReason.UNRESOLVED, PinningReason.UNRESOLVED],
    ['a parameter tag', [':', { Ref: 'ImageTag' }], PinningReason.UNRESOLVED, PinningReason.UNRESOLVED, PinningReason.UNRESOLVED],
    ['a parameter digest', ['@', { Ref: 'DigestParam' }], PinningReason.UNRESOLVED, PinningReason.UNRESOLVED, PinningReason.UNRESOLVED],
  ])('fromEcrRepository(repo, %s) at TAG, VERSION, DIGEST', (_title, rest, atTag, atVersion, atDigest) => {
    expect(judge(ecrImage(...rest), { level: PinningLevel.TAG }).reason).toBe(atTag);
    expect(judge(ecrImage(...rest), { level: PinningLevel.VERSION }).reason).toBe(atVersion);
    expect(judge(ecrImage(...rest), { level: PinningLevel.DIGEST }).reason).toBe(atDigest);
  });

  test('TagParameterContainerImage: Join ending ":", {Ref: Param} is UNRESOLVED', () => {
    const verdict = judge(ecrImage(':', { Ref: 'ImageTag' }));
    expect(verdict.image).toBe(`${ECR_DISPLAY}:<param:ImageTag>`);
    expect(verdict.reason).toBe(PinningReason.UNRESOLVED);
    expect(verdict.compliant).toBe(false);
    expect(reportedAs(verdict)).toBe('warning');
    expect(verdict.message).toContain('<param:ImageTag>');
    expect(verdict.fix).toEqual(expect.any(String));
  });

  test('TagParameterContainerImage with isImageDigest: Join ending "@", {Ref: Param} is UNRESOLVED; its default is judged too', () => {
    const [byDefault, passed] = judgeEach(ecrImage('@', { Ref: 'ImageDigest' }));
    expect(passed.verdict.image).toBe(`${ECR_DISPLAY}@<param:ImageDigest>`);
    expect(passed.verdict.reason).toBe(PinningReason.UNRESOLVED);
    expect(passed.when).toBe('parameter ImageDigest is passed at deploy time');
    expect(byDefault.verdict.reason).toBe(PinningReason.PINNED_DIGEST);
    expect(byDefault.when).toBe(`parameter ImageDigest keeps its default "${DIGEST}"`);
  });

  test.each<[UnresolvedImageAction, string]>([
    [UnresolvedImageAction.WARN, 'warning'],
    [UnresolvedImageAction.ERROR, 'error'],
    [UnresolvedImageAction.IGNORE, 'none'],
  ])('an unresolved tag with unresolvedImages %s is reported as %s', (unresolvedImages, severity) => {
    expect(reportedAs(judge(ecrImage(':', { Ref: 'ImageTag' }), { unresolvedImages }), unresolvedImages)).toBe(severity);
  });

  test('Repository.fromRepositoryName + tag: Join ending "/my-repo:v2"', () => {
    const verdict = judge(namedEcrImage('my-repo:v2'));
    expect(verdict.image).toBe('<account>.dkr.ecr.<region>.<urlsuffix>/my-repo:v2');
    expect(verdict.reason).toBe(PinningReason.PINNED_TAG);
    expect(verdict.name).toBe('<account>.dkr.ecr.<region>.<urlsuffix>/my-repo');
  });

  test('fromAsset: the Fn::Sub asset string is an ASSET', () => {
    const verdict = judge({
      'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${ASSET_HASH}`,
    });
    expect(verdict.reason).toBe(PinningReason.ASSET);
    expect(verdict.compliant).toBe(true);
    expect(verdict.fix).toBeUndefined();
    expect(verdict.image).toContain('cdk-hnb659fds-container-assets-<account>-<region>');
  });

  test('the same asset string in a repository the stack does not push assets to is a tag (NO_DIGEST at DIGEST)', () => {
    const verdict = judge(
      { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-other-container-assets-\${AWS::AccountId}-\${AWS::Region}:${ASSET_HASH}` },
      { level: PinningLevel.DIGEST },
    );
    expect(verdict.reason).toBe(PinningReason.NO_DIGEST);
    expect(judge({ 'Fn::Sub': `ghcr.io/evil/cdk-hnb659fds-container-assets-1-2:${ASSET_HASH}` }, { level: PinningLevel.DIGEST }).reason).toBe(PinningReason.NO_DIGEST);
  });

  test('fromAsset with a custom qualifier is an ASSET', () => {
    const verdict = judge({
      'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-myqualif-container-assets-\${AWS::AccountId}-\${AWS::Region}:${ASSET_HASH}`,
    });
    expect(verdict.reason).toBe(PinningReason.ASSET);
  });

  test('fromAsset with the legacy synthesizer: Join ending "/aws-cdk/assets:<hash>" is an ASSET', () => {
    expect(judge(namedEcrImage(`aws-cdk/assets:${ASSET_HASH}`)).reason).toBe(PinningReason.ASSET);
  });

  test('an asset at DIGEST: ASSET by default, NO_DIGEST with allowAssetImages: false', () => {
    const asset = {
      'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${ASSET_HASH}`,
    };
    expect(judge(asset, { level: PinningLevel.DIGEST }).reason).toBe(PinningReason.ASSET);
    const verdict = judge(asset, { level: PinningLevel.DIGEST, allowAssetImages: false });
    expect(verdict.reason).toBe(PinningReason.NO_DIGEST);
    expect(verdict.fix).toEqual(expect.any(String));
  });

  test('an asset-like tag on another repository is not an ASSET', () => {
    expect(judge(namedEcrImage(`my-app:${ASSET_HASH}`), { level: PinningLevel.DIGEST }).reason).toBe(PinningReason.NO_DIGEST);
  });

  describe('SSM parameters', () => {
    test('FireLens: the aws-for-fluent-bit "latest" parameter is MOVING_TAG, with a fix that adds the log router', () => {
      const verdict = judge({ Ref: 'FluentBitLatest' });
      expect(verdict.reason).toBe(PinningReason.MOVING_TAG);
      expect(verdict.compliant).toBe(false);
      expect(reportedAs(verdict)).toBe('error');
      expect(verdict.image).toBe('<ssm:/aws/service/aws-for-fluent-bit/latest>');
      expect(verdict.message).toContain('/aws/service/aws-for-fluent-bit/latest');
      expect(verdict.fix).toContain('addFirelensLogRouter');
    });

    test('a moving SSM parameter stays MOVING_TAG at every level and whatever unresolvedImages says', () => {
      for (const level of [PinningLevel.TAG, PinningLevel.VERSION, PinningLevel.DIGEST]) {
        const verdict = judge({ Ref: 'FluentBitLatest' }, { level, unresolvedImages: UnresolvedImageAction.IGNORE });
        expect(verdict.reason).toBe(PinningReason.MOVING_TAG);
        expect(reportedAs(verdict)).toBe('error');
      }
    });

    test('allowedImages can allow a moving SSM parameter by its displayed name', () => {
      const verdict = judge({ Ref: 'FluentBitLatest' }, { allowedImages: ['<ssm:/aws/service/aws-for-fluent-bit/*>'] });
      expect(verdict.reason).toBe(PinningReason.ALLOWED);
      expect(verdict.compliant).toBe(true);
      expect(judge({ Ref: 'FluentBitLatest' }, { allowedImages: ['<ssm:/aws/service/other/*>'] }).reason).toBe(PinningReason.MOVING_TAG);
    });

    test('any moving tag at the end of the parameter name moves', () => {
      expect(judge({ Ref: 'FluentBitStable' }).reason).toBe(PinningReason.MOVING_TAG);
      expect(judge({ Ref: 'FluentBitLatest' }, { movingTags: ['edge'] }).reason).toBe(PinningReason.UNRESOLVED);
    });

    test('another moving SSM parameter: MOVING_TAG, with a fix that does not mention FireLens', () => {
      const verdict = judge({ Ref: 'OtherSsm' });
      expect(verdict.reason).toBe(PinningReason.MOVING_TAG);
      expect(verdict.fix).not.toContain('addFirelensLogRouter');
      expect(verdict.fix).toContain('/my/images/app/latest');
    });

    test('an SSM parameter named by version is UNRESOLVED', () => {
      const verdict = judge({ Ref: 'FluentBitVersion' });
      expect(verdict.reason).toBe(PinningReason.UNRESOLVED);
      expect(reportedAs(verdict)).toBe('warning');
      expect(verdict.message).toContain('/aws/service/aws-for-fluent-bit/2.32.0');
    });

    test('an SSM parameter without a default name is UNRESOLVED', () => {
      expect(judge({ Ref: 'SsmNoDefault' }).reason).toBe(PinningReason.UNRESOLVED);
    });

    test('an SSM parameter followed by a literal tag is judged by that tag', () => {
      expect(judge({ 'Fn::Join': ['', [{ Ref: 'FluentBitLatest' }, ':1.2.3']] }).reason).toBe(PinningReason.PINNED_TAG);
    });
  });

  test('Fn::ImportValue + ":v1.2.3" is PINNED_TAG', () => {
    const verdict = judge({ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'RepoUri' }, ':v1.2.3']] });
    expect(verdict.image).toBe('<import:RepoUri>:v1.2.3');
    expect(verdict.reason).toBe(PinningReason.PINNED_TAG);
    expect(verdict.compliant).toBe(true);
    expect(verdict.tag).toBe('v1.2.3');
  });

  test('Fn::ImportValue + ":latest" is MOVING_TAG', () => {
    expect(judge({ 'Fn::Join': ['', [{ 'Fn::ImportValue': 'RepoUri' }, ':latest']] }).reason).toBe(PinningReason.MOVING_TAG);
  });

  test('Fn::ImportValue alone is UNRESOLVED', () => {
    expect(judge({ 'Fn::ImportValue': 'ImageUri' }).reason).toBe(PinningReason.UNRESOLVED);
  });

  describe('Fn::Sub', () => {
    test('"${!Literal}" is literal text: the "$" is an invalid tag character', () => {
      const verdict = judge({ 'Fn::Sub': ['${Repo}:${!Literal}', { Repo: 'nginx' }] });
      expect(verdict.image).toBe('nginx:${Literal}');
      expect(verdict.reason).toBe(PinningReason.INVALID_REFERENCE);
      expect(verdict.message).toMatch(/^Invalid image reference/);
      expect(verdict.message).toMatch(/'\$'/);
      expect(verdict.message).toMatch(/\(position 7\)/);
    });

    test('a variables map with literal values gives a fully known image', () => {
      const verdict = judge({ 'Fn::Sub': ['${Registry}/app:${Tag}', { Registry: 'public.ecr.aws/acme', Tag: '1.2.3' }] });
      expect(verdict.reason).toBe(PinningReason.PINNED_TAG);
      expect(verdict.name).toBe('public.ecr.aws/acme/app');
      expect(verdict.reference?.toString()).toBe('public.ecr.aws/acme/app:1.2.3');
    });

    test('a variables map with a moving tag', () => {
      expect(judge({ 'Fn::Sub': ['nginx:${Tag}', { Tag: 'latest' }] }).reason).toBe(PinningReason.MOVING_TAG);
    });

    test('a variables map with a parameter tag is UNRESOLVED', () => {
      const verdict = judge({ 'Fn::Sub': ['nginx:${Tag}', { Tag: { Ref: 'ImageTag' } }] });
      expect(verdict.image).toBe('nginx:<param:ImageTag>');
      expect(verdict.reason).toBe(PinningReason.UNRESOLVED);
      expect(verdict.name).toBe('docker.io/library/nginx');
    });
  });

  test.each<[string, unknown]>([
    ['Fn::FindInMap into a mapping the template does not declare', { 'Fn::FindInMap': ['Images', { Ref: 'AWS::Region' }, 'web'] }],
    ['an unknown function', { 'Fn::Base64': 'nginx' }],
    ['Fn::GetAtt', { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] }],
    ['a resource Ref', { Ref: 'Image' }],
    ['a parameter', { Ref: 'ImageTag' }],
    ['an unknown followed by text without "/", ":" or "@"', { 'Fn::Join': ['', [{ Ref: 'ImageTag' }, '-alpine']] }],
    ['a literal tag prefix followed by an unknown', { 'Fn::Join': ['', ['nginx:1.27', { Ref: 'ImageTag' }]] }],
  ])('%s alone is UNRESOLVED', (_title, value) => {
    const verdict = judge(value);
    expect(verdict.reason).toBe(PinningReason.UNRESOLVED);
    expect(verdict.compliant).toBe(false);
    expect(reportedAs(verdict)).toBe('warning');
  });

  test('an unknown registry followed by a literal tag is judged by the tag', () => {
    expect(judgeEach({ 'Fn::Join': ['', [{ 'Fn::If': ['C', 'a', 'b'] }, ':1.2.3']] }).map((j) => j.verdict.reason)).toEqual([PinningReason.PINNED_TAG, PinningReason.PINNED_TAG]);
    expect(judge({ 'Fn::Join': ['', [{ 'Fn::FindInMap': ['M', 'a', 'b'] }, ':stable']] }).reason).toBe(PinningReason.MOVING_TAG);
    expect(judge({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Repo', 'RepositoryUri'] }]] }).reason).toBe(PinningReason.UNRESOLVED);
    expect(judge({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Repo', 'RepositoryUri'] }, `@${DIGEST}`]] }).reason).toBe(PinningReason.PINNED_DIGEST);
  });

  describe('invalid literal parts next to unknown parts', () => {
    test('the position refers to the displayed string', () => {
      const verdict = judge({ 'Fn::Join': ['', [{ Ref: 'Registry' }, '/MyRepo:1.0']] });
      const image = '<ref:Registry>/MyRepo:1.0';
      expect(verdict.image).toBe(image);
      expect(verdict.reason).toBe(PinningReason.INVALID_REFERENCE);
      expect(reportedAs(verdict)).toBe('error');
      expect(verdict.message).toMatch(/^Invalid image reference/);
      expect(verdict.message).toMatch(/uppercase letter 'M'/);
      const position = image.indexOf('M') + 1;
      expect(verdict.message).toMatch(new RegExp(`\\(position ${position}\\)$`));
    });

    test.each<[string, unknown, string, string]>([
      ['an empty tag after an unknown registry', { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'RepoUri' }, ':']] }, '<import:RepoUri>:', ':'],
      ['a bad digest after the ECR shape', ecrImage('@sha256:ABC'), `${ECR_DISPLAY}@sha256:ABC`, 'A'],
      ['a bad tag after the ECR shape', ecrImage(':-latest'), `${ECR_DISPLAY}:-latest`, '-'],
      ['an underscore in the host after an unknown', { 'Fn::Join': ['', [ACCOUNT, '.dkr_ecr.', REGION, '.amazonaws.com/app:1']] }, '<account>.dkr_ecr.<region>.amazonaws.com/app:1', '_'],
      ['an uppercase path after two unknowns', namedEcrImage('Team/app:1'), '<account>.dkr.ecr.<region>.<urlsuffix>/Team/app:1', 'T'],
      ['a space in the tag of a Sub', { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/app:1 0' }, '<account>.dkr.ecr.<region>.amazonaws.com/app:1 0', ' '],
    ])('%s', (_title, value, image, offending) => {
      const verdict = judge(value);
      expect(verdict.image).toBe(image);
      expect(verdict.reason).toBe(PinningReason.INVALID_REFERENCE);
      const position = image.lastIndexOf(offending) + 1;
      expect(verdict.message).toMatch(new RegExp(`\\(position ${position}\\)$`));
    });

    test('an invalid reference stays invalid even when allowed by "*"', () => {
      expect(judge({ 'Fn::Join': ['', [{ Ref: 'Registry' }, '/MyRepo:1.0']] }, { allowedImages: ['*'] }).reason).toBe(
        PinningReason.INVALID_REFERENCE,
      );
    });
  });

  describe('allowedImages on partly known images', () => {
    const pattern = '<account>.dkr.ecr.<region>.<urlsuffix>/base';

    test('a pattern written with the displayed unknown parts allows a moving tag', () => {
      const verdict = judge(namedEcrImage('base:latest'), { allowedImages: [pattern] });
      expect(verdict.reason).toBe(PinningReason.ALLOWED);
      expect(verdict.message).toContain(pattern);
    });

    test('a pattern written with the displayed unknown parts allows a missing tag', () => {
      expect(judge(namedEcrImage('base'), { allowedImages: [pattern] }).reason).toBe(PinningReason.ALLOWED);
    });

    test('a pattern for another repository does not', () => {
      expect(judge(namedEcrImage('other:latest'), { allowedImages: [pattern] }).reason).toBe(PinningReason.MOVING_TAG);
    });

    test('a known name with an unresolved tag is allowed', () => {
      const verdict = judge({ 'Fn::Join': ['', ['public.ecr.aws/aws-observability/aws-for-fluent-bit:', { Ref: 'ImageTag' }]] }, {
        allowedImages: ['public.ecr.aws/aws-observability/*'],
      });
      expect(verdict.reason).toBe(PinningReason.ALLOWED);
    });

    // The allowedImages documentation says names with unknown parts are matched as written, e.g.
    // `<account>.dkr.ecr.<region>.<urlsuffix>/base`. The same pattern that allows `.../base:latest`
    // should then allow `.../base:<param:ImageTag>` (TagParameterContainerImage on that repository).
    test('a pattern written with the displayed unknown parts allows an unresolved tag', () => {
      const verdict = judge(namedEcrImage('base:', { Ref: 'ImageTag' }), { allowedImages: [pattern] });
      expect(verdict.image).toBe('<account>.dkr.ecr.<region>.<urlsuffix>/base:<param:ImageTag>');
      expect(verdict.reason).toBe(PinningReason.ALLOWED);
    });
  });
});

describe('values that can take several values: each is judged', () => {
  const MAPPINGS: Record<string, Record<string, Record<string, unknown>>> = {
    RegionImages: { 'eu-west-1': { Web: 'nginx:1.27.3' }, 'us-east-1': { Web: 'nginx:latest' } },
    EnvImages: { prod: { Web: 'nginx:1.27.3' } },
    Lists: { a: { Items: ['nginx:', 'latest'] } },
  };
  const context: TemplateContext = { ...CONTEXT, mapping: (name) => MAPPINGS[name] };
  const each = (value: unknown) => judgeEach(value, {}, context).map(({ verdict, when }) => [verdict.image, verdict.reason, when]);

  test('Fn::If around the image: both branches, each with the condition it needs', () => {
    expect(each({ 'Fn::If': ['IsProd', 'nginx:1.27.3', 'nginx:edge'] })).toEqual([
      ['nginx:1.27.3', PinningReason.PINNED_TAG, 'condition IsProd is true'],
      ['nginx:edge', PinningReason.MOVING_TAG, 'condition IsProd is false'],
    ]);
  });

  test('Fn::If inside the image, and nested: every combination', () => {
    const tag = { 'Fn::If': ['A', 'latest', { 'Fn::If': ['B', '1.2.3', 'stable'] }] };
    expect(each({ 'Fn::Join': [':', ['nginx', tag]] })).toEqual([
      ['nginx:latest', PinningReason.MOVING_TAG, 'condition A is true'],
      ['nginx:1.2.3', PinningReason.PINNED_TAG, 'condition A is false and condition B is true'],
      ['nginx:stable', PinningReason.MOVING_TAG, 'condition A is false and condition B is false'],
    ]);
  });

  test('AWS::NoValue in a branch: that branch has no image', () => {
    expect(each({ 'Fn::If': ['HasSidecar', 'envoy:latest', { Ref: 'AWS::NoValue' }] })).toEqual([['envoy:latest', PinningReason.MOVING_TAG, 'condition HasSidecar is true']]);
  });

  test('Fn::FindInMap into a mapping the template declares: one value for literal keys, every value for a key known at deploy time', () => {
    expect(each({ 'Fn::FindInMap': ['RegionImages', 'eu-west-1', 'Web'] })).toEqual([['nginx:1.27.3', PinningReason.PINNED_TAG, '']]);
    expect(each({ 'Fn::FindInMap': ['RegionImages', { Ref: 'AWS::Region' }, 'Web'] })).toEqual([
      ['nginx:1.27.3', PinningReason.PINNED_TAG, '<region> is "eu-west-1" (mapping RegionImages)'],
      ['nginx:latest', PinningReason.MOVING_TAG, '<region> is "us-east-1" (mapping RegionImages)'],
    ]);
  });

  test('a parameter with AllowedValues takes exactly those: a key not in the mapping picks nothing', () => {
    expect(each({ 'Fn::FindInMap': ['EnvImages', { Ref: 'Env' }, 'Web'] })).toEqual([['nginx:1.27.3', PinningReason.PINNED_TAG, 'parameter Env is "prod"']]);
    expect(each({ 'Fn::Join': [':', ['app', { Ref: 'Env' }]] })).toEqual([
      ['app:prod', PinningReason.NO_VERSION, 'parameter Env is "prod"'],
      ['app:dev', PinningReason.MOVING_TAG, 'parameter Env is "dev"'],
    ]);
  });

  test('a list that a branch or a mapping gives is joined too', () => {
    expect(each({ 'Fn::Join': ['', { 'Fn::If': ['C', ['nginx:', '1.2.3'], ['nginx:', 'latest']] }] }).map((e) => e[0])).toEqual(['nginx:1.2.3', 'nginx:latest']);
    expect(each({ 'Fn::Join': ['', { 'Fn::FindInMap': ['Lists', 'a', 'Items'] }] })).toEqual([['nginx:latest', PinningReason.MOVING_TAG, '']]);
  });

  test('past the limit of alternatives: one finding that says so, not a silent placeholder', () => {
    let value: unknown = 'nginx:1.2.3';
    for (let i = 0; i < 8; i++) value = { 'Fn::Join': ['', [{ 'Fn::If': [`C${i}`, 'a', 'b'] }, value]] };
    const [only, ...more] = judgeEach(value);
    expect(more).toEqual([]);
    expect(only.verdict.reason).toBe(PinningReason.UNRESOLVED);
    expect(only.verdict.message).toMatch(/was not checked: it is more than 32 alternatives/);
  });

  test('past the nesting limit: a finding that says so', () => {
    let value: unknown = 'nginx:1.2.3';
    for (let i = 0; i < 100; i++) value = { 'Fn::Join': ['', [value]] };
    const verdict = judge(value);
    expect(verdict.reason).toBe(PinningReason.UNRESOLVED);
    expect(verdict.message).toMatch(/was not checked: it is nested more than 64 levels deep/);
  });
});

describe('Fn::FindInMap with a DefaultValue (AWS::LanguageExtensions)', () => {
  const context: TemplateContext = { ...CONTEXT, mapping: (name) => (name === 'M' ? { prod: { Web: 'nginx:1.27.3' } } : undefined) };
  const each = (value: unknown) => judgeEach(value, {}, context).map(({ verdict, when }) => [verdict.image, when]);

  test('the default is judged where a key may not be in the mapping', () => {
    expect(each({ 'Fn::FindInMap': ['M', { Ref: 'Env' }, 'Web', { DefaultValue: 'nginx:latest' }] })).toEqual([
      ['nginx:1.27.3', 'parameter Env is "prod"'],
      ['nginx:latest', 'a key is not in mapping M'],
    ]);
  });

  test('not where both keys are literal and in the mapping', () => {
    expect(each({ 'Fn::FindInMap': ['M', 'prod', 'Web', { DefaultValue: 'nginx:latest' }] })).toEqual([['nginx:1.27.3', '']]);
  });
});
