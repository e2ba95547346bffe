import { taskDefinitionShape, TaskDefinitionShape } from './task-definition-file';

/** What a file is, decided from its content (never from its name). */
export type FileKind =
  | { readonly kind: 'template' }
  | { readonly kind: 'task-definition'; readonly shape: TaskDefinitionShape }
  | { readonly kind: 'assembly-manifest' }
  | { readonly kind: 'unknown' };

/**
 * - a CloudFormation (or SAM) template: a `Resources` mapping, or `AWSTemplateFormatVersion`;
 * - an ECS task definition file: `containerDefinitions`, or `taskDefinition.containerDefinitions`;
 * - a cloud assembly's `manifest.json`: a `version` string and an `artifacts` mapping.
 */
export function detectFileKind(value: unknown): FileKind {
  if (!isObject(value)) {
    return { kind: 'unknown' };
  }
  if (isObject(value.Resources) || value.AWSTemplateFormatVersion !== undefined) {
    return { kind: 'template' };
  }
  const shape = taskDefinitionShape(value);
  if (shape) {
    return { kind: 'task-definition', shape };
  }
  if (isAssemblyManifest(value)) {
    return { kind: 'assembly-manifest' };
  }
  return { kind: 'unknown' };
}

/** A cloud assembly's `manifest.json`, as aws-cdk-lib writes it. */
export function isAssemblyManifest(value: unknown): boolean {
  return isObject(value) && typeof value.version === 'string' && isObject(value.artifacts);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
