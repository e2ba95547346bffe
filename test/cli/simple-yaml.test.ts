import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseDocumentText, parsedYaml, PathStep, readsSimply } from '../../src/cli/parse-document';

/**
 * The simple YAML reader against the `yaml` package: for every document, read or declined, the
 * scanner must give what `yaml` gives (the value, key order included, the error, the position of
 * every value and of paths that lead past one). The documents: the YAML fixtures, templates in
 * the shapes the reader takes, and many variants of them, each with one edit (a character, an
 * indentation, a scalar YAML 1.1 reads as something other than a string) that the reader must
 * either read as `yaml` does or decline.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cli');

function yamlFixtures(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFixtures(file);
    return /\.ya?ml$/.test(entry.name) ? [fs.readFileSync(file, 'utf8')] : [];
  });
}

const SHAPES = `AWSTemplateFormatVersion: "2010-09-09"
Description: 'It''s a template: with # and ''quotes''' # a comment
Parameters:
  Tag:
    Type: String
  Count:
    Type: Number
    Default: 3
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: 256
      Memory: '512'
      Flags: [yes, no, on, off, ~, null, 0x1F, 0755, 1e3, .inf, -.5, +1, 2010-09-09, 1_000]
      Empty:
      Nested:
        -
          - c
      ContainerDefinitions:
        - Name: web
          Image: !Join ['', [example/app, ':', !Ref Tag]]
          Essential: true
          PortMappings:
            - ContainerPort: 80
        -   Name: sub
            Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/app:latest'
        - Name: long
          Image:
            Fn::If:
              - IsProd
              - nginx:1.27.3
              - !GetAtt Repo.RepositoryUri
        - Name: block-tag
          Image: !If
            - IsProd
            - nginx:1.27.3
            - !Ref AWS::NoValue
        - Name: sub-list
          Image: !Sub
            - '\${Registry}/app:stable'
            - Registry: !ImportValue shared-registry
        - Name: "double"
          Image: "public.ecr.aws/nginx/nginx@sha256:${'a'.repeat(64)}"
          Command: [sh, -c, 'echo hi', "x y", a b]
Outputs:
  Url:
    Value: !GetAtt Lb.DNSName
`;

/** Edits that make a document other YAML, or not YAML at all. */
const INSERTIONS = [' ', '  ', ':', ': ', '-', '- ', '#', ' #', "'", '"', '!', '!Ref ', '[', ']', '{', '}', ',', '\n', '\n  ', '&a ', '*a', '|', '>', '?', '%', '@', '`', '\\', '~', '\t', '\r', '<<: ', '---\n'];
const SCALARS = ['yes', 'No', 'ON', 'y', 'n', '~', 'null', 'Null', 'true', 'FALSE', '0x1F', '0b101', '0755', '0o17', '1e3', '1.5', '.5', '-1', '+1', '.inf', '-.INF', '.nan', '12:30', '1:20:30.5', '2010-09-09', '2001-12-14t21:59:43.10-05:00', '1_000', '__proto__', '<<', "'a'", '"a"', '!Ref', '!Sub x', '!GetAtt a', '!GetAtt a.b.c', '!Join x', '!Ref [a]', '!Foo x', '!!str 1', '[]', '[a,]', '[a, , b]', '{}', 'a: b', 'a #b', 'a#b', "'a''b'", '"a\\"b"', 'x'.repeat(1030)];

/** Numbers in [0, 1) from fast-check, seeded, so that every run tests the same variants. */
function random(seed: number, count: number): () => number {
  const values = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { seed, numRuns: count });
  let i = 0;
  return () => values[i++ % values.length] / 2 ** 31;
}

function variants(text: string, count: number, seed: number): string[] {
  const next = random(seed, count * 8);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * text.length);
    const kind = i % 5;
    if (kind === 0) {
      out.push(text.slice(0, at) + pick(INSERTIONS) + text.slice(at));
    } else if (kind === 1) {
      out.push(text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3)));
    } else if (kind === 2) {
      // A scalar after a colon or a dash replaced.
      const line = Math.floor(next() * lines.length);
      const edited = [...lines];
      edited[line] = edited[line].replace(/(:\s|-\s)(.*)$/, (_, lead: string) => `${lead}${pick(SCALARS)}`);
      out.push(edited.join('\n'));
    } else if (kind === 3) {
      // A line indented one or two spaces more or less.
      const line = Math.floor(next() * lines.length);
      const edited = [...lines];
      edited[line] = next() < 0.5 ? `${' '.repeat(1 + Math.floor(next() * 2))}${edited[line]}` : edited[line].replace(/^ {1,2}/, '');
      out.push(edited.join('\n'));
    } else {
      // A line twice (a duplicate key, mostly), or a scalar as a key.
      const line = Math.floor(next() * lines.length);
      const edited = [...lines];
      const key = pick(SCALARS.filter((k) => !/^[[{]/.test(k))); // not a list or mapping as a key: yaml warns on the console
      edited.splice(line, 0, next() < 0.5 ? lines[line] : lines[line].replace(/^(\s*(?:- )?)[^:\s]+:/, (_, lead: string) => `${lead}${key}:`));
      out.push(edited.join('\n'));
    }
  }
  return out;
}

type Outcome = { error: string } | { value: string; positions: string[] };

/** Every path into the value, and a step past each: what a finding's location can be. */
function paths(value: unknown, prefix: PathStep[] = [], out: PathStep[][] = []): PathStep[][] {
  out.push(prefix, [...prefix, 'Nope'], [...prefix, 0]);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function outcome(read: () => ReturnType<typeof parseDocumentText>, pathsOf: (value: unknown) => PathStep[][]): Outcome {
  let doc: ReturnType<typeof parseDocumentText>;
  try {
    doc = read();
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
  return { value: JSON.stringify(doc.value), positions: pathsOf(doc.value).map((p) => `${p.join('.')} ${JSON.stringify(doc.locate(p))}`) };
}

function compare(text: string): boolean {
  if (/^\s*[{[]/.test(text)) return false; // read as JSON first, and yaml's errors are not shown for it
  const expected = outcome(() => parsedYaml(text), paths);
  // The paths of yaml's value, so that a value the simple reader got wrong is also located wrong.
  const expectedPaths = 'value' in expected ? paths(JSON.parse(expected.value)) : paths;
  const actual = outcome(() => parseDocumentText(text), typeof expectedPaths === 'function' ? expectedPaths : () => expectedPaths);
  expect({ text, outcome: actual }).toEqual({ text, outcome: expected });
  return readsSimply(text);
}

describe('the simple YAML reader reads as yaml does, or declines', () => {
  const documents = [SHAPES, fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'simple-yaml', 'template.yaml'), 'utf8'), ...yamlFixtures(FIXTURES)];

  test('the templates in its shape are read by it, and as yaml reads them', () => {
    expect(readsSimply(documents[1])).toBe(true);
    expect(compare(documents[1])).toBe(true);
    expect(compare(SHAPES)).toBe(true);
    // Left to yaml: a flow mapping, a list in a list's item, a colon in a flow list's plain scalar.
    expect(compare(SHAPES.replace('Tag:\n    Type: String', 'Tag: {Type: String}'))).toBe(false);
    expect(compare(SHAPES.replace('        -\n          - c', '        - - c'))).toBe(false);
    expect(compare(SHAPES.replace('2010-09-09, 1_000', '2010-09-09, 12:30'))).toBe(false);
  });

  test('every fixture', () => {
    for (const text of documents) compare(text);
  });

  test('variants: one edit each', () => {
    let simple = 0;
    let total = 0;
    documents.forEach((text, i) => {
      for (const variant of variants(text, i < 2 ? 600 : 60, 1 + i)) {
        total++;
        if (compare(variant)) simple++;
      }
    });
    // Most one-edit variants are still in its shape: the comparison is not only of declined documents.
    expect(simple).toBeGreaterThan(total / 3);
  });
});
