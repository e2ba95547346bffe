import * as path from 'path';
import { pathToFileURL } from 'url';
import { imageParts, imageStatus } from './inventory';
import { PackageInfo } from './package-info';
import { ScannedImage, ScanResult } from './scan';
import { TEMPLATE_RULE_DESCRIPTION, TEMPLATE_RULE_ID } from '../assembly/check-template';
import { findingMessage } from '../report/finding-text';
import { sarifResult } from '../report/levels';
import { RULE_EXPLANATION, ruleDefaultLevel, ruleDescription, ruleResultNote } from '../rules/rule-descriptions';
import { allRuleIds } from '../rules/rule-ids';

export interface SarifOptions {
  /** Also report compliant images, as results of kind `pass` (level `none`). */
  readonly inventory: boolean;
  readonly exitCode: number;
  readonly tool: PackageInfo;
  /** Relative paths are relative to this directory, the `%SRCROOT%` base. */
  readonly cwd: string;
}

const SRCROOT = '%SRCROOT%';

const TEMPLATE_RULE_NOTE =
  'A macro (a template-level Transform, or Fn::Transform over resources) rewrites the template when it is deployed, and a nested ' +
  'stack\'s template may not be among the files scanned: what they deploy is only known then. Reported as a warning unless the ' +
  'policy sets unresolvedImages to ERROR (--unresolved error), or not at all with IGNORE.';

/**
 * The report as SARIF 2.1.0, for code scanning dashboards (GitHub code scanning and others):
 * one rule per rule id of the sources table, one result per finding with the file, line and
 * column of the image value, and each input that could not be scanned as a tool execution
 * notification (the invocation is then not successful).
 */
export function formatSarif(result: ScanResult, options: SarifOptions): string {
  // The sources table's rules, and the rule of what a template leaves to deployment (macros).
  const ruleIds = [...allRuleIds(), TEMPLATE_RULE_ID];
  const images = options.inventory ? result.images : result.images.filter((i) => sarifResult(i.finding.outcome).kind === 'fail');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.tool.name,
            version: options.tool.version,
            informationUri: options.tool.informationUri,
            rules: ruleIds.map((id) => ruleJson(id, options.tool)),
          },
        },
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
        results: images.map((image) => resultJson(image, ruleIds)),
      },
    ],
  };
  return `${JSON.stringify(log, undefined, 2)}\n`;
}

function ruleJson(id: string, tool: PackageInfo) {
  const description = id === TEMPLATE_RULE_ID ? TEMPLATE_RULE_DESCRIPTION : ruleDescription(id);
  const severityNote = id === TEMPLATE_RULE_ID ? TEMPLATE_RULE_NOTE : ruleResultNote(id);
  const help = `${description}. ${RULE_EXPLANATION} ${severityNote}`;
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: description },
    fullDescription: { text: `${description}. ${RULE_EXPLANATION}` },
    help: { text: help, markdown: `**${description}.**\n\n${RULE_EXPLANATION}\n\n${severityNote}` },
    helpUri: tool.informationUri,
    defaultConfiguration: { level: ruleDefaultLevel(id) },
    properties: { tags: ['containers', 'supply-chain'], precision: 'very-high' },
  };
}

function resultJson(image: ScannedImage, ruleIds: readonly string[]) {
  const { finding } = image;
  const verdict = finding.verdict;
  const { level, kind } = sarifResult(finding.outcome);
  const position = image.position;
  const ruleIndex = ruleIds.indexOf(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(ruleIndex === -1 ? {} : { ruleIndex }),
    kind,
    level,
    message: { text: findingMessage(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(image.file),
          ...(position ? { region: { ...position } } : {}),
        },
        logicalLocations: [
          {
            name: image.container,
            fullyQualifiedName: [image.stack, image.resource, image.container].filter((p) => p !== undefined).join('/'),
            kind: 'resource',
          },
        ],
      },
    ],
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
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) {
    return { uri: pathToFileURL(file).href };
  }
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}
