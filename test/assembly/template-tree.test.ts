import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkTemplate } from '../../src/assembly/check-template';
import { loadTemplateTree } from '../../src/assembly/template-tree';
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

describe('checkTemplate: the shared check over a template', () => {
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
