import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkTemplate, checkTemplateGaps } from '../../src/assembly/check-template';
import { leavesDirectory, loadTemplateTree, readTemplateTree, templateShapeProblem } from '../../src/assembly/template-tree';
import { compileOptions } from '../../src/check/check-settings';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-tree-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HASH = 'ab'.repeat(32);
const task = (name: string, image: string) => ({
  Type: 'AWS::ECS::TaskDefinition',
  Properties: { ContainerDefinitions: [{ Name: name, Image: image }] },
  Metadata: { 'aws:cdk:path': `Parent/${name}/Resource` },
});

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('loadTemplateTree: a template and its nested stacks', () => {
  test('found by asset metadata, or by the asset hash in TemplateURL through the asset manifest', () => {
    write('ByPath.nested.template.json', { Resources: { T: task('bypath', 'a:1') } });
    write(`${HASH}.json`, { Resources: { T: task('byhash', 'b:1') } });
    write('Parent.assets.json', { files: { [HASH]: { source: { path: `${HASH}.json` } } } });
    const parent = write('Parent.template.json', {
      Resources: {
        A: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'ByPath.nested.template.json' } },
        B: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: { 'Fn::Join': ['', ['https://s3/', `${HASH}.json`]] } } },
        T: task('parent', 'c:1'),
      },
    });
    const loaded = loadTemplateTree(parent);
    expect(loaded.map((l) => [path.basename(l.templatePath), l.nestedIn?.logicalId])).toEqual([
      ['Parent.template.json', undefined],
      ['ByPath.nested.template.json', 'A'],
      [`${HASH}.json`, 'B'],
    ]);
  });

  test('a nested stack that refers back to its parent is read once', () => {
    const file = write('Loop.template.json', { Resources: { Self: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'Loop.template.json' } } } });
    expect(loadTemplateTree(file)).toHaveLength(1);
  });
});

describe('readTemplateTree: nothing skipped in silence', () => {
  test('a nested template that does not exist, or is not a template, is a problem that names the nested stack', () => {
    write('Empty.nested.template.json', []);
    const parent = write('Holes.template.json', {
      Resources: {
        Missing: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'Gone.nested.template.json' } },
        NotOne: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'Empty.nested.template.json' } },
      },
    });
    const tree = readTemplateTree(parent);
    expect(tree.templates.map((t) => path.basename(t.templatePath))).toEqual(['Holes.template.json']);
    expect(tree.problems.map((p) => [path.basename(p.file), p.reason])).toEqual([
      ['Gone.nested.template.json', 'does not exist (the template of nested stack Missing in Holes.template.json)'],
      ['Empty.nested.template.json', 'is not a CloudFormation template (it holds a list, not a mapping) (the template of nested stack NotOne in Holes.template.json)'],
    ]);
    expect(() => loadTemplateTree(parent)).toThrow(/Gone\.nested\.template\.json: does not exist \(the template of nested stack Missing/);
  });

  test('a nested stack whose template is not a file (a hand-written TemplateURL) is listed as unfollowed', () => {
    const parent = write('Remote.template.json', { Resources: { Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://bucket.s3.amazonaws.com/child.yaml' } } } });
    const [loaded] = readTemplateTree(parent).templates;
    expect(loaded.unfollowed).toEqual([{ logicalId: 'Child', templateUrl: 'https://bucket.s3.amazonaws.com/child.yaml' }]);
  });

  test('within: a nested template outside the directory is a problem, not read (by path or by symbolic link)', () => {
    const inner = fs.mkdtempSync(path.join(dir, 'inner-'));
    fs.writeFileSync(path.join(dir, 'Outside.json'), JSON.stringify({ Resources: { T: task('outside', 'x:latest') } }));
    fs.symlinkSync(path.join(dir, 'Outside.json'), path.join(inner, 'Link.json'));
    const parent = path.join(inner, 'P.template.json');
    fs.writeFileSync(parent, JSON.stringify({
      Resources: {
        Up: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': '../Outside.json' } },
        Link: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'Link.json' } },
      },
    }));
    const tree = readTemplateTree(parent, { within: inner, withinName: 'the assembly' });
    expect(tree.templates).toHaveLength(1);
    expect(tree.problems.map((p) => p.reason)).toEqual([
      'nested stack Up: its template "../Outside.json" leads outside the assembly: not read',
      'nested stack Link: its template "Link.json" leads outside the assembly: not read',
    ]);
    expect(leavesDirectory(path.join(inner, 'P.template.json'), inner)).toBe(false);
    expect(leavesDirectory(path.join(inner, 'does-not-exist.json'), inner)).toBe(false);
  });

  test.each([
    [{}, undefined],
    [{ Parameters: {}, Rules: {} }, undefined],
    ['text', 'is not a CloudFormation template (it holds a string, not a mapping)'],
    [null, 'is not a CloudFormation template (it holds null, not a mapping)'],
    [{ name: 'app' }, 'is not a CloudFormation template (it has none of the template sections, such as Resources)'],
    [{ Resources: 'none' }, 'is not a CloudFormation template (its Resources is not a mapping)'],
  ])('templateShapeProblem(%j)', (value, problem) => {
    expect(templateShapeProblem(value)).toBe(problem);
  });
});

describe('checkTemplateGaps: what a template leaves to deployment, as unresolved findings', () => {
  const settings = compileOptions();
  test('macros, Fn::Transform over resources, a Type only known at deploy time, unfollowed nested stacks', () => {
    const template = {
      Transform: ['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions', 'My::Macro'],
      Resources: {
        'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } },
        'One': { 'Type': 'AWS::ECS::TaskDefinition', 'Fn::Transform': { Name: 'Sidecars' } },
        'Fn::ForEach::L': ['Id', { Ref: 'Kinds' }, { 'R${Id}': { Type: 'AWS::${Id}::Thing' } }],
      },
    };
    const gaps = checkTemplateGaps(template, 'x.json', settings, [{ logicalId: 'Child', templateUrl: { 'Fn::Sub': 'https://${B}/c.json' } }]);
    expect(gaps.map((g) => [g.logicalId, g.resourceType, g.finding.findingId, g.finding.image, g.location.join('.')])).toEqual([
      ['My::Macro', 'Transform', 'ImagePinning-CFN2[My::Macro]', '<macro:My::Macro>', 'Transform.2'],
      ['Fn::Transform', 'AWS::Include', 'ImagePinning-CFN2[Fn::Transform AWS::Include]', '<macro:AWS::Include>', 'Resources.Fn::Transform'],
      ['One', 'AWS::ECS::TaskDefinition', 'ImagePinning-CFN2[One]', '<macro:Sidecars>', 'Resources.One.Fn::Transform'],
      ['R${Id}', '<unknown>', 'ImagePinning-CFN2[R${Id}]', '<type>', 'Resources.Fn::ForEach::L.2.R${Id}.Type'],
      ['Child', 'AWS::CloudFormation::Stack', 'ImagePinning-CFN2[Child]', '<template:TemplateURL>', 'Resources.Child.Properties.TemplateURL'],
    ]);
    expect(gaps.every((g) => g.finding.outcome.kind === 'reported' && g.finding.outcome.level === 'warning')).toBe(true);
    const strict = checkTemplateGaps(template, 'x.json', compileOptions({ unresolvedImages: 'ERROR' as any }));
    expect(strict[0].finding.outcome).toEqual({ kind: 'reported', level: 'error' });
  });

  test('SAM and AWS::LanguageExtensions alone leave nothing to deployment', () => {
    expect(checkTemplateGaps({ Transform: ['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions'], Resources: {} }, 'x.json', settings)).toEqual([]);
  });
});

describe('checkTemplate: the shared check over a template', () => {
  test('the resources of Fn::ForEach loops are checked, located in the loop\'s fragment', () => {
    const template = {
      Transform: 'AWS::LanguageExtensions',
      Resources: { 'Fn::ForEach::Apps': ['App', ['web', 'api'], { 'Task${App}': task('${App}', 'example/${App}:latest') }] },
    } as any;
    const findings = checkTemplate(template, 'x.json', compileOptions());
    expect(findings.map((f) => [f.logicalId, f.finding.image, f.location.join('.')])).toEqual([
      ['Taskweb', 'example/web:latest', 'Resources.Fn::ForEach::Apps.2.Task${App}.Properties.ContainerDefinitions.0.Image'],
      ['Taskapi', 'example/api:latest', 'Resources.Fn::ForEach::Apps.2.Task${App}.Properties.ContainerDefinitions.0.Image'],
    ]);
  });

  test('every image of every covered resource, with its logical id and recorded construct path', () => {
    const findings = checkTemplate({ Resources: { T: task('web', 'nginx'), Other: { Type: 'AWS::S3::Bucket' } } }, 'x.json', compileOptions());
    expect(findings.map((f) => [f.logicalId, f.resourceType, f.constructPath, f.finding.findingId])).toEqual([['T', 'AWS::ECS::TaskDefinition', 'Parent/web/Resource', 'ImagePinning-ECS1[web]']]);
  });

  test('parameters of the template are read: an SSM parameter ending in latest is a moving tag', () => {
    const template = {
      Parameters: { Img: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/images/app/latest' } },
      Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: { Ref: 'Img' } }] } } },
    };
    expect(checkTemplate(template, 'x.json', compileOptions())[0].finding.reason).toBe('MOVING_TAG');
  });
});
