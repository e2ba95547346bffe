import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ParameterDeclaration, TemplateContext } from '../template/intrinsics';

/** A resource as it will appear in the template: CloudFormation property names, intrinsics resolved. */
export interface ResolvedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: unknown;
}

/**
 * Renders a resource the way synthesis will, escape-hatch overrides (`addPropertyOverride`)
 * included, so the construct-tree front doors see the same values as the final template.
 *
 * `_toCloudFormation` is how the stack itself renders each resource; it is not part of the
 * public API, so when it is missing or rendering fails (the stack's own synthesis reports that
 * failure) this returns undefined and the resource is skipped rather than guessed at.
 */
export function resolveResource(resource: CfnResource): ResolvedResource | undefined {
  const render = (resource as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof render !== 'function') {
    return undefined;
  }
  try {
    const rendered = Stack.of(resource).resolve(render.call(resource)) as { Resources?: Record<string, { Type?: string; Properties?: unknown }> };
    const [logicalId, body] = Object.entries(rendered?.Resources ?? {})[0] ?? [];
    if (!logicalId || !body) {
      return undefined;
    }
    return { logicalId, type: body.Type ?? resource.cfnResourceType, properties: body.Properties ?? {} };
  } catch {
    return undefined;
  }
}

/** Template lookups (parameters) answered from the stack's constructs. */
export function stackContext(scope: IConstruct): TemplateContext {
  const stack = Stack.of(scope);
  let parameters: Map<string, ParameterDeclaration> | undefined;
  return {
    parameter(logicalId: string) {
      // Built on first use only: most images have no Ref to a parameter.
      parameters ??= new Map(
        stack.node
          .findAll()
          .filter((c): c is CfnParameter => c instanceof CfnParameter && Stack.of(c) === stack)
          .map((p) => [stack.resolve(p.logicalId) as string, { type: p.type, default: p.default }]),
      );
      return parameters.get(logicalId);
    },
  };
}
