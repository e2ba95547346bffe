import * as fs from 'fs';
import { compileOptions, ImagePinningOptions } from './check-settings';

/**
 * The CDK context key naming a policy file, e.g. in cdk.json:
 * `"context": { "cdk-image-pinning:policyFile": "image-policy.json" }`.
 */
export const POLICY_FILE_CONTEXT = 'cdk-image-pinning:policyFile';

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
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
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
