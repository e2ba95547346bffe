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

/**
 * A way to name an ECR repository from an image: by logical id (`Ref` to it, or `Fn::GetAtt` of its
 * ARN), by an export of either (`Fn::ImportValue`), or by its literal name.
 */
export type RepositoryRef = { readonly logicalId: string } | { readonly exportName: string } | { readonly name: string };

/** What the template (or the app) says about an ECR repository an image may be in. */
export interface EcrRepositoryFacts {
  /** Which repository this is: two refs that give the same id name the same repository. */
  readonly id: string;
  /** `ImageTagMutability` as declared (`MUTABLE` when absent); undefined when it is not literal. */
  readonly mutability?: string;
  /** The values of its `WILDCARD` exclusion filters; undefined when they are not literal. */
  readonly exclusionFilters?: readonly string[];
  /** Whether it is declared beside the image (same template, same stack): pseudo parameters there are its own account and region. */
  readonly sameStack: boolean;
  /** The literal account and region of its stack, when known. */
  readonly account?: string;
  readonly region?: string;
}

/** Lookups into the template (or stack) an image value belongs to. */
export interface TemplateContext {
  /** How to read CDK tokens, when values may hold them. */
  readonly tokens?: TokenExpander;
  /** The parameter named `logicalId`, if the template declares one. */
  parameter(logicalId: string): ParameterDeclaration | undefined;
  /** The mapping named `name`, if the template declares one with literal keys. */
  mapping?(name: string): Mapping | undefined;
  /** The ECR repository a ref names, declared in the template or the app; undefined when there is none. */
  ecrRepository?(ref: RepositoryRef): EcrRepositoryFacts | undefined;
  /**
   * Where the stack's own bootstrap keeps its container assets: the repository names its
   * synthesizer pushes to, with `${AWS::AccountId}` and `${AWS::Region}` where they depend on the
   * environment, and the stack's literal account and region when known.
   */
  assetRepositories?(): StackAssetRepositories | undefined;
}

/** A context that knows nothing: every `Ref` to a non-pseudo name is shown as a reference. */
export const EMPTY_CONTEXT: TemplateContext = { parameter: () => undefined };

/** The container asset repositories of a stack's bootstrap. */
export interface StackAssetRepositories {
  /** e.g. `cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}`, `aws-cdk/assets`. */
  readonly names: readonly string[];
  readonly account?: string;
  readonly region?: string;
}
