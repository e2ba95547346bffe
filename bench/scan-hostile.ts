/**
 * The scanner on big and hostile inputs, as a process: wall time, CPU time and peak memory (the
 * child's own `process.resourceUsage().maxRSS`, written on exit by a preloaded script), so that
 * the size limit can be chosen from numbers and its cost seen. Not a unit test: the tests only
 * check that each hostile input is refused within a time bound.
 *
 *   - a 100 MB template of real resources (task definitions, two containers each), refused by
 *     the default --max-file-size, then scanned with --max-file-size 200MB;
 *   - the same size as one 100 MB string (a padded template), refused, then scanned;
 *   - a 5 MB YAML template (the default limit for YAML, a tenth of --max-file-size: YAML costs
 *     about ten times as much as JSON per byte), scanned;
 *   - a 5,000-deep JSON document, refused after parsing.
 *
 *   ts-node --transpile-only bench/scan-hostile.ts           HOSTILE_MB=100 by default
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BIN = path.join(__dirname, '..', 'bin', 'cdk-image-pinning');
const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.HOSTILE_MB ?? 100);

interface Measured {
  readonly case: string;
  readonly file: string;
  readonly exitCode: number | null;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly said: string;
}

/** Writes `count` resources of about `bytes / count` bytes each, as JSON aws-cdk-lib would write them. */
function writeResources(file: string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '{\n "Resources": {\n');
  let written = 0;
  let n = 0;
  while (written < bytes) {
    const resource = JSON.stringify({
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        ContainerDefinitions: [
          { Name: 'web', Image: n % 3 === 0 ? `example/web-${n}:latest` : `example/web-${n}:1.${n}.0`, Essential: true, PortMappings: [{ ContainerPort: 8080 }] },
          { Name: 'log', Image: { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/log-${n}:2.0.${n}` } },
        ],
        Family: `family-${n}`,
      },
      Metadata: { 'aws:cdk:path': `Stack/Task${n}/Resource` },
    });
    const text = `${n > 0 ? ',\n' : ''}  "Task${n}": ${resource}`;
    fs.writeSync(fd, text);
    written += text.length;
    n++;
  }
  fs.writeSync(fd, '\n }\n}\n');
  fs.closeSync(fd);
  return n;
}

function writePadded(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '{"Resources": {"Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "web", "Image": "nginx"}]}}}, "Metadata": {"Padding": "');
  const chunk = 'x'.repeat(MB);
  for (let i = 0; i < bytes / MB; i++) fs.writeSync(fd, chunk);
  fs.writeSync(fd, '"}}\n');
  fs.closeSync(fd);
}

function writeYaml(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'Resources:\n');
  let written = 0;
  for (let n = 0; written < bytes; n++) {
    const text = `  Task${n}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: example/web-${n}:1.${n}.0\n` +
      `        - Name: log\n          Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/log-${n}:latest'\n`;
    fs.writeSync(fd, text);
    written += text.length;
  }
  fs.closeSync(fd);
}

function measure(name: string, dir: string, file: string, args: string[] = []): Measured {
  const usageFile = path.join(dir, 'usage.json');
  const preload = path.join(dir, 'usage.js');
  fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify(process.resourceUsage())));\n`);
  fs.rmSync(usageFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', preload, BIN, 'scan', path.basename(file), '--format', 'json', ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1024 * MB,
    timeout: 600_000,
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const usage = fs.existsSync(usageFile) ? (JSON.parse(fs.readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage) : undefined;
  let said = result.stderr.split('\n')[0] ?? '';
  try {
    const summary = JSON.parse(result.stdout).summary;
    said = said || `${summary.images} images, ${summary.errors} errors, ${summary.warnings} warnings`;
  } catch {
    const last = result.stdout.trim().split('\n').pop();
    said = said || result.error?.message || last || '(no report)';
  }
  return {
    case: name,
    file: `${(fs.statSync(file).size / MB).toFixed(1)} MB`,
    exitCode: result.status,
    wallSeconds,
    cpuSeconds: usage ? (usage.userCPUTime + usage.systemCPUTime) / 1e6 : NaN,
    peakRssMb: usage ? usage.maxRSS / 1024 : NaN,
    said: said.replace(/^cdk-image-pinning: /, '').slice(0, 110),
  };
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-hostile-'));
  try {
    const rows: Measured[] = [];
    const resources = path.join(dir, 'resources.template.json');
    const count = writeResources(resources, SIZE_MB * MB);
    rows.push(measure(`${count} resources, default limit`, dir, resources));
    rows.push(measure(`${count} resources, --max-file-size ${SIZE_MB * 2}MB`, dir, resources, ['--max-file-size', `${SIZE_MB * 2}MB`]));
    rows.push(measure(`${count} resources, --max-file-size ${SIZE_MB * 2}MB --format table`, dir, resources, ['--max-file-size', `${SIZE_MB * 2}MB`, '--format', 'table']));
    const padded = path.join(dir, 'padded.template.json');
    writePadded(padded, SIZE_MB * MB);
    rows.push(measure('one long string, default limit', dir, padded));
    rows.push(measure(`one long string, --max-file-size ${SIZE_MB * 2}MB`, dir, padded, ['--max-file-size', `${SIZE_MB * 2}MB`]));
    const yaml = path.join(dir, 'resources.template.yaml');
    writeYaml(yaml, 5 * MB - 4096);
    rows.push(measure('YAML resources, default limit', dir, yaml));
    const deep = path.join(dir, 'deep.json');
    fs.writeFileSync(deep, `{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": [{"Name": "x", "Image": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}]}}}}`);
    rows.push(measure('5,000-deep JSON', dir, deep));
    console.log(`Node.js ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB`);
    console.log('| case | file | exit | wall s | CPU s | peak RSS MB | said |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.case} | ${r.file} | ${r.exitCode} | ${r.wallSeconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${r.said} |`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
