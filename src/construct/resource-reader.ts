import { CfnResource, LegacyStackSynthesizer, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { repositoryLookup } from './repository-lookup';
import { StackIndex } from './stack-index';
import { cdkTokenExpander } from './token-expander';
import { StackAssetRepositories, TemplateContext, TokenExpander } from '../cfn/template-context';
import { PropertyReader, TEMPLATE_READER } from '../rules/image-sources';

/** A resource's properties, how to read them, and what their references point to. */
export interface ResourceProperties {
  readonly properties: unknown;
  readonly reader: PropertyReader;
  readonly context: TemplateContext;
}

/**
 * How the construct-tree front doors read a resource's images.
 *
 * Fast path: walk the L1's own property values, resolving only the values on the way to each
 * image. Rendering the whole resource with `Stack.resolve` would cost as much again as the
 * resource's share of synthesis.
 *
 * Exact path, when the resource has escape-hatch overrides (`addPropertyOverride`): render it
 * the way the stack will (`_toCloudFormation`, overrides merged) and read the result as template
 * JSON, so the Aspect judges the image the template will really have.
 */
export function readResource(resource: CfnResource, exact = false): ResourceProperties | undefined {
  const context = stackContext(Stack.of(resource));
  const tokens = context.tokens!;
  if (exact || hasOverrides(resource)) {
    const rendered = renderResource(resource);
    return rendered === undefined ? undefined : { properties: rendered, reader: TEMPLATE_READER, context };
  }
  return { properties: (resource as unknown as { cfnProperties: unknown }).cfnProperties, reader: constructReader(tokens), context };
}

function hasOverrides(resource: CfnResource): boolean {
  const overrides = (resource as unknown as { rawOverrides?: object }).rawOverrides;
  for (const _ in overrides) {
    return true;
  }
  return false;
}

/**
 * The resource's `Properties` as synthesis renders them. `_toCloudFormation` is how the stack
 * renders each resource; it is internal to aws-cdk-lib, so when it is missing or fails (the
 * stack's own synthesis then reports the failure) the resource is skipped, not guessed at.
 */
function renderResource(resource: CfnResource): unknown {
  const render = (resource as unknown as { _toCloudFormation?: () => unknown })._toCloudFormation;
  if (typeof render !== 'function') {
    return undefined;
  }
  try {
    const rendered = Stack.of(resource).resolve(render.call(resource)) as { Resources?: Record<string, { Properties?: unknown }> };
    const [body] = Object.values(rendered?.Resources ?? {});
    return body ? body.Properties ?? {} : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads an L1's property values. Generated L1 classes hold camelCase names (`containerDefinitions`),
 * a plain `CfnResource` holds CloudFormation names (`ContainerDefinitions`): both are tried.
 * Tokens on the way (such as the Lazy that renders an ECS task definition's containers) are
 * expanded one level at a time; the images themselves are left to the intrinsic evaluator.
 */
function constructReader(tokens: TokenExpander): PropertyReader {
  const shallow = (value: unknown): unknown => {
    let current = value;
    // A token may produce another token; the limit only guards against cycles.
    for (let i = 0; i < 10; i++) {
      const expanded = tokens.expand(current);
      if (!expanded) break;
      current = expanded.value;
    }
    return current;
  };
  return {
    resolve(value) {
      const resolved = shallow(value);
      if (Tokenization.isResolvable(resolved) || (typeof resolved === 'string' && Token.isUnresolved(resolved))) {
        // A token the fast path cannot read: checkConstruct then reads the rendered resource.
        throw new Error('unreadable token');
      }
      return resolved;
    },
    child(value, key) {
      const object = shallow(value);
      if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
      const record = object as Record<string, unknown>;
      // Left as it is: a value stepped into is expanded then, and the image itself is read by
      // the intrinsic evaluator, so neither is expanded twice.
      return key in record ? record[key] : record[camelCase(key)];
    },
    elements(value) {
      const list = shallow(value);
      return Array.isArray(list) ? list : undefined;
    },
    entries(value) {
      const object = shallow(value);
      return object && typeof object === 'object' && !Array.isArray(object) ? Object.entries(object as Record<string, unknown>) : undefined;
    },
  };
}

/** The property name generated L1 classes use: `ContainerDefinitions` -> `containerDefinitions`, `SSESpecification` -> `sseSpecification`. */
function camelCase(name: string): string {
  const upper = /^[A-Z]+/.exec(name)?.[0] ?? '';
  if (upper.length <= 1 || upper.length === name.length) {
    return name.charAt(0).toLowerCase() + name.slice(1);
  }
  return upper.slice(0, -1).toLowerCase() + name.slice(upper.length - 1);
}

/**
 * Template lookups answered from the stack's constructs, and CDK tokens read as they come: one
 * context and one token expander per stack, made when the stack's first resource is read.
 */
function stackContext(stack: Stack): TemplateContext {
  let context = CONTEXTS.get(stack);
  if (!context) {
    const index = StackIndex.of(stack);
    context = {
      tokens: cdkTokenExpander(stack),
      ecrRepository: repositoryLookup(stack),
      assetRepositories: () => stackAssetRepositories(stack),
      parameter: (logicalId) => index.parameter(logicalId),
      mapping: (name) => index.mapping(name),
    };
    CONTEXTS.set(stack, context);
  }
  return context;
}

const CONTEXTS = new WeakMap<Stack, TemplateContext>();

/**
 * The repository the stack's synthesizer pushes container assets to. aws-cdk-lib keeps it on the
 * synthesizer once bound (`repositoryName`, with `${AWS::AccountId}` and `${AWS::Region}` for an
 * environment-agnostic stack); the legacy synthesizer's is `aws-cdk/assets` (or the context key
 * `assets-ecr-repository-name`). A synthesizer that says nothing trusts no asset tag.
 */
function stackAssetRepositories(stack: Stack): StackAssetRepositories | undefined {
  const synthesizer = stack.synthesizer;
  const name = synthesizer instanceof LegacyStackSynthesizer
    ? stack.node.tryGetContext('assets-ecr-repository-name') ?? 'aws-cdk/assets'
    : (synthesizer as unknown as { repositoryName?: unknown }).repositoryName;
  if (typeof name !== 'string') {
    return undefined;
  }
  return {
    names: [name],
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
  };
}
