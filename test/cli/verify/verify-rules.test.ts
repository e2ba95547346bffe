import * as fs from 'fs';
import * as path from 'path';
import { ecsTask, lambdaFunction, writeTemplate } from '../../support/online/templates';
import { DockerEnv, dockerEnv } from '../../support/registry/docker-env';
import { LINUX_AMD64, LINUX_ARM64, moveTag, PushedImage, PushedIndex, pushImage, pushIndex } from '../../support/registry/images';
import { LocalRegistry, startRegistry } from '../../support/registry/local-registry';
import { RegistryPusher } from '../../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../../support/registry/tools';
import { expectCleanOutput, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from '../cli-process';

/**
 * Every registry rule of `verify`, through the real bin, against the real registry (Debian's
 * docker-registry on loopback): a tag that does not exist, a digest that does not exist, a
 * platform missing from an image or an index, a Lambda function on an index, a tag that moved.
 */

let registry: LocalRegistry;
let pusher: RegistryPusher;
let env: DockerEnv;
let dir: string;
let app: PushedImage; // app:1.0.0, linux/amd64
let multi: PushedIndex; // multi:2.0.0, amd64 + arm64 + attestations
let fnIndex: PushedIndex; // fn:1.0.0, amd64 + arm64
let fnArm: PushedImage; // fn-arm:1.0.0, linux/arm64
let movedFrom: PushedImage; // moving:1.0.0 pointed here first
let movedTo: PushedImage;
const MISSING_DIGEST = `sha256:${'0'.repeat(64)}`;

beforeAll(async () => {
  registry = await startRegistry();
  pusher = new RegistryPusher(registry.url);
  app = await pushImage(pusher, 'team/app', '1.0.0', LINUX_AMD64);
  multi = await pushIndex(pusher, 'team/multi', '2.0.0', [LINUX_AMD64, LINUX_ARM64], { attestations: true });
  fnIndex = await pushIndex(pusher, 'team/fn', '1.0.0', [LINUX_AMD64, LINUX_ARM64]);
  fnArm = await pushImage(pusher, 'team/fn-arm', '1.0.0', LINUX_ARM64);
  movedFrom = await pushImage(pusher, 'team/moving', '1.0.0', LINUX_AMD64);
  movedTo = await pushImage(pusher, 'team/moving', undefined, LINUX_AMD64);
  await moveTag(pusher, 'team/moving', '1.0.0', movedTo);
  env = dockerEnv({});
  dir = temporaryDirectory('image-pinning-verify-');
  const r = registry.host;
  writeTemplate(dir, 'App.template.json', {
    Good: ecsTask([`${r}/team/app:1.0.0`]),
    Typo: ecsTask([`${r}/team/app:1.0.33`]),
    NoDigest: ecsTask([`${r}/team/app@${MISSING_DIGEST}`]),
    ArmOnAmd: ecsTask([`${r}/team/app:1.0.0`], { cpu: 'ARM64' }),
    ArmOnIndex: ecsTask([`${r}/team/multi:2.0.0`], { cpu: 'ARM64' }),
    FnIndex: lambdaFunction(`${r}/team/fn:1.0.0`, { architecture: 'arm64' }),
    FnArm: lambdaFunction(`${r}/team/fn-arm:1.0.0`, { architecture: 'arm64' }),
    FnArmDefault: lambdaFunction(`${r}/team/fn-arm:1.0.0`),
    Moved: ecsTask([`${r}/team/moving:1.0.0@${movedFrom.digest}`]),
    Param: ecsTask([{ 'Fn::Join': ['', [`${r}/team/app:`, { Ref: 'Tag' }]] } as unknown as string]),
    Asset: ecsTask([{ 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${'ab'.repeat(32)}` } as unknown as string]),
  });
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await registry?.stop();
  env?.remove();
  removeTemporaryDirectories();
});

function verify(args: string[] = []) {
  return runCli(['verify', '--format', 'json', '--inventory', ...args, 'App.template.json'], { cwd: dir, env: env.env as Record<string, string> });
}

interface Finding {
  ruleId: string;
  findingId: string;
  severity: string;
  reason: string;
  message: string;
  fix: string;
  image: string;
  digest?: string;
  resource: string;
}

describe('verify: the registry rules against the real registry', () => {
  let run: ReturnType<typeof runCli>;
  let findings: Finding[];
  const of = (resource: string) => findings.filter((f) => f.resource === resource && f.ruleId.startsWith('ImagePinning-REG'));

  beforeAll(() => {
    run = verify();
    findings = stdoutJson(run).findings;
  });

  test('exit 1: registry errors fail the run, and the output is clean', () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expectCleanOutput(run);
  });

  test('an image the registry has, on its platform, has no registry finding and carries its digest', () => {
    expect(of('Good')).toEqual([]);
    const inventory = stdoutJson(run).inventory.find((i: { resource: string }) => i.resource === 'Good');
    expect(inventory).toMatchObject({ verification: 'verified', resolvedDigest: app.digest, platform: 'linux/amd64' });
  });

  test('REG1: a tag that does not exist', () => {
    expect(of('Typo')).toEqual([expect.objectContaining({
      ruleId: 'ImagePinning-REG1',
      findingId: 'ImagePinning-REG1[c0]',
      severity: 'error',
      reason: 'TAG_NOT_FOUND',
      message: `[ImagePinning-REG1] Container "c0": the tag "1.0.33" of image "${registry.host}/team/app:1.0.33" does not exist in ${registry.host}/team/app. ` +
        `Fix: push ${registry.host}/team/app:1.0.33, or use a tag that exists in ${registry.host}/team/app.`,
    })]);
  });

  test('REG1: a digest that does not exist', () => {
    expect(of('NoDigest')).toEqual([expect.objectContaining({ ruleId: 'ImagePinning-REG1', reason: 'DIGEST_NOT_FOUND' })]);
    expect(of('NoDigest')[0].message).toContain(`the digest ${MISSING_DIGEST} of image "${registry.host}/team/app@${MISSING_DIGEST}" does not exist in ${registry.host}/team/app`);
  });

  test('REG2: an ARM64 task on an amd64-only image, naming both platforms and where the task\'s comes from', () => {
    expect(of('ArmOnAmd')).toEqual([expect.objectContaining({ ruleId: 'ImagePinning-REG2', reason: 'PLATFORM_MISSING', digest: app.digest })]);
    expect(of('ArmOnAmd')[0].message).toContain(
      `image "${registry.host}/team/app:1.0.0" has no linux/arm64 variant (it has linux/amd64), but the task runs on linux/arm64 (RuntimePlatform.CpuArchitecture ARM64)`,
    );
  });

  test('REG2 is not reported for an index that has the platform (attestations are not platforms)', () => {
    expect(of('ArmOnIndex')).toEqual([]);
    const inventory = stdoutJson(run).inventory.find((i: { resource: string }) => i.resource === 'ArmOnIndex');
    expect(inventory).toMatchObject({ verification: 'verified', resolvedDigest: multi.digest, platform: 'linux/arm64' });
  });

  test('REG2: a Lambda function on the default x86_64 with an arm64-only image', () => {
    expect(of('FnArmDefault')).toEqual([expect.objectContaining({ ruleId: 'ImagePinning-REG2' })]);
    expect(of('FnArmDefault')[0].message).toContain('but the function runs on linux/amd64 (the default Architectures x86_64)');
    expect(of('FnArm')).toEqual([]);
  });

  test('REG3: a Lambda function on a multi-architecture index; the fix names the child digest of its architecture', () => {
    expect(of('FnIndex')).toEqual([expect.objectContaining({ ruleId: 'ImagePinning-REG3', reason: 'LAMBDA_INDEX', severity: 'error', digest: fnIndex.digest })]);
    expect(of('FnIndex')[0].fix).toBe(`pin the linux/arm64 image of the index: "${registry.host}/team/fn@${fnIndex.children['linux/arm64']}"`);
    expect(of('FnIndex')[0].message).toContain('is a multi-architecture index (linux/amd64, linux/arm64), which Lambda rejects at deployment');
  });

  test('REG4: name:tag@digest whose tag now points elsewhere is a warning naming both digests', () => {
    expect(of('Moved')).toEqual([expect.objectContaining({ ruleId: 'ImagePinning-REG4', reason: 'TAG_MOVED', severity: 'warning', digest: movedFrom.digest })]);
    expect(of('Moved')[0].message).toContain(`the tag "1.0.0" of image "${registry.host}/team/moving:1.0.0@${movedFrom.digest}" now points at ${movedTo.digest}, not at ${movedFrom.digest}`);
    expect(of('Moved')[0].fix).toContain(`pin "${registry.host}/team/moving:1.0.0@${movedTo.digest}"`);
  });

  test('an image only known at deployment is not looked up, and says so', () => {
    const inventory = stdoutJson(run).inventory.find((i: { resource: string }) => i.resource === 'Param');
    expect(inventory).toMatchObject({ verification: 'not-checked', verificationNote: 'its registry, repository, tag or digest is only known at deployment' });
    expect(findings.filter((f) => f.resource === 'Param').map((f) => f.ruleId)).toEqual(['ImagePinning-ECS2']);
    // An asset-shaped image outside a cloud assembly is judged by the scan as written, and has unknown parts for verify.
    const asset = stdoutJson(run).inventory.find((i: { resource: string }) => i.resource === 'Asset');
    expect(asset).toMatchObject({ verification: 'not-checked', verificationNote: 'its registry, repository, tag or digest is only known at deployment' });
  });

  test('the summary counts images by verification status, and one HEAD per distinct reference', () => {
    const summary = stdoutJson(run).summary;
    expect(summary).toMatchObject({ exitCode: 1, images: 11, verified: 4, failed: 5, notVerified: 0, notChecked: 2, errors: 6, warnings: 2 });
    // References: app:1.0.0, app:1.0.33, app@missing, multi:2.0.0, fn:1.0.0, fn-arm:1.0.0, moving@from, moving:1.0.0.
    expect(summary.requests.head).toBe(8);
  });
});

describe('verify: other inputs', () => {
  test('an ECS task definition file\'s runtimePlatform and a YAML template\'s Architectures are read as the template\'s are', () => {
    const r = registry.host;
    fs.writeFileSync(path.join(dir, 'task-def.json'), JSON.stringify({
      family: 'web',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [{ name: 'web', image: `${r}/team/app:1.0.0` }],
    }));
    fs.writeFileSync(path.join(dir, 'sam.yaml'), [
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  Function:',
      '    Architectures: [arm64]',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      PackageType: Image',
      `      ImageUri: !Sub '${r}/team/fn:1.0.0'`,
      '',
    ].join('\n'));
    const run = runCli(['verify', '--format', 'json', 'task-def.json', 'sam.yaml'], { cwd: dir, env: env.env as Record<string, string> });
    expect(run.status).toBe(1);
    const findings = stdoutJson(run).findings.map((f: Finding) => `${f.resource} ${f.ruleId} ${f.reason}`);
    expect(findings).toEqual(['web ImagePinning-REG2 PLATFORM_MISSING', 'Fn ImagePinning-REG3 LAMBDA_INDEX']);
    const fix = stdoutJson(run).findings[1].fix;
    expect(fix).toBe(`pin the linux/arm64 image of the index: "${r}/team/fn@${fnIndex.children['linux/arm64']}"`); // Globals.Function.Architectures
  });
});

describe('verify: the table', () => {
  test('registry findings sit beside the pinning findings, by file and resource, with a summary', () => {
    const run = runCli(['verify', 'App.template.json'], { cwd: dir, env: env.env as Record<string, string> });
    expect(run.status).toBe(1);
    expectCleanOutput(run);
    expect(run.stdout).toContain('  Typo (AWS::ECS::TaskDefinition) Stack/Typo/Resource');
    expect(run.stdout).toMatch(/error {4}ImagePinning-REG1 {2}Container "c0": the tag "1\.0\.33" of image .* does not exist in .*\n\s+Fix: push /);
    expect(run.stdout).toContain('6 errors and 2 warnings (11 images in 1 file scanned; 9 looked up in their registries, 2 not known at synthesis).');
  });

  test('--inventory lists each image with its verification status and digest', () => {
    const run = runCli(['verify', '--inventory', 'App.template.json'], { cwd: dir, env: env.env as Record<string, string> });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^VERIFIED\s+STATUS\s+REGISTRY\s+REPOSITORY\s+TAG\s+DIGEST\s+USED IN$/);
    expect(lines.find((l) => l.includes(' Good/c0'))).toMatch(new RegExp(`^verified\\s+pinned\\s+${registry.host.replace('.', '\\.')}\\s+team/app\\s+1\\.0\\.0\\s+${app.digest.slice(0, 19)}…`));
    expect(lines.find((l) => l.includes(' Typo/c0'))).toMatch(/^failed\s+pinned/);
    expect(lines.find((l) => l.includes(' Param/c0'))).toMatch(/^not-checked\s+unresolved/);
  });

  test('nothing is written but --output', () => {
    const before = fs.readdirSync(dir).sort();
    const out = path.join(dir, 'report.json');
    const run = runCli(['verify', '--format', 'json', '-o', 'report.json', 'App.template.json'], { cwd: dir, env: env.env as Record<string, string> });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(fs.readdirSync(dir).sort()).toEqual([...before, 'report.json'].sort());
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).summary.exitCode).toBe(1);
    fs.rmSync(out);
  });
});
