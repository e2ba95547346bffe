import * as fs from 'fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The SARIF 2.1.0 JSON schema that @microsoft/jest-sarif ships, checked with ajv 8. The file is a
 * draft-04 schema; ajv 8 reads draft-07, and the only draft-04 construct in it is the root `id`
 * (now `$id`). One of its patterns is not valid with the `u` flag, hence `unicodeRegExp: false`.
 */
function sarifValidator() {
  const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { id, $schema: _draft04, ...schema } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...schema, $id: id, $schema: 'http://json-schema.org/draft-07/schema#' });
}
export const validate = sarifValidator();

export function expectValidSarif(log: unknown): void {
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

