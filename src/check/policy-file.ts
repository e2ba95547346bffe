import * as fs from 'fs';
import { compileOptions, ImagePinningOptions } from './check-settings';

/**
 * The CDK context key naming a policy file, e.g. in cdk.json:
 * `"context": { "cdk-image-pinning:policyFile": "image-policy.json" }`.
 */
export const POLICY_FILE_CONTEXT = 'cdk-image-pinning:policyFile';

/** A policy file holds a few options: a megabyte is far beyond any real one. */
const MAX_POLICY_FILE_SIZE = 1024 * 1024;

/** The keys a policy file may have: the policy options, and `$schema` for editors. */
const KEYS: ReadonlyArray<keyof ImagePinningOptions | '$schema'> = [
  '$schema',
  'level',
  'movingTags',
  'additionalMovingTags',
  'allowedImages',
  'unresolvedImages',
  'allowAssetImages',
  'trustImmutableTags',
  'excludeResourceTypes',
  'lockFile',
  'unlockedImages',
];

/**
 * Reads a policy file: a JSON object with the policy options (`level`, `movingTags`,
 * `additionalMovingTags`, `allowedImages`, `unresolvedImages`, `allowAssetImages`,
 * `trustImmutableTags`, `excludeResourceTypes`). The library
 * and the command-line scanner read the same file, so a platform team writes its policy once.
 *
 * @throws Error naming the file, and the key, when the file cannot be read or holds a bad option
 */
export function readPolicyFile(file: string): ImagePinningOptions {
  let text: string;
  try {
    // A policy file is a small regular file: a FIFO or a device would hang synthesis, a huge file fill the heap.
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      throw new Error(`policy file ${file}: is not a regular file`);
    }
    if (stat.size > MAX_POLICY_FILE_SIZE) {
      throw new Error(`policy file ${file}: is ${stat.size} bytes; a policy file is at most ${MAX_POLICY_FILE_SIZE} bytes`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as Error).message.startsWith('policy file ')) throw e;
    throw new Error(`policy file ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`policy file ${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`policy file ${file}: must hold a JSON object with the policy options`);
  }
  const unknown = Object.keys(parsed).filter((k) => !(KEYS as string[]).includes(k));
  if (unknown.length > 0) {
    throw new Error(`policy file ${file}: unknown key ${JSON.stringify(unknown[0])} (allowed: ${KEYS.join(', ')})`);
  }
  const { $schema: _schema, ...props } = parsed as ImagePinningOptions & { $schema?: unknown };
  // Check every option now, so a bad file is reported with its name.
  compileOptions(props, `policy file ${file}: `);
  return props;
}

/** Options from a policy file, overridden by the options given in code (or on the command line). */
export function mergeOptions(fromFile: ImagePinningOptions, explicit: ImagePinningOptions): ImagePinningOptions {
  const defined = Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined));
  return { ...fromFile, ...defined };
}
