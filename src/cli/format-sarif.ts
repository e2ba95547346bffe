import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CreationTraces, SourceFrame } from './creation-trace';
import { FINGERPRINT_KEY, fingerprints } from './fingerprint';
import { audienceOf, imageParts, imageStatus, reportedFindings } from './inventory';
import { PackageInfo } from './package-info';
import { ScannedImage, ScanResult } from './scan';
import { findingMessage } from '../report/finding-text';
import { sarifResult } from '../report/levels';
import { ruleFix } from '../report/rule-help';
import { RULE_EXPLANATION, ruleDefaultLevel, ruleDescription, ruleResultNote } from '../rules/rule-descriptions';
import { allRuleIds } from '../rules/rule-ids';

export interface SarifOptions {
  /** Also report compliant images, as results of kind `pass` (level `none`). */
  readonly inventory: boolean;
  readonly exitCode: number;
  readonly tool: PackageInfo;
  /** Relative paths are relative to this directory, the `%SRCROOT%` base. */
  readonly cwd: string;
  /** The largest cloud assembly metadata file read for creation traces. */
  readonly maxFileSize?: number;
}

const SRCROOT = '%SRCROOT%';

/**
 * The report as SARIF 2.1.0, for code scanning dashboards (GitHub code scanning and others):
 * one rule per rule id of the sources table, with its fix as help; one result per finding, with a
 * fingerprint that stays the same from run to run (fingerprint.ts); and each input that could
 * not be scanned as a tool execution notification (the invocation is then not successful).
 *
 * A result's location is where the user can change it: in a cloud assembly that records where
 * the resource was created in the app's source (creation-trace.ts), that line of the app, with
 * the image value in the synthesized template as a related location; else the image value in
 * the file scanned.
 */
export function formatSarif(result: ScanResult, options: SarifOptions): string {
  const ruleIds = allRuleIds();
  // Each finding once (inventory.ts); with the inventory, the other images too, in input order.
  const reported = new Set(reportedFindings(result.images));
  const images = result.images.filter((i) => reported.has(i) || (options.inventory && sarifResult(i.finding.outcome).kind !== 'fail'));
  const traces = new CreationTraces(options.maxFileSize);
  const sourceRoot = path.resolve(options.cwd);
  const prints = fingerprints(images);
  const isFile = fileCheck(); // an app file is named by many results
  const log = sarifLog(options.tool, ruleIds.map((id) => ruleJson(id, options.tool)), {
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
    invocations: [
      {
        executionSuccessful: result.problems.length === 0,
        exitCode: options.exitCode,
        toolExecutionNotifications: result.problems.map((p) => ({
          level: 'error',
          message: { text: `${p.file}: ${p.reason}` },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(p.file) } }],
        })),
      },
    ],
    columnKind: 'utf16CodeUnits',
    results: images.map((image, i) => resultJson(image, ruleIds, prints[i], sourceLocation(traces.frameOf(image), sourceRoot, isFile))),
  });
  return `${JSON.stringify(log, undefined, 2)}\n`;
}

/**
 * The parts of a SARIF log every report of this tool shares: the schema, the version and the
 * tool's driver with its rules. `scan`, `verify` and `audit` differ only in their runs' results.
 */
export function sarifLog(tool: PackageInfo, rules: readonly unknown[], run: Record<string, unknown>) {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: tool.name, version: tool.version, informationUri: tool.informationUri, rules } }, ...run }],
  };
}

export function ruleJson(id: string, tool: PackageInfo) {
  const description = ruleDescription(id);
  const severityNote = ruleResultNote(id);
  const fix = ruleFix(id);
  const help = `${description}. ${RULE_EXPLANATION} ${severityNote} How to fix: ${fix}`;
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: description },
    fullDescription: { text: `${description}. ${RULE_EXPLANATION}` },
    help: { text: help, markdown: `**${description}.**\n\n${RULE_EXPLANATION}\n\n${severityNote}\n\n**How to fix.** ${fix}` },
    helpUri: tool.informationUri,
    defaultConfiguration: { level: ruleDefaultLevel(id) },
    properties: { tags: ['containers', 'supply-chain'], precision: 'very-high' },
  };
}

/** The app's source line as a SARIF physical location, when it is a file under the `%SRCROOT%` directory. */
function sourceLocation(frame: SourceFrame | undefined, sourceRoot: string, isFile: (file: string) => boolean) {
  if (!frame) return undefined;
  const relative = path.relative(sourceRoot, frame.file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative) || !isFile(frame.file)) {
    return undefined; // synthesized elsewhere: a location code scanning cannot show
  }
  return {
    artifactLocation: artifactLocation(relative.split(path.sep).join('/')),
    region: { startLine: frame.line, startColumn: frame.column },
  };
}

function resultJson(image: ScannedImage, ruleIds: readonly string[], fingerprint: string, source: ReturnType<typeof sourceLocation>) {
  const { finding } = image;
  const verdict = finding.verdict;
  const { level, kind } = sarifResult(finding.outcome);
  const position = image.position;
  const ruleIndex = ruleIds.indexOf(finding.ruleId);
  const inFile = {
    artifactLocation: artifactLocation(image.file),
    ...(position ? { region: { ...position } } : {}),
  };
  const where = position ? `${image.file}:${position.startLine}:${position.startColumn}` : image.file;
  const message = findingMessage(finding, { audience: audienceOf(image) });
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex === -1 ? {} : { ruleIndex }),
    kind,
    level,
    // With the app's source as the location, the message links the template's value ([text](id)).
    message: { text: source ? `${message} In the synthesized template: [${where}](1).` : message },
    locations: [
      {
        physicalLocation: source ?? inFile,
        logicalLocations: [
          {
            name: image.container,
            fullyQualifiedName: [image.stack, image.resource, image.container].filter((p) => p !== undefined).join('/'),
            kind: 'resource',
          },
        ],
      },
    ],
    ...(source ? { relatedLocations: [{ id: 1, physicalLocation: inFile, message: { text: 'the image in the synthesized template' } }] } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    properties: {
      findingId: finding.findingId,
      image: finding.image,
      status: imageStatus(verdict),
      reason: finding.reason,
      ...imageParts(verdict),
      resource: image.resource,
      resourceType: image.resourceType,
      container: image.container,
      propertyPath: image.propertyPath,
      ...(image.stack ? { stack: image.stack } : {}),
      ...(image.constructPath ? { constructPath: image.constructPath } : {}),
    },
  };
}

/** A relative path under the working directory (percent-encoded, `%SRCROOT%`-based), or a `file:` URI. */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) {
    return { uri: pathToFileURL(file).href };
  }
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

export function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** Whether a path is a regular file, asked of the file system once per path. */
function fileCheck(): (file: string) => boolean {
  const known = new Map<string, boolean>();
  return (file) => {
    let is = known.get(file);
    if (is === undefined) {
      try {
        is = fs.statSync(file).isFile();
      } catch {
        is = false;
      }
      known.set(file, is);
    }
    return is;
  };
}
