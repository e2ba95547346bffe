import { UnfollowedStack } from './template-tree';
import { AssemblyIndex, CloudTemplate, templateContext } from '../cfn/cloud-template';
import { DocumentStep, expandForEach, LANGUAGE_EXTENSIONS_TRANSFORM, SAM_TRANSFORM, templateTransforms } from '../cfn/language-extensions';
import { checkResource, LOCKED_METADATA } from '../check/check-resource';
import { CheckSettings } from '../check/check-settings';
import { ImageFinding } from '../check/finding';
import { decideOutcome } from '../check/outcome';
import { ImageVerdict, PinningReason } from '../policy/image-verdict';
import { TEMPLATE_RULE_GROUP } from '../rules/catalog';
import { FoundImage, ImageSource } from '../rules/image-sources';
import { findingIdOf, TEMPLATE_RULE_ID } from '../rules/rule-ids';
import { ImageValue } from '../value/image-value';

/** A finding in a template, with where it is. */
export interface TemplateFinding {
  readonly templatePath: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The construct path aws-cdk-lib recorded (`aws:cdk:path` metadata), when it did. */
  readonly constructPath?: string;
  readonly finding: ImageFinding;
  /**
   * Where the value is in the template document: `['Resources', id, 'Properties', ...]`; for a
   * resource an `Fn::ForEach` loop made, the path through the loop's fragment.
   */
  readonly location: readonly DocumentStep[];
}

/**
 * Every image in a template, judged: the shared check, fed from template JSON. The resources of
 * `Fn::ForEach` loops are checked as the `AWS::LanguageExtensions` transform expands them (a loop
 * that cannot be expanded is a problem of `expandForEach`, which the caller reports).
 */
export function checkTemplate(
  template: CloudTemplate,
  templatePath: string,
  settings: CheckSettings,
  assembly?: AssemblyIndex,
): TemplateFinding[] {
  const expansion = expandForEach(template);
  const expanded = expansion.template as CloudTemplate;
  const context = templateContext(expanded, assembly);
  const findings: TemplateFinding[] = [];
  for (const [logicalId, resource] of Object.entries(expanded.Resources ?? {})) {
    const resourceType = resource?.Type;
    if (typeof resourceType !== 'string') {
      continue;
    }
    const cdkPath = resource.Metadata?.['aws:cdk:path'];
    const at = expansion.origins.get(logicalId) ?? ['Resources', logicalId];
    // Images synthesis pinned to the lock file keep the image as written in the resource's metadata.
    const rewritten = resource.Metadata?.[LOCKED_METADATA];
    const lockUse = { rewritten: rewritten && typeof rewritten === 'object' ? (rewritten as Record<string, string>) : undefined };
    for (const finding of checkResource(resourceType, resource.Properties ?? {}, context, settings, undefined, lockUse)) {
      findings.push({
        templatePath,
        logicalId,
        resourceType,
        constructPath: typeof cdkPath === 'string' ? cdkPath : undefined,
        finding,
        location: [...at, 'Properties', ...propertySteps(finding.found.propertyPath)],
      });
    }
  }
  return findings;
}


/** Transforms whose output the check reads: SAM's resources are in the sources table, loops are expanded. */
const UNDERSTOOD_TRANSFORMS = new Set([SAM_TRANSFORM, LANGUAGE_EXTENSIONS_TRANSFORM]);

const TEMPLATE_SOURCE: ImageSource = { resourceType: 'AWS::CloudFormation::Template', ruleGroup: TEMPLATE_RULE_GROUP, subject: 'Template', locations: [] };

/**
 * What a template leaves to deployment, each as one unresolved finding (rule `ImagePinning-CFN2`,
 * reported as `unresolvedImages` says, like any image only known at deploy time):
 *
 * - a template-level `Transform` other than SAM's and `AWS::LanguageExtensions`: a macro that
 *   rewrites the whole template when it is deployed, so no image in it (or added by it) is known;
 * - `Fn::Transform` in the `Resources` section or beside a resource's `Type` (`AWS::Include` of
 *   resources from S3, a macro over one resource): the resources it makes are not known;
 * - a resource whose `Type` is not a string (a loop over a deploy-time collection made it);
 * - nested stacks whose template is not among the files read (`unfollowed`, from the tree reader).
 */
export function checkTemplateGaps(
  template: CloudTemplate,
  templatePath: string,
  settings: CheckSettings,
  unfollowed: readonly UnfollowedStack[] = [],
): TemplateFinding[] {
  const findings: TemplateFinding[] = [];
  const add = (gap: Gap) => {
    const { logicalId, resourceType, location } = gap;
    findings.push({ templatePath, logicalId, resourceType, finding: gapFinding(gap, settings), location });
  };
  templateTransforms(template).forEach((name, i) => {
    if (UNDERSTOOD_TRANSFORMS.has(name)) return;
    const declared = (template as { Transform?: unknown }).Transform;
    add({
      logicalId: name,
      resourceType: 'Transform',
      label: name,
      subject: `Transform "${name}"`,
      display: `<macro:${name}>`,
      message: 'the macro rewrites the template when it is deployed, so the images it deploys are only known then',
      fix: 'scan the processed template (aws cloudformation get-template --template-stage Processed --stack-name <stack>)',
      location: Array.isArray(declared) ? ['Transform', i] : ['Transform'],
    });
  });
  const expanded = expandForEach(template);
  const resources = (expanded.template as CloudTemplate).Resources ?? {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    const at = expanded.origins.get(logicalId) ?? ['Resources', logicalId];
    if (logicalId === 'Fn::Transform' || (resource && typeof resource === 'object' && 'Fn::Transform' in resource)) {
      const macro = transformName(logicalId === 'Fn::Transform' ? resource : (resource as Record<string, unknown>)['Fn::Transform']);
      const whole = logicalId === 'Fn::Transform';
      add({
        logicalId,
        resourceType: whole ? macro : typeof resource?.Type === 'string' ? resource.Type : 'Fn::Transform',
        label: whole ? `Fn::Transform ${macro}` : logicalId,
        subject: whole ? `Fn::Transform "${macro}" in Resources` : `Resource ${logicalId}`,
        display: `<macro:${macro}>`,
        message: whole
          ? 'it adds resources when the template is deployed, so their images are only known then'
          : `Fn::Transform "${macro}" rewrites the resource when the template is deployed, so its images are only known then`,
        fix: 'scan the processed template (aws cloudformation get-template --template-stage Processed --stack-name <stack>)',
        location: whole ? at : [...at, 'Fn::Transform'],
      });
    } else if (resource && typeof resource === 'object' && resource.Type !== undefined && typeof resource.Type !== 'string') {
      add({
        logicalId,
        resourceType: '<unknown>',
        label: logicalId,
        subject: `Resource ${logicalId}`,
        display: '<type>',
        message: 'its Type is only known at deploy time, so whether it runs images cannot be checked',
        fix: 'write the resource type as a literal',
        location: [...at, 'Type'],
      });
    }
  }
  for (const stack of unfollowed) {
    const url = typeof stack.templateUrl === 'string' ? stack.templateUrl : undefined;
    add({
      logicalId: stack.logicalId,
      resourceType: 'AWS::CloudFormation::Stack',
      label: stack.logicalId,
      subject: `Nested stack ${stack.logicalId}`,
      display: `<template:${url ?? 'TemplateURL'}>`,
      message: `its template (${url ?? (stack.templateUrl === undefined ? 'it has no TemplateURL' : 'a TemplateURL only known at deploy time')}) is not among the files read, so its images are not checked`,
      fix: 'scan the nested stack\'s template as well',
      location: ['Resources', stack.logicalId, 'Properties', 'TemplateURL'],
    });
  }
  return findings;
}

interface Gap {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly label: string;
  readonly subject: string;
  readonly display: string;
  readonly message: string;
  readonly fix: string;
  readonly location: readonly DocumentStep[];
}

function gapFinding(gap: Gap, settings: CheckSettings): ImageFinding {
  const value = ImageValue.unknown({ kind: 'unreadable', name: gap.subject }, gap.display);
  const verdict: ImageVerdict = { compliant: false, reason: PinningReason.UNRESOLVED, image: gap.display, message: gap.message, fix: gap.fix };
  const found: FoundImage = { source: TEMPLATE_SOURCE, raw: undefined, value, propertyPath: gap.location.join('.'), subject: gap.subject, when: [] };
  return {
    ruleId: TEMPLATE_RULE_ID,
    findingId: findingIdOf(TEMPLATE_RULE_ID, gap.label),
    label: gap.label,
    subject: gap.subject,
    image: gap.display,
    reason: PinningReason.UNRESOLVED,
    message: gap.message,
    fix: gap.fix,
    value,
    verdict,
    found,
    outcome: decideOutcome(verdict, settings.actions),
  };
}

function transformName(value: unknown): string {
  const name = value && typeof value === 'object' ? (value as { Name?: unknown }).Name : undefined;
  return typeof name === 'string' ? name : 'macro';
}

/** `ContainerDefinitions.0.Image` -> `['ContainerDefinitions', 0, 'Image']`. */
function propertySteps(propertyPath: string): DocumentStep[] {
  return propertyPath.split('.').map((step) => (/^\d+$/.test(step) ? Number(step) : step));
}
