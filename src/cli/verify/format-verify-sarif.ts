import { ReportRow, reportRows } from './report-rows';
import { VerifiedImage, VerifyResult } from './verify-images';
import { findingMessage } from '../../report/finding-text';
import { sarifResult } from '../../report/levels';
import { registryRule, registryRuleIds } from '../../rules/registry-rules';
import { allRuleIds } from '../../rules/rule-ids';
import { artifactLocation, directoryUri, ruleJson, sarifLog } from '../format-sarif';
import { imageParts, imageStatus } from '../inventory';
import { PackageInfo } from '../package-info';

export interface VerifySarifOptions {
  readonly inventory: boolean;
  readonly exitCode: number;
  readonly tool: PackageInfo;
  readonly cwd: string;
}

const SRCROOT = '%SRCROOT%';

/**
 * The report of `verify` as SARIF 2.1.0: `scan`'s rules and results, the registry rules
 * (`ImagePinning-REG1` to `REG4`) with theirs, and each reference that could not be verified as a
 * tool execution notification (the invocation is then not successful). With `inventory`, images
 * without findings are results of kind `pass`. Every result carries the verification status and
 * resolved digest in its properties.
 */
export function formatVerifySarif(result: VerifyResult, options: VerifySarifOptions): string {
  const ruleIds = [...allRuleIds(), ...registryRuleIds()];
  const rows = reportRows(result);
  const withFindings = new Set(rows.map((r) => r.verified));
  const passes = options.inventory ? result.images.filter((v) => !withFindings.has(v)) : [];
  const log = sarifLog(options.tool, ruleIds.map((id) => registryRuleJson(id, options.tool) ?? ruleJson(id, options.tool)), {
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.cwd) } },
    invocations: [
      {
        executionSuccessful: result.scan.problems.length === 0 && result.notVerified.length === 0,
        exitCode: options.exitCode,
        toolExecutionNotifications: [
          ...result.scan.problems.map((p) => ({
            level: 'error',
            message: { text: `${p.file}: ${p.reason}` },
            locations: [{ physicalLocation: { artifactLocation: artifactLocation(p.file) } }],
          })),
          ...result.notVerified.map((n) => ({ level: 'error', message: { text: `not verified: ${n.message}` } })),
          ...result.notices.map((n) => ({ level: 'warning', message: { text: n } })),
        ],
      },
    ],
    columnKind: 'utf16CodeUnits',
    results: [
      ...rows.map((r) => resultJson(r.verified, ruleIds, { ruleId: r.ruleId, level: r.severity, kind: 'fail', message: r.message, findingId: r.findingId, reason: r.reason })),
      ...passes.map((v) => {
        const { level, kind } = sarifResult(v.scanned.finding.outcome);
        const f = v.scanned.finding;
        return resultJson(v, ruleIds, { ruleId: f.ruleId, level, kind, message: findingMessage(f), findingId: f.findingId, reason: f.reason });
      }),
    ],
  });
  return `${JSON.stringify(log, undefined, 2)}\n`;
}

function registryRuleJson(id: string, tool: PackageInfo) {
  const rule = registryRule(id);
  if (!rule) return undefined;
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description}. ${rule.help}` },
    help: { text: `${rule.description}. ${rule.help}`, markdown: `**${rule.description}.**\n\n${rule.help}` },
    helpUri: tool.informationUri,
    defaultConfiguration: { level: rule.level },
    properties: { tags: ['containers', 'supply-chain', 'registry'], precision: 'high' },
  };
}

interface ResultParts {
  readonly ruleId: string;
  readonly level: ReportRow['severity'] | 'none';
  readonly kind: 'fail' | 'pass' | 'review';
  readonly message: string;
  readonly findingId: string;
  readonly reason: string;
}

function resultJson(verified: VerifiedImage, ruleIds: readonly string[], parts: ResultParts) {
  const image = verified.scanned;
  const position = image.position;
  const ruleIndex = ruleIds.indexOf(parts.ruleId);
  return {
    ruleId: parts.ruleId,
    ...(ruleIndex === -1 ? {} : { ruleIndex }),
    kind: parts.kind,
    level: parts.level,
    message: { text: parts.message },
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
      findingId: parts.findingId,
      image: image.finding.image,
      status: imageStatus(image.finding.verdict),
      reason: parts.reason,
      ...imageParts(image.finding.verdict),
      verification: verified.status,
      ...(verified.reference ? { reference: verified.reference } : {}),
      ...(verified.digest ? { resolvedDigest: verified.digest } : {}),
      resource: image.resource,
      resourceType: image.resourceType,
      container: image.container,
      propertyPath: image.propertyPath,
      ...(image.stack ? { stack: image.stack } : {}),
      ...(image.constructPath ? { constructPath: image.constructPath } : {}),
    },
  };
}
