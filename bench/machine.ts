/** What the results were measured on and with, printed with every table and kept in the JSON. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly node: string;
  readonly awsCdkLib: string;
  readonly cdkNag: string;
  readonly commit: string;
}

const ROOT = path.resolve(__dirname, '..');

function version(pkg: string): string {
  try {
    const file = require.resolve(`${pkg}/package.json`, { paths: [ROOT] });
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} (src/ modified)` : head;
  } catch {
    return 'unknown';
  }
}

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 1e9),
    node: process.version,
    awsCdkLib: version('aws-cdk-lib'),
    cdkNag: version('cdk-nag'),
    commit: commit(),
  };
}

/** The load averages (1, 5, 15 minutes), as `uptime` prints them. */
export function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(', ');
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB; node ${m.node}, aws-cdk-lib ${m.awsCdkLib}, cdk-nag ${m.cdkNag}; commit ${m.commit}`;
}
