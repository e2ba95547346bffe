/**
 * One measured scan, in a process of its own, as `cdk-image-pinning scan <dir>` runs it (the
 * function the CLI runs between parsing its arguments and writing the report). Its last line of
 * output is a `ScanMeasurement` as JSON.
 *
 *   node .bench/build/bench/scan-once.js <directory> table|inventory
 *
 * Measured: CPU time (user + system) and wall time of the scan and formatting (not process
 * startup), and the peak resident set of the whole process (`process.resourceUsage().maxRSS`).
 */
import { compileOptions, reportedLevel, runScan, ScanRequest } from './library';

export interface ScanMeasurement {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly templates: number;
  readonly images: number;
  readonly errors: number;
  readonly problems: number;
  readonly reportBytes: number;
  /** Resident set before the scan: node and the loaded modules. */
  readonly rssBeforeMB: number;
  readonly maxRssMB: number;
}

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== 'table' && mode !== 'inventory')) {
  throw new Error('usage: scan-once <directory> table|inventory');
}
const request: ScanRequest = { paths: [dir], settings: compileOptions(), format: 'table', inventory: mode === 'inventory', colour: false, cwd: dir };
const rssBeforeMB = process.memoryUsage().rss / 2 ** 20;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const report = runScan(request);
const cpu = process.cpuUsage(cpuStart);
const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
const measurement: ScanMeasurement = {
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  wallSeconds,
  templates: report.result.filesScanned,
  images: report.result.images.length,
  errors: report.result.images.filter((i) => reportedLevel(i.finding.outcome) === 'error').length,
  problems: report.result.problems.length,
  reportBytes: report.text.length,
  rssBeforeMB,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(measurement));
