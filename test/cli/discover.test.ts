import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discover } from '../../src/cli/discover';
import { SourceFiles } from '../../src/cli/source-files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-pinning-discover-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = JSON.stringify({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'a', Image: 'a:1' }] } } } });
const TASK_DEFINITION = JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx' }] });

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

describe('discover: what there is to scan, found once', () => {
  const template = write('in/a.template.json', TEMPLATE);
  const taskDefinition = write('in/td.json', TASK_DEFINITION);
  write('in/package.json', '{"name": "not-a-template"}');

  test('a directory is walked; each file is taken by its content; other JSON is skipped', () => {
    const found = discover(['in'], dir);
    expect(found.entries.map((e) => [e.kind, e.file])).toEqual([
      ['template', template],
      ['task-definition', taskDefinition],
    ]);
    expect(found.problems).toEqual([]);
  });

  test('overlapping paths (a file and the directory holding it) give each file once', () => {
    const found = discover(['in/a.template.json', 'in', 'in/td.json'], dir);
    expect(found.entries.map((e) => e.file).sort()).toEqual([template, taskDefinition].sort());
  });

  test('templates given as files form one group, so exports and repositories are looked up across them', () => {
    const found = discover(['in'], dir);
    expect([...found.groups.keys()]).toEqual(['']);
    expect(found.groups.get('')).toHaveLength(1);
  });

  test('a path that does not exist is a problem with its reason, and the rest is still found', () => {
    const found = discover(['missing.json', 'in'], dir, 'run cdk synth first');
    expect(found.problems.map((p) => [path.basename(p.file), p.reason])).toEqual([['missing.json', 'does not exist (run cdk synth first)']]);
    expect(found.entries).toHaveLength(2);
  });
});

describe('documents are let go once checked', () => {
  test('release forgets an entry\'s parsed document (reading it again parses it again); what is not an entry is not held after discovery', () => {
    write('release/a.template.json', JSON.stringify({ Resources: { T: { Type: 'AWS::ECS::TaskDefinition', Properties: {} } } }));
    write('release/b.yaml', 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: !Sub x\n');
    write('release/notes.json', '{"not": "a template"}');
    const files = new SourceFiles();
    const found = discover(['release'], dir, { sourceFiles: files });
    expect(found.entries.map((e) => path.basename(e.file))).toEqual(['a.template.json', 'b.yaml']);
    expect(files.held).toBe(2); // notes.json was read to learn what it is, and let go
    const [a, b] = found.entries.map((e) => e.file);
    const first = found.document(a);
    expect(found.document(a)).toBe(first);
    found.release(a);
    found.release(b);
    expect(files.held).toBe(0);
    const again = found.document(a);
    expect(again).not.toBe(first);
    expect(again.value).toEqual(first.value);
    expect(found.document(b).locate(['Resources', 'T', 'Properties', 'Family'])).toEqual({ startLine: 5, startColumn: 20, endLine: 5, endColumn: 21 }); // the tag's value, as before the release
  });
});
