import { Mapping, ParameterDeclaration, RepositoryRef, TemplateContext } from './template-context';

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
  /** Literal names of the ECR repositories, in any of the templates, whose tags are immutable. */
  readonly immutableRepositoryNames: ReadonlySet<string>;
}

const EMPTY_ASSEMBLY: AssemblyIndex = { exports: new Map(), immutableRepositoryNames: new Set() };

/** Indexes the exports and the immutable ECR repositories of a set of templates. */
export function assemblyIndex(templates: Iterable<CloudTemplate>): AssemblyIndex {
  const exports = new Map<string, { template: CloudTemplate; value: unknown }>();
  const immutableRepositoryNames = new Set<string>();
  for (const template of templates) {
    for (const output of Object.values(template.Outputs ?? {})) {
      const name = output?.Export?.Name;
      if (typeof name === 'string') exports.set(name, { template, value: output.Value });
    }
    for (const resource of Object.values(template.Resources ?? {})) {
      const name = (resource?.Properties as { RepositoryName?: unknown } | undefined)?.RepositoryName;
      if (isImmutableRepository(resource) && typeof name === 'string') immutableRepositoryNames.add(name);
    }
  }
  return { exports, immutableRepositoryNames };
}

export interface CloudResource {
  readonly Type?: string;
  readonly Properties?: unknown;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * Parameters and ECR repositories, answered from the template's own sections and, when given,
 * from the other templates of the same cloud assembly.
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
    immutableRepository: (ref) => immutableRepositoryIn(template, ref, assembly),
  };
}

function isImmutableRepository(resource: CloudResource | undefined): boolean {
  return (
    resource?.Type === 'AWS::ECR::Repository' &&
    (resource.Properties as { ImageTagMutability?: unknown } | undefined)?.ImageTagMutability === 'IMMUTABLE'
  );
}

function immutableRepositoryIn(template: CloudTemplate, ref: RepositoryRef, assembly: AssemblyIndex): boolean {
  const resources = template.Resources ?? {};
  if ('logicalId' in ref) {
    return Object.prototype.hasOwnProperty.call(resources, ref.logicalId) && isImmutableRepository(resources[ref.logicalId]);
  }
  if ('name' in ref) {
    return (
      assembly.immutableRepositoryNames.has(ref.name) ||
      Object.values(resources).some((r) => isImmutableRepository(r) && (r.Properties as { RepositoryName?: unknown }).RepositoryName === ref.name)
    );
  }
  const exported = assembly.exports.get(ref.exportName);
  const target = (exported?.value as { Ref?: unknown } | undefined)?.Ref;
  return exported !== undefined && typeof target === 'string' && immutableRepositoryIn(exported.template, { logicalId: target }, EMPTY_ASSEMBLY);
}

