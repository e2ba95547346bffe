import { PathStep } from './parse-document';
import { EMPTY_CONTEXT } from '../cfn/template-context';
import { checkResource } from '../check/check-resource';
import { CheckSettings } from '../check/check-settings';
import { ImageFinding } from '../check/finding';

/**
 * ECS task definition files, as `aws ecs register-task-definition --cli-input-json` takes them
 * (`{ "family", "containerDefinitions": [...] }`) and as `aws ecs describe-task-definition`
 * prints them (`{ "taskDefinition": { ... } }`). Their containers are checked by the shared check
 * as the containers of an `AWS::ECS::TaskDefinition` resource: the ECS API's field names are the
 * CloudFormation property names in camelCase.
 */

/** The resource type whose properties a task definition file's containers are checked as. */
export const TASK_DEFINITION_RESOURCE_TYPE = 'AWS::ECS::TaskDefinition';

/** `register`: the register-task-definition input; `describe`: the describe-task-definition output. */
export type TaskDefinitionShape = 'register' | 'describe';

/** One image of a task definition file, with where it is in the file. */
export interface TaskDefinitionImage {
  readonly finding: ImageFinding;
  /** e.g. `['taskDefinition', 'containerDefinitions', 0, 'image']`. */
  readonly path: readonly PathStep[];
}

export interface TaskDefinitionFileResult {
  readonly shape: TaskDefinitionShape;
  /** `family:revision` (or the family) when the file names it. */
  readonly name?: string;
  readonly images: readonly TaskDefinitionImage[];
}

/** Which shape of task definition file a parsed document is, if any. */
export function taskDefinitionShape(value: unknown): TaskDefinitionShape | undefined {
  if (isObject(value) && Array.isArray(value.containerDefinitions)) {
    return 'register';
  }
  if (isObject(value) && isObject(value.taskDefinition) && Array.isArray(value.taskDefinition.containerDefinitions)) {
    return 'describe';
  }
  return undefined;
}

/** Every image of a task definition file, judged by the shared check. */
export function checkTaskDefinitionFile(value: unknown, shape: TaskDefinitionShape, settings: CheckSettings): TaskDefinitionFileResult {
  const prefix: PathStep[] = shape === 'describe' ? ['taskDefinition'] : [];
  const definition = (shape === 'describe' ? (value as { taskDefinition: unknown }).taskDefinition : value) as Record<string, unknown>;
  const containers = Array.isArray(definition.containerDefinitions) ? definition.containerDefinitions : [];
  const properties = { ContainerDefinitions: containers.map((c) => (isObject(c) ? pascalCaseKeys(c) : c)) };
  const findings = checkResource(TASK_DEFINITION_RESOURCE_TYPE, properties, EMPTY_CONTEXT, settings);
  return {
    shape,
    name: nameOf(definition),
    images: findings.map((finding) => ({ finding, path: [...prefix, ...apiPath(finding.found.propertyPath)] })),
  };
}

function nameOf(definition: Record<string, unknown>): string | undefined {
  const family = typeof definition.family === 'string' && definition.family.length > 0 ? definition.family : undefined;
  const revision = typeof definition.revision === 'number' || typeof definition.revision === 'string' ? definition.revision : undefined;
  return family && revision !== undefined ? `${family}:${revision}` : family;
}

/** `{ name, image }` -> `{ Name, Image }`: the container's own fields only, values untouched. */
function pascalCaseKeys(container: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(container).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]));
}

/** `ContainerDefinitions.0.Image` -> `['containerDefinitions', 0, 'image']`. */
function apiPath(propertyPath: string): PathStep[] {
  return propertyPath.split('.').map((step) => (/^\d+$/.test(step) ? Number(step) : step.charAt(0).toLowerCase() + step.slice(1)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
