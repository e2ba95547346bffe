/**
 * What the intrinsic reader may ask about the template (or the stack) an image value belongs
 * to. The template front doors answer from the template's sections; the construct-tree front
 * doors answer from the construct tree.
 */

/** What a template declares about a parameter. */
export interface ParameterDeclaration {
  readonly type?: string;
  readonly default?: unknown;
  /** `AllowedValues`: when given, the parameter is one of them. */
  readonly allowedValues?: readonly unknown[];
}

/** A mapping of the template (`Mappings`): top-level key -> second-level key -> value. */
export type Mapping = Readonly<Record<string, unknown>>;

/**
 * Reads values that still hold CDK tokens, one level at a time. The Aspect supplies one, so it
 * can read an image without the full CloudFormation resolver (whose cost would rival the
 * synthesis it guards); the template front doors have no tokens and supply none.
 */
export interface TokenExpander {
  /** The literal text and tokens of a string, in order; undefined when it holds no token. */
  split(text: string): ReadonlyArray<string | { readonly token: unknown }> | undefined;
  /** One level of resolution of a token object; undefined when `value` is not a token. */
  expand(value: unknown): { readonly value: unknown } | undefined;
}

/** A way to name an ECR repository from an image: by logical id, by an export of it, or by name. */
export type RepositoryRef = { readonly logicalId: string } | { readonly exportName: string } | { readonly name: string };

/** Lookups into the template (or stack) an image value belongs to. */
export interface TemplateContext {
  /** How to read CDK tokens, when values may hold them. */
  readonly tokens?: TokenExpander;
  /** The parameter named `logicalId`, if the template declares one. */
  parameter(logicalId: string): ParameterDeclaration | undefined;
  /** The mapping named `name`, if the template declares one with literal keys. */
  mapping?(name: string): Mapping | undefined;
  /** Is this an ECR repository, of the same app, with immutable tags? Unknown repositories are not. */
  immutableRepository?(ref: RepositoryRef): boolean;
}

/** A context that knows nothing: every `Ref` to a non-pseudo name is shown as a reference. */
export const EMPTY_CONTEXT: TemplateContext = { parameter: () => undefined };
