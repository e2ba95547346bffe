import * as fs from 'fs';
import * as path from 'path';
import { StackFacts } from '../cfn/cloud-template';

/**
 * What a cloud assembly states about the stack of a template, from the `manifest.json` beside it:
 * the stack artifact's `environment` (`aws://123456789012/eu-west-1`; an environment-agnostic
 * stack's `aws://unknown-account/unknown-region` states nothing), and the repositories its
 * synthesizer pushes container assets to (the `dockerImages` destinations of the stack's asset
 * manifest; with the legacy synthesizer, its `aws:cdk:asset` metadata).
 */
export class StackFactsReader {
  private readonly byDirectory = new Map<string, ReadonlyMap<string, StackFacts>>();

  /** The facts about the stack whose template is `templatePath`; undefined when no manifest states any. */
  public of(templatePath: string): StackFacts | undefined {
    const dir = path.dirname(templatePath);
    let facts = this.byDirectory.get(dir);
    if (!facts) {
      facts = readManifest(dir);
      this.byDirectory.set(dir, facts);
    }
    return facts.get(path.basename(templatePath));
  }
}

interface Artifact {
  readonly type?: unknown;
  readonly environment?: unknown;
  readonly properties?: { readonly templateFile?: unknown; readonly file?: unknown };
  readonly metadata?: Record<string, Array<{ type?: unknown; data?: unknown }>>;
}

function readManifest(dir: string): ReadonlyMap<string, StackFacts> {
  const facts = new Map<string, StackFacts>();
  const artifacts = readJson<{ artifacts?: Record<string, Artifact> }>(path.join(dir, 'manifest.json'))?.artifacts ?? {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    const templateFile = artifact?.properties?.templateFile;
    if (artifact?.type !== 'aws:cloudformation:stack' || typeof templateFile !== 'string') continue;
    const parsed = typeof artifact.environment === 'string' ? /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment) : null;
    facts.set(path.basename(templateFile), {
      account: parsed && /^\d{12}$/.test(parsed[1]) ? parsed[1] : undefined,
      region: parsed && parsed[2] !== 'unknown-region' ? parsed[2] : undefined,
      assetRepositories: [...assetManifestRepositories(dir, artifacts[`${id}.assets`]), ...legacyAssetRepositories(artifact)],
    });
  }
  return facts;
}

/** The repositories the stack's asset manifest pushes container images to. */
function assetManifestRepositories(dir: string, assets: Artifact | undefined): string[] {
  const file = assets?.type === 'cdk:asset-manifest' ? assets.properties?.file : undefined;
  if (typeof file !== 'string') return [];
  const manifest = readJson<{ dockerImages?: Record<string, { destinations?: Record<string, { repositoryName?: unknown }> }> }>(path.join(dir, file));
  const destinations = Object.values(manifest?.dockerImages ?? {}).flatMap((image) => Object.values(image?.destinations ?? {}));
  const names = destinations.map((d) => d?.repositoryName);
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))];
}

/** The legacy synthesizer records container assets as metadata, with the repository they go to. */
function legacyAssetRepositories(artifact: Artifact): string[] {
  const names = Object.values(artifact.metadata ?? {})
    .flat()
    .filter((m) => m?.type === 'aws:cdk:asset')
    .map((m) => (m.data as { packaging?: unknown; repositoryName?: unknown } | undefined))
    .filter((d) => d?.packaging === 'container-image')
    .map((d) => d?.repositoryName);
  return [...new Set(names.filter((n): n is string => typeof n === 'string'))];
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // no manifest (templates given on their own): nothing is stated
  }
}
