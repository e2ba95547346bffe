import { painter } from './colour';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatTable } from './format-table';
import { packageInfo } from './package-info';
import { exitCodeOf, scan, ScanOptions, ScanResult } from './scan';

export type OutputFormat = 'table' | 'json' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'sarif'];

export interface ScanRequest extends ScanOptions {
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  readonly inventory: boolean;
  /** The table lists one line per image instead of one per finding, and the counts per rule. */
  readonly summary?: boolean;
  /** Colour the table (only decided by the caller: a terminal, no NO_COLOR, no --no-color). */
  readonly colour: boolean;
}

export interface ScanReport {
  /** The report in the requested format. */
  readonly text: string;
  readonly exitCode: number;
  readonly result: ScanResult;
}

/** Scans and formats: what `cdk-image-pinning scan` does between parsing its arguments and writing. */
export function runScan(request: ScanRequest): ScanReport {
  const cwd = request.cwd ?? process.cwd();
  const result = scan(request.paths, { ...request, cwd });
  const exitCode = exitCodeOf(result);
  const tool = packageInfo();
  let text: string;
  switch (request.format) {
    case 'json':
      text = formatJson(result, { inventory: request.inventory, exitCode, tool });
      break;
    case 'sarif':
      text = formatSarif(result, { inventory: request.inventory, exitCode, tool, cwd, maxFileSize: request.maxFileSize });
      break;
    default:
      text = formatTable(result, { inventory: request.inventory, summary: request.summary, paint: painter(request.colour) });
  }
  return { text, exitCode, result };
}
