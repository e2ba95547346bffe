import { AssemblyIndex, CloudTemplate, templateContext } from '../cfn/cloud-template';
import { checkResource } from '../check/check-resource';
import { CheckSettings } from '../check/check-settings';
import { ImageFinding } from '../check/finding';

/** A finding in a template, with where it is. */
export interface TemplateFinding {
  readonly templatePath: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The construct path aws-cdk-lib recorded (`aws:cdk:path` metadata), when it did. */
  readonly constructPath?: string;
  readonly finding: ImageFinding;
}

/** Every image in a template, judged: the shared check, fed from template JSON. */
export function checkTemplate(
  template: CloudTemplate,
  templatePath: string,
  settings: CheckSettings,
  assembly?: AssemblyIndex,
): TemplateFinding[] {
  const context = templateContext(template, assembly);
  const findings: TemplateFinding[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const resourceType = resource?.Type;
    if (typeof resourceType !== 'string') {
      continue;
    }
    const cdkPath = resource.Metadata?.['aws:cdk:path'];
    for (const finding of checkResource(resourceType, resource.Properties ?? {}, context, settings)) {
      findings.push({ templatePath, logicalId, resourceType, constructPath: typeof cdkPath === 'string' ? cdkPath : undefined, finding });
    }
  }
  return findings;
}
