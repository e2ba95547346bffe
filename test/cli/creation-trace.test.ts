import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, lineOf, REPO_ROOT, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from './cli-process';
import { userFrame } from '../../src/cli/creation-trace';
import { DEMO_APP, synthesize } from '../support/demo-assembly';
import { expectValidSarif } from '../support/sarif';

afterAll(removeTemporaryDirectories);

const APP_URI = 'test/fixtures/apps/scan-demo-app.ts';

/** SARIF results of a scan by container name. */
function resultsOf(assembly: string, cwd = REPO_ROOT): Map<string, any> {
  const log = stdoutJson(runCli(['scan', assembly, '--format', 'sarif'], { cwd }));
  expectValidSarif(log);
  return new Map(log.runs[0].results.map((r: any) => [r.locations[0].logicalLocations[0].name, r]));
}

/** Where the demo app creates each task definition: the app's own frame aws-cdk-lib records. */
const created = {
  web: { startLine: lineOf(DEMO_APP, "const task = new ecs.FargateTaskDefinition(web, 'Task')"), startColumn: 14 },
  worker: { startLine: lineOf(DEMO_APP, "new ecs.FargateTaskDefinition(jobs, 'Task')"), startColumn: 1 },
  api: { startLine: lineOf(DEMO_APP, "new ecs.FargateTaskDefinition(api, 'Task')"), startColumn: 1 },
};

function expectAppLocation(result: any, region: object, template: RegExp): void {
  expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: APP_URI, uriBaseId: '%SRCROOT%' }, region });
  // The image value in the synthesized template stays one click away.
  expect(result.relatedLocations).toEqual([
    {
      id: 1,
      physicalLocation: {
        artifactLocation: { uri: expect.stringMatching(template) },
        region: expect.objectContaining({ startLine: expect.any(Number) }),
      },
      message: { text: 'the image in the synthesized template' },
    },
  ]);
  expect(result.message.text).toMatch(/ In the synthesized template: \[[^\]]+\.template\.json:\d+:\d+\]\(1\)\.$/);
}

describe('SARIF locations in the app that created the resource', () => {
  let assembly: string;
  beforeAll(() => {
    assembly = synthesize({ file: DEMO_APP }, {}, temporaryDirectory());
  });

  test('a cloud assembly records where each resource was created: the result points at that line of the app', () => {
    const results = resultsOf(assembly);
    expect([...results.keys()].sort()).toEqual(['api', 'web', 'worker']);
    expectAppLocation(results.get('web'), created.web, /\/Web\.template\.json$/);
    // In a nested stack, and in a Stage's assembly.
    expectAppLocation(results.get('worker'), created.worker, /\/WebJobsE8DBBAAF\.nested\.template\.json$/);
    expectAppLocation(results.get('api'), created.api, /\/assembly-Prod\/ProdApi2466CF1F\.template\.json$/);
  });

  test('the same with path metadata (as `cdk synth` writes it)', () => {
    const withPaths = synthesize({ file: DEMO_APP }, { 'aws:cdk:enable-path-metadata': true }, temporaryDirectory());
    const results = resultsOf(withPaths);
    expectAppLocation(results.get('web'), created.web, /\/Web\.template\.json$/);
    expectAppLocation(results.get('worker'), created.worker, /\.nested\.template\.json$/);
    expectAppLocation(results.get('api'), created.api, /ProdApi2466CF1F\.template\.json$/);
  });

  test('older assemblies: the trace on the logical id entry, the metadata in manifest.json', () => {
    const old = temporaryDirectory();
    fs.cpSync(assembly, old, { recursive: true });
    const manifestFile = path.join(old, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const web = manifest.artifacts.Web;
    const metadata = JSON.parse(fs.readFileSync(path.join(old, web.additionalMetadataFile), 'utf8'));
    for (const [constructPath, entries] of Object.entries<any[]>(metadata)) {
      const trace = entries.find((e) => e.type === 'aws:cdk:creationStack')?.data;
      metadata[constructPath] = entries.filter((e) => e.type !== 'aws:cdk:creationStack').map((e) => (e.type === 'aws:cdk:logicalId' && trace ? { ...e, trace } : e));
    }
    delete web.additionalMetadataFile;
    web.metadata = metadata;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const results = resultsOf(old);
    expectAppLocation(results.get('web'), created.web, /\/Web\.template\.json$/);
    expectAppLocation(results.get('worker'), created.worker, /\.nested\.template\.json$/);
  });

  test('without creation traces, or with the app outside the working directory, the image value in the template', () => {
    const noTraces = synthesize({ file: DEMO_APP }, { 'aws:cdk:disable-creation-stack-traces': true }, temporaryDirectory());
    for (const [dir, cwd] of [[noTraces, REPO_ROOT], [assembly, FIXTURES]]) {
      const web = resultsOf(dir, cwd).get('web');
      expect(web.locations[0].physicalLocation.artifactLocation.uri).toMatch(/\/Web\.template\.json$/);
      expect(web.locations[0].physicalLocation.region).toMatchObject({ startColumn: expect.any(Number), startLine: expect.any(Number) });
      expect(web.relatedLocations).toBeUndefined();
      expect(web.message.text).not.toContain('In the synthesized template');
    }
  });

  test('plain templates and task definition files are their own location', () => {
    const log = stdoutJson(runCli(['scan', 'templates/service.json', 'task-definitions', '--format', 'sarif']));
    for (const r of log.runs[0].results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^(templates|task-definitions)\//);
      expect(r.relatedLocations).toBeUndefined();
    }
  });
});

describe('the app frame of a creation trace', () => {
  test.each([
    [['...new FargateTaskDefinition in aws-cdk-lib...', '<anonymous> (/app/bin/app.ts:12:5)', '...node internals...'], { file: '/app/bin/app.ts', line: 12, column: 5 }],
    [['at new Task (/app/node_modules/my-constructs/lib/task.js:3:9)', 'at Object.<anonymous> (/app/bin/app.js:7:1)'], { file: '/app/bin/app.js', line: 7, column: 1 }],
    [['node:internal/modules/cjs/loader:1:1', '/app/lib/stack.ts:40:17'], { file: '/app/lib/stack.ts', line: 40, column: 17 }],
    [['...aws-cdk-lib...', '(no user code in 10 frames, use --stack-trace-limit to capture more)'], undefined],
    [['relative/file.ts:1:1', 42, null], undefined],
  ])('%j', (trace, frame) => {
    expect(userFrame(trace as unknown[])).toEqual(frame);
  });
});
