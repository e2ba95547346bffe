import * as fs from 'fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The SARIF 2.1.0 JSON schema that @microsoft/jest-sarif ships, checked with ajv 8 (as
 * test/cli/format-sarif.test.ts reads it: a draft-04 schema whose only draft-04 construct is the
 * root `id`; one pattern is not valid with the `u` flag).
 */
export function sarifValidator() {
  const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { id, $schema: _draft04, ...schema } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...schema, $id: id, $schema: 'http://json-schema.org/draft-07/schema#' });
}
