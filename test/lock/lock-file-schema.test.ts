import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { LOCK_FILE_SCHEMA_PATH, LockFileError, parseLockFile, serializeLockFile } from '../../src/lock/lock-file';

/**
 * The JSON Schema shipped in the package (`schemas/lock-file.schema.json`, what `$schema` points
 * editors at) and the parser agree: every file the parser accepts, the schema accepts, and the
 * files the parser rejects for their shape, the schema rejects too.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, LOCK_FILE_SCHEMA_PATH), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const D1 = `sha256:${'1a'.repeat(32)}`;
const D2 = `sha256:${'2b'.repeat(32)}`;
const doc = (images: object, extra: object = {}) => ({ lockfileVersion: 1, images, ...extra });

const VALID = [
  doc({}),
  doc({}, { $schema: './node_modules/cdk-image-pinning/schemas/lock-file.schema.json' }),
  doc({ 'docker.io/library/nginx:1.27.3': { digest: D1 } }),
  doc({ 'docker.io/library/nginx:1.27.3': { digest: D1, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: { 'linux/amd64': D2, 'linux/arm/v7': D1 } } }),
  doc({ '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1.2.3': { digest: D1, platform: 'linux/arm64' } }),
  doc({ 'localhost:5000/app:V1_x.2-rc': { digest: D1 } }),
  doc({ '127.0.0.1:5000/a/b/c:1': { digest: D1 } }),
];

const INVALID: Array<[string, object]> = [
  ['no images', { lockfileVersion: 1 }],
  ['version 2', doc({}, { lockfileVersion: 2 })],
  ['an unknown key', doc({}, { extra: 1 })],
  ['$schema not a string', doc({}, { $schema: 1 })],
  ['a key without registry', doc({ 'nginx:1.27.3': { digest: D1 } })],
  ['a key without tag', doc({ 'docker.io/library/nginx': { digest: D1 } })],
  ['a key with a digest', doc({ [`docker.io/library/nginx:1@${D1}`]: { digest: D1 } })],
  ['a short digest', doc({ 'docker.io/library/nginx:1': { digest: 'sha256:abc' } })],
  ['an uppercase digest', doc({ 'docker.io/library/nginx:1': { digest: D1.toUpperCase().replace('SHA256', 'sha256') } })],
  ['an unknown field', doc({ 'docker.io/library/nginx:1': { digest: D1, tag: '1' } })],
  ['a platform key without os', doc({ 'docker.io/library/nginx:1': { digest: D1, platforms: { amd64: D1 } } })],
  ['a platform digest that is not one', doc({ 'docker.io/library/nginx:1': { digest: D1, platforms: { 'linux/amd64': 'x' } } })],
  ['platform and platforms at once', doc({ 'docker.io/library/nginx:1': { digest: D1, platform: 'linux/amd64', platforms: { 'linux/amd64': D1 } } })],
  ['a platform that is not one', doc({ 'docker.io/library/nginx:1': { digest: D1, platform: 'amd64' } })],
];

describe('the lock file schema', () => {
  test.each(VALID.map((d) => [JSON.stringify(d).slice(0, 90), d]))('%s: accepted by the parser and the schema', (_name, d) => {
    expect(() => parseLockFile(JSON.stringify(d), 'l.json')).not.toThrow();
    expect(validate(d)).toBe(true);
    expect(validate(JSON.parse(serializeLockFile(parseLockFile(JSON.stringify(d), 'l.json'))))).toBe(true);
  });

  test.each(INVALID)('%s: rejected by the parser and the schema', (_name, d) => {
    expect(() => parseLockFile(JSON.stringify(d), 'l.json')).toThrow(LockFileError);
    expect(validate(d)).toBe(false);
  });
});
