import * as fs from 'fs';
import * as path from 'path';
import { checkResource, ImageFinding } from '../check/check-resource';
import { ImagePinningPolicy } from '../policy/image-pinning-policy';
import { imageSourceFor } from '../sources/catalog';
import { ParameterDeclaration, RepositoryRef, TemplateContext } from '../template/intrinsics';

/** The parts of a CloudFormation template the check reads. */
export interface CloudTemplate {
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
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

/** A finding in a template, with where it is. */
export interface TemplateFinding {
  readonly templatePath: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The construct path aws-cdk-lib recorded (`aws:cdk:path` metadata), when it did. */
  readonly constructPath?: string;
  readonly finding: ImageFinding;
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
      return declared && { type: declared.Type, default: declared.Default };
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

/** Every image in a template, judged: the shared check, fed from template JSON. */
export function checkTemplate(
  template: CloudTemplate,
  templatePath: string,
  policy: ImagePinningPolicy,
  assembly?: AssemblyIndex,
): TemplateFinding[] {
  const context = templateContext(template, assembly);
  const findings: TemplateFinding[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const resourceType = resource?.Type;
    if (typeof resourceType !== 'string' || !imageSourceFor(resourceType)) {
      continue;
    }
    const cdkPath = resource.Metadata?.['aws:cdk:path'];
    for (const finding of checkResource(resourceType, resource.Properties ?? {}, context, policy)) {
      findings.push({ templatePath, logicalId, resourceType, constructPath: typeof cdkPath === 'string' ? cdkPath : undefined, finding });
    }
  }
  return findings;
}

/** A template and the nested stack templates it deploys, as files next to it. */
export interface LoadedTemplate {
  readonly templatePath: string;
  readonly template: CloudTemplate;
  /** For a nested stack: the logical id of its `AWS::CloudFormation::Stack` in the parent. */
  readonly nestedIn?: { readonly templatePath: string; readonly logicalId: string };
}

/**
 * Reads a synthesized template and, recursively, the templates of its nested stacks, which
 * aws-cdk-lib writes as file assets beside it. The nested template's file is found from the
 * `aws:asset:path` metadata of the `AWS::CloudFormation::Stack` resource when the CLI asked for
 * asset metadata, else from the asset hash in its `TemplateURL` and the stack's asset manifest
 * (`<stack>.assets.json`, which lists the assets of all its nested stacks).
 */
export function loadTemplateTree(templatePath: string, readJson: (file: string) => unknown = readJsonFile): LoadedTemplate[] {
  const loaded: LoadedTemplate[] = [];
  const seen = new Set<string>();
  const root = path.resolve(templatePath);
  const assetFiles = assetManifestFiles(root, readJson);
  const visit = (file: string, nestedIn?: LoadedTemplate['nestedIn']) => {
    if (seen.has(file)) return;
    seen.add(file);
    const template = (readJson(file) ?? {}) as CloudTemplate;
    loaded.push({ templatePath: file, template, nestedIn });
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
      const nested = nestedTemplateFile(resource, assetFiles);
      const nestedPath = nested && path.resolve(path.dirname(root), nested);
      if (nestedPath && fs.existsSync(nestedPath)) {
        visit(nestedPath, { templatePath: file, logicalId });
      }
    }
  };
  visit(root);
  return loaded;
}

const ASSET_HASH_IN_URL = /([0-9a-f]{64})\.json/g;

function nestedTemplateFile(resource: CloudResource, assetFiles: Map<string, string>): string | undefined {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string' && assetPath.endsWith('.json')) {
    return assetPath;
  }
  const url = JSON.stringify((resource.Properties as { TemplateURL?: unknown } | undefined)?.TemplateURL ?? '');
  for (const match of url.matchAll(ASSET_HASH_IN_URL)) {
    const file = assetFiles.get(match[1]);
    if (file) return file;
  }
  return undefined;
}

/** Asset hash -> file name, from the asset manifest beside a stack template, if there is one. */
function assetManifestFiles(templatePath: string, readJson: (file: string) => unknown): Map<string, string> {
  const manifest = templatePath.replace(/\.template\.json$/, '.assets.json');
  const files = new Map<string, string>();
  if (manifest === templatePath || !fs.existsSync(manifest)) {
    return files;
  }
  try {
    const parsed = readJson(manifest) as { files?: Record<string, { source?: { path?: unknown } }> };
    for (const [hash, asset] of Object.entries(parsed?.files ?? {})) {
      if (typeof asset?.source?.path === 'string') files.set(hash, asset.source.path);
    }
  } catch {
    // An unreadable asset manifest only means nested stacks cannot be followed by hash.
  }
  return files;
}

function readJsonFile(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
