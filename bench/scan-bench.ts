/**
 * Benchmark of the command-line scanner: 1,000 generated templates (750 in JSON as aws-cdk-lib
 * writes them, 250 hand-written YAML with short-form tags), each with 3 task definitions of 2
 * containers, pinned and unpinned mixed, plus the IAM roles and log groups such stacks have.
 * Scans them in-process with the function `cdk-image-pinning scan` runs (scan and format, so
 * process startup is not measured), a few times, and prints the median templates per second:
 *
 *   - the default report (table of findings: positions only for the findings), and
 *   - with --inventory (a position for every image).
 *
 *   ts-node --transpile-only bench/scan-bench.ts         SCAN_BENCH_RUNS=7 by default
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runScan, ScanRequest } from '../src/cli/run';
import { ImagePinningPolicy } from '../src/policy/image-pinning-policy';

export const TEMPLATES = 1000;
const YAML_EVERY = 4; // every fourth template is YAML
const TASKS_PER_TEMPLATE = 3;
const RUNS = Number(process.env.SCAN_BENCH_RUNS ?? 7);
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-bench-'));
  try {
    let bytes = 0;
    for (let t = 0; t < TEMPLATES; t++) {
      const yaml = t % YAML_EVERY === YAML_EVERY - 1;
      const text = yaml ? yamlTemplate(t) : jsonTemplate(t);
      bytes += text.length;
      fs.writeFileSync(path.join(dir, `bench-${String(t).padStart(4, '0')}.${yaml ? 'yaml' : 'template.json'}`), text);
    }
    const request: ScanRequest = { paths: [dir], policy: new ImagePinningPolicy(), format: 'table', inventory: false, colour: false, cwd: dir };
    console.log(
      `Scanner: ${TEMPLATES} templates (${TEMPLATES - TEMPLATES / YAML_EVERY} JSON, ${TEMPLATES / YAML_EVERY} YAML with short-form tags; ` +
        `${(bytes / 1e6).toFixed(1)} MB), ${TASKS_PER_TEMPLATE * 2} containers each, ${RUNS} runs in-process...`,
    );
    const first = runScan(request);
    const errors = first.result.images.filter((i) => i.finding.verdict.severity === 'ERROR').length;
    console.log(`  ${first.result.filesScanned} templates, ${first.result.images.length} images, ${errors} errors, exit code ${first.exitCode}`);
    if (first.result.filesScanned !== TEMPLATES || first.result.problems.length > 0) {
      throw new Error(`expected ${TEMPLATES} templates and no problems, got ${first.result.filesScanned} and ${JSON.stringify(first.result.problems.slice(0, 3))}`);
    }
    for (const variant of [
      { name: 'findings table (the default)', request },
      { name: 'with --inventory (a position for every image)', request: { ...request, inventory: true } },
    ]) {
      const seconds: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const start = process.hrtime.bigint();
        runScan(variant.request);
        seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
      }
      const m = median(seconds);
      console.log(`  ${variant.name}: median ${m.toFixed(2)} s, ${Math.round(TEMPLATES / m)} templates per second`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
