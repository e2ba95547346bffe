import * as fs from 'fs';
import * as path from 'path';
import { CloudResource, CloudTemplate } from '../cfn/cloud-template';

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
