import * as fs from 'fs';
import * as path from 'path';
import { renderSourcesTable } from './support/sources-table';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('the README matches the code', () => {
  test('the table of covered resource types is the sources table', () => {
    const section = /<!-- sources:begin -->\n([\s\S]*?)\n<!-- sources:end -->/.exec(README);
    expect(section?.[1].trim()).toBe(renderSourcesTable());
  });
});
