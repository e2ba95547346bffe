import { EcrRepositoryFacts, Mapping, ParameterDeclaration, RepositoryRef, TemplateContext } from './template-context';

/**
 * A CloudFormation template as data, and what the intrinsic reader may ask about it: its
 * parameters, and the ECR repositories and exports of the templates synthesized with it.
 */

/** The parts of a CloudFormation template the check reads. */
export interface CloudTemplate {
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown; readonly AllowedValues?: unknown }>;
  readonly Mappings?: Record<string, unknown>;
  readonly Resources?: Record<string, CloudResource>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
}

/** What the templates of one cloud assembly tell about each other. */
export interface AssemblyIndex {
  /** Export name -> the template and value, so an `Fn::ImportValue` can be followed to its stack. */
  readonly exports: ReadonlyMap<string, { readonly template: CloudTemplate; readonly value: unknown }>;
  /** Literal repository name -> the ECR repositories, in any of the templates, that have it. */
  readonly repositoriesByName: ReadonlyMap<string, ReadonlyArray<{ readonly template: CloudTemplate; readonly logicalId: string }>>;
  /** What the cloud assembly states about each template's stack. */
  readonly stacks: ReadonlyMap<CloudTemplate, StackFacts>;
}

const EMPTY_ASSEMBLY: AssemblyIndex = { exports: new Map(), repositoriesByName: new Map(), stacks: new Map() };

const ECR_REPOSITORY = 'AWS::ECR::Repository';

/**
 * Indexes the exports and the ECR repositories of a set of templates.
 *
 * @param stackOf what the cloud assembly's manifest states about a template's stack: its literal
 * account and region (a repository vouches for a literal ECR host only in its own), its asset repositories
 */
export function assemblyIndex(templates: Iterable<CloudTemplate>, stackOf?: (template: CloudTemplate) => StackFacts | undefined): AssemblyIndex {
  const exports = new Map<string, { template: CloudTemplate; value: unknown }>();
  const stacks = new Map<CloudTemplate, StackFacts>();
  const repositoriesByName = new Map<string, Array<{ template: CloudTemplate; logicalId: string }>>();
  for (const template of templates) {
    const stack = stackOf?.(template);
    if (stack) stacks.set(template, stack);
    for (const output of Object.values(template.Outputs ?? {})) {
      const name = output?.Export?.Name;
      if (typeof name === 'string') exports.set(name, { template, value: output.Value });
    }
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const name = resource?.Type === ECR_REPOSITORY ? (resource.Properties as { RepositoryName?: unknown } | undefined)?.RepositoryName : undefined;
      if (typeof name === 'string') {
        const list = repositoriesByName.get(name) ?? [];
        list.push({ template, logicalId });
        repositoriesByName.set(name, list);
      }
    }
  }
  return { exports, repositoriesByName, stacks };
}

export interface CloudResource {
  readonly Type?: string;
  readonly Properties?: unknown;
  readonly Metadata?: Record<string, unknown>;
}

/** What the cloud assembly states about a template's stack. */
export interface StackFacts {
  /** The stack's literal account and region, when stated. */
  readonly account?: string;
  readonly region?: string;
  /** The repositories its synthesizer pushes container assets to (see `TemplateContext.assetRepositories`). */
  readonly assetRepositories?: readonly string[];
}

/**
 * Parameters, mappings and ECR repositories, answered from the template's own sections and, when
 * given, from the other templates of the same cloud assembly.
 */
export function templateContext(template: CloudTemplate, assembly: AssemblyIndex = EMPTY_ASSEMBLY): TemplateContext {
  const parameters = template.Parameters ?? {};
  return {
    parameter(logicalId: string): ParameterDeclaration | undefined {
      const declared = Object.prototype.hasOwnProperty.call(parameters, logicalId) ? parameters[logicalId] : undefined;
      if (!declared || typeof declared !== 'object') return undefined;
      const allowedValues = Array.isArray(declared.AllowedValues) ? declared.AllowedValues : undefined;
      return { type: declared.Type, default: declared.Default, allowedValues };
    },
    mapping(name: string): Mapping | undefined {
      const mappings = template.Mappings ?? {};
      const mapping = Object.prototype.hasOwnProperty.call(mappings, name) ? mappings[name] : undefined;
      return mapping && typeof mapping === 'object' && !Array.isArray(mapping) ? (mapping as Mapping) : undefined;
    },
    ecrRepository: (ref) => repositoryIn(template, ref, assembly),
    assetRepositories() {
      const stack = assembly.stacks.get(template);
      return stack?.assetRepositories ? { names: stack.assetRepositories, account: stack.account, region: stack.region } : undefined;
    },
  };
}

function repositoryIn(template: CloudTemplate, ref: RepositoryRef, assembly: AssemblyIndex): EcrRepositoryFacts | undefined {
  const facts = (t: CloudTemplate, logicalId: string) => repositoryFacts(t, logicalId, t === template, assembly.stacks.get(t) ?? {});
  const here = (logicalId: string) => facts(template, logicalId);
  if ('logicalId' in ref) {
    return here(ref.logicalId);
  }
  if ('name' in ref) {
    const named = assembly.repositoriesByName.get(ref.name) ?? [];
    const own = Object.entries(template.Resources ?? {}).find(
      ([, r]) => r?.Type === ECR_REPOSITORY && (r.Properties as { RepositoryName?: unknown } | undefined)?.RepositoryName === ref.name,
    );
    if (own) return here(own[0]);
    return named.length === 1 ? facts(named[0].template, named[0].logicalId) : undefined;
  }
  const exported = assembly.exports.get(ref.exportName);
  const target = exported && exportedRepository(exported.value);
  if (!exported || !target) return undefined;
  return facts(exported.template, target);
}

/** The logical id an export of `Ref: Repo` or `Fn::GetAtt: [Repo, Arn]` names. */
function exportedRepository(value: unknown): string | undefined {
  const v = value as { 'Ref'?: unknown; 'Fn::GetAtt'?: unknown } | undefined;
  if (typeof v?.Ref === 'string') return v.Ref;
  const att = v?.['Fn::GetAtt'];
  if (Array.isArray(att) && att.length === 2 && att[1] === 'Arn' && typeof att[0] === 'string') return att[0];
  if (typeof att === 'string' && att.endsWith('.Arn')) return att.slice(0, -'.Arn'.length);
  return undefined;
}

/** Which template an id belongs to: the repositories of two templates are different repositories. */
const TEMPLATE_IDS = new WeakMap<CloudTemplate, number>();
let nextTemplateId = 0;

function repositoryFacts(template: CloudTemplate, logicalId: string, sameStack: boolean, environment: StackFacts): EcrRepositoryFacts | undefined {
  const resources = template.Resources ?? {};
  const resource = Object.prototype.hasOwnProperty.call(resources, logicalId) ? resources[logicalId] : undefined;
  if (resource?.Type !== ECR_REPOSITORY) {
    return undefined;
  }
  if (!TEMPLATE_IDS.has(template)) TEMPLATE_IDS.set(template, nextTemplateId++);
  const properties = (resource.Properties ?? {}) as { ImageTagMutability?: unknown; ImageTagMutabilityExclusionFilters?: unknown };
  return {
    id: `${TEMPLATE_IDS.get(template)}#${logicalId}`,
    mutability: properties.ImageTagMutability === undefined ? 'MUTABLE' : typeof properties.ImageTagMutability === 'string' ? properties.ImageTagMutability : undefined,
    exclusionFilters: exclusionFilterValues(properties.ImageTagMutabilityExclusionFilters),
    sameStack,
    account: environment.account,
    region: environment.region,
  };
}


/**
 * The values of `WILDCARD` exclusion filters, when every filter is literal; undefined otherwise.
 * Accepts CloudFormation names and the camelCase names of aws-cdk-lib's L1 properties.
 */
export function exclusionFilterValues(filters: unknown): string[] | undefined {
  if (filters === undefined) return [];
  if (!Array.isArray(filters)) return undefined;
  const values: string[] = [];
  for (const filter of filters) {
    const f = (filter ?? {}) as Record<string, unknown>;
    const kind = f.ImageTagMutabilityExclusionFilterType ?? f.imageTagMutabilityExclusionFilterType;
    const value = f.ImageTagMutabilityExclusionFilterValue ?? f.imageTagMutabilityExclusionFilterValue;
    if (kind !== 'WILDCARD' || typeof value !== 'string') return undefined;
    values.push(value);
  }
  return values;
}
