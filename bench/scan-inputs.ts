/**
 * The scanner's inputs, generated afresh for every run:
 *
 * - a mixed set of templates: three in four JSON as aws-cdk-lib writes them, one in four
 *   hand-written YAML with short-form tags (`!Sub`, `!Join`, `!GetAtt`, `!Ref`), each with 3 task
 *   definitions of 2 containers, pinned and unpinned mixed, plus the IAM roles and log groups such
 *   stacks have;
 * - a JSON-only cloud assembly: the `cdk.out` aws-cdk-lib synthesizes for the generated app with
 *   1/3 of containers unpinned, one task definition per stack (so as many templates as the mixed
 *   set), with its manifest, asset manifests and metadata.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from './generated-app';

export const TEMPLATES = 1000;
export const YAML_EVERY = 4; // every fourth template is YAML
const TASKS_PER_TEMPLATE = 3;
const DIGEST = `sha256:${'5e'.repeat(32)}`;

/** Container images, pinned and not, as templates write them (strings and intrinsic functions). */
function jsonImage(t: number, i: number): unknown {
  switch ((t + i) % 6) {
    case 0: return `example/web-${t}:1.27.${i}`;
    case 1: return `example/web-${t}:latest`;
    case 2: return { 'Fn::Join': ['', [{ 'Fn::Select': [4, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Repo', 'Arn'] }] }] }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, `/service:v1.${t}.${i}`]] };
    case 3: return `example/cache-${t}@${DIGEST}`;
    case 4: return { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/app-${t}:\${Tag}` };
    default: return `example/worker-${t}`;
  }
}

function yamlImage(t: number, i: number): string {
  switch ((t + i) % 5) {
    case 0: return `example/web-${t}:1.27.${i}`;
    case 1: return '!Sub \'${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/${Repo}:latest\'';
    case 2: return `!Join [':', [!GetAtt Repo.RepositoryUri, v1.${t}.${i}]]`;
    case 3: return `!Join ['', [example/app-${t}, ':', !Ref Tag]]`;
    default: return `example/cache-${t}@${DIGEST}`;
  }
}

function jsonTemplate(t: number): string {
  const resources: Record<string, unknown> = { Repo: { Type: 'AWS::ECR::Repository', Metadata: { 'aws:cdk:path': `Bench${t}/Repo/Resource` } } };
  for (let k = 0; k < TASKS_PER_TEMPLATE; k++) {
    resources[`TaskRole${k}`] = {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' } }], Version: '2012-10-17' } },
      Metadata: { 'aws:cdk:path': `Bench${t}/Task${k}/TaskRole/Resource` },
    };
    resources[`Logs${k}`] = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 }, UpdateReplacePolicy: 'Retain', DeletionPolicy: 'Retain' };
    resources[`Task${k}`] = {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        ContainerDefinitions: [0, 1].map((i) => ({
          Essential: true,
          Image: jsonImage(t, k * 2 + i),
          LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: `Logs${k}` }, 'awslogs-stream-prefix': `c${i}`, 'awslogs-region': { Ref: 'AWS::Region' } } },
          Name: `c${i}`,
          PortMappings: [{ ContainerPort: 8080 + i, Protocol: 'tcp' }],
        })),
        Cpu: '256',
        Family: `bench${t}task${k}`,
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        TaskRoleArn: { 'Fn::GetAtt': [`TaskRole${k}`, 'Arn'] },
      },
      Metadata: { 'aws:cdk:path': `Bench${t}/Task${k}/Resource` },
    };
  }
  // aws-cdk-lib writes templates with an indentation of one space.
  return JSON.stringify({ Parameters: { Tag: { Type: 'String' } }, Resources: resources }, undefined, 1);
}

function yamlTemplate(t: number): string {
  const lines = [
    'AWSTemplateFormatVersion: 2010-09-09',
    'Parameters:',
    '  Tag:',
    '    Type: String',
    'Resources:',
    '  Repo:',
    '    Type: AWS::ECR::Repository',
  ];
  for (let k = 0; k < TASKS_PER_TEMPLATE; k++) {
    lines.push(
      `  Logs${k}:`,
      '    Type: AWS::Logs::LogGroup',
      '    Properties:',
      '      RetentionInDays: 30',
      `  Task${k}:`,
      '    Type: AWS::ECS::TaskDefinition',
      '    Properties:',
      `      Family: !Sub 'bench${t}-\${AWS::StackName}-${k}'`,
      '      RequiresCompatibilities: [FARGATE]',
      '      ContainerDefinitions:',
    );
    for (const i of [0, 1]) {
      lines.push(
        `        - Name: c${i}`,
        `          Image: ${yamlImage(t, k * 2 + i)}`,
        '          LogConfiguration:',
        '            LogDriver: awslogs',
        '            Options:',
        `              awslogs-group: !Ref Logs${k}`,
        '              awslogs-region: !Ref AWS::Region',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the mixed set into `dir`; returns its size in bytes. */
export function writeMixedTemplates(dir: string, templates = TEMPLATES): number {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let t = 0; t < templates; t++) {
    const yaml = t % YAML_EVERY === YAML_EVERY - 1;
    const text = yaml ? yamlTemplate(t) : jsonTemplate(t);
    bytes += text.length;
    fs.writeFileSync(path.join(dir, `bench-${String(t).padStart(4, '0')}.${yaml ? 'yaml' : 'template.json'}`), text);
  }
  return bytes;
}

/** Synthesizes the cloud assembly into `dir` (`templates` stacks of one task definition each); returns the templates' size in bytes. */
export function writeCloudAssembly(dir: string, templates = TEMPLATES): number {
  buildApp({ kind: 'unpinned', taskDefinitions: templates, tasksPerStack: 1 }, dir).synth();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}
