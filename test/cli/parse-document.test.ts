import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { DocumentSyntaxError, parseDocumentText, PathStep, SourceRegion } from '../../src/cli/parse-document';

// The parser in-process: every CloudFormation short form in each node kind CloudFormation accepts
// (and a clear error with a position for those it rejects), positions in JSON and YAML.

function valueOf(yaml: string): unknown {
  return (parseDocumentText(yaml).value as { v: unknown }).v;
}

function errorOf(yaml: string): string {
  try {
    parseDocumentText(yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(DocumentSyntaxError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('CloudFormation short-form tags', () => {
  test.each([
    ['!Ref Bucket', { Ref: 'Bucket' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Base64 {"Fn::Sub": "${A}"}', { 'Fn::Base64': { 'Fn::Sub': '${A}' } }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!FindInMap [Map, !Ref Env, Key]', { 'Fn::FindInMap': ['Map', { Ref: 'Env' }, 'Key'] }],
    ['!GetAtt Repo.RepositoryUri', { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] }],
    ['!GetAtt Nested.Outputs.Uri', { 'Fn::GetAtt': ['Nested', 'Outputs.Uri'] }],
    ['!GetAtt [Repo, Arn]', { 'Fn::GetAtt': ['Repo', 'Arn'] }],
    ["!GetAZs ''", { 'Fn::GetAZs': '' }],
    ['!GetAZs {Ref: "AWS::Region"}', { 'Fn::GetAZs': { Ref: 'AWS::Region' } }],
    ['!ImportValue shared-registry', { 'Fn::ImportValue': 'shared-registry' }],
    ['!ImportValue {"Fn::Sub": "${Env}-registry"}', { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-registry' } }],
    ["!Join [':', [a, !Ref B]]", { 'Fn::Join': [':', ['a', { Ref: 'B' }]] }],
    ['!Select [1, [a, b]]', { 'Fn::Select': [1, ['a', 'b']] }],
    ["!Split [',', 'a,b']", { 'Fn::Split': [',', 'a,b'] }],
    ["!Sub '${Repo}:1.0'", { 'Fn::Sub': '${Repo}:1.0' }],
    ["!Sub ['${R}:1.0', {R: !Ref Repo}]", { 'Fn::Sub': ['${R}:1.0', { R: { Ref: 'Repo' } }] }],
    ['!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!If [IsProd, a, !Ref "AWS::NoValue"]', { 'Fn::If': ['IsProd', 'a', { Ref: 'AWS::NoValue' }] }],
    ['!Not [!Condition A]', { 'Fn::Not': [{ Condition: 'A' }] }],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!ToJsonString {a: b}', { 'Fn::ToJsonString': { a: 'b' } }],
    ['!ToJsonString [a, b]', { 'Fn::ToJsonString': ['a', 'b'] }],
    ['!Length [a, b]', { 'Fn::Length': ['a', 'b'] }],
    ['!Length {Ref: List}', { 'Fn::Length': { Ref: 'List' } }],
  ])('v: %s', (yaml, expected) => {
    expect(valueOf(`v: ${yaml}\n`)).toEqual(expected);
  });

  test('block styles: a block sequence and a block scalar after a tag', () => {
    expect(valueOf('v: !Sub\n  - "${R}:1.0"\n  - R: !Ref Repo\n')).toEqual({ 'Fn::Sub': ['${R}:1.0', { R: { Ref: 'Repo' } }] });
    expect(valueOf('v: !Sub |\n  ${Repo}:1.0\n')).toEqual({ 'Fn::Sub': '${Repo}:1.0\n' });
  });

  test.each([
    ['!Ref [a]', '!Ref takes a scalar, not a sequence: write !Ref LogicalName at line 1, column 4'],
    ['!Join nginx', '!Join takes a sequence, not a scalar: write !Join [delimiter, [values]] at line 1, column 4'],
    ['!Select {a: b}', '!Select takes a sequence, not a mapping: write !Select [index, list] at line 1, column 4'],
    ['!Transform [a]', '!Transform takes a mapping, not a sequence'],
    ['!Sub {a: b}', '!Sub takes a scalar or a sequence, not a mapping'],
    ['!GetAtt Repo', '!GetAtt needs a resource and an attribute separated by a dot, e.g. !GetAtt Resource.Attribute; got "Repo"'],
  ])('a form CloudFormation rejects is an error with its position: %s', (yaml, message) => {
    expect(errorOf(`v: ${yaml}\n`)).toContain(`not valid YAML: ${message}`);
  });

  test('YAML 1.1 as CloudFormation reads it, without timestamps: an unquoted date stays a string', () => {
    expect(parseDocumentText('AWSTemplateFormatVersion: 2010-09-09\n').value).toEqual({ AWSTemplateFormatVersion: '2010-09-09' });
  });

  test('an alias inside a tagged value is resolved', () => {
    expect(valueOf('a: &tag v1.2.3\nv: !Join [":", [nginx, *tag]]\n')).toEqual({ 'Fn::Join': [':', ['nginx', 'v1.2.3']] });
  });

  test('a duplicate key in YAML is an error', () => {
    expect(errorOf('a: 1\na: 2\n')).toMatch(/^not valid YAML: Map keys must be unique at line 2, column 1/);
  });
});

describe('positions', () => {
  test('YAML: a path to a value gives its 1-based line and column, end exclusive', () => {
    const doc = parseDocumentText('Resources:\n  T:\n    Properties:\n      List:\n        - Image: nginx:1.0\n');
    expect(doc.format).toBe('yaml');
    expect(doc.locate(['Resources', 'T', 'Properties', 'List', 0, 'Image'])).toEqual({ startLine: 5, startColumn: 18, endLine: 5, endColumn: 27 });
  });

  test('a path that goes on into a string (JSON inside a property) stops at the deepest node there is', () => {
    const doc = parseDocumentText('{\n  "R": {\n    "Manifest": "[{\\"image\\": \\"nginx\\"}]"\n  }\n}\n');
    expect(doc.format).toBe('json');
    expect(doc.locate(['R', 'Manifest', 0, 'spec', 'containers', 0, 'image'])).toMatchObject({ startLine: 3, startColumn: 17 });
    expect(doc.locate(['R', 'Missing'])).toMatchObject({ startLine: 2, startColumn: 8 });
  });

  test('JSON: values with JSON.parse semantics (the last duplicate key wins), positions of that key', () => {
    const doc = parseDocumentText('{"a": 1,\n "a": {"b": "x"}}');
    expect(doc.value).toEqual({ a: { b: 'x' } });
    expect(doc.locate(['a', 'b'])).toEqual({ startLine: 2, startColumn: 13, endLine: 2, endColumn: 16 });
  });

  test('JSON with a byte order mark, and tabs', () => {
    const doc = parseDocumentText('\ufeff{\n\t"a": "b"\n}');
    expect(doc.value).toEqual({ a: 'b' });
    expect(doc.locate(['a'])).toMatchObject({ startLine: 2, startColumn: 7 });
  });

  test('not JSON but valid YAML in flow style (as CloudFormation would read it): a trailing comma', () => {
    const doc = parseDocumentText('{"a": [1, 2,],}');
    expect(doc).toMatchObject({ format: 'yaml', value: { a: [1, 2] } });
  });

  test('neither: the JSON error, with line and column', () => {
    expect(errorOf('{\n  "a": 1\n  "b": 2\n}')).toBe("not valid JSON: Expected ',' or '}' after property value in JSON at position 13 (line 3, column 3)");
  });
});

describe('JSON positions from offsets, without a second parse', () => {
  /** Every path to a value of `value`, mappings and lists included. */
  function pathsOf(value: unknown, prefix: PathStep[] = []): PathStep[][] {
    const here = [prefix];
    if (Array.isArray(value)) return here.concat(...value.map((v, i) => pathsOf(v, [...prefix, i])));
    if (typeof value === 'object' && value !== null) return here.concat(...Object.entries(value).map(([k, v]) => pathsOf(v, [...prefix, k])));
    return here;
  }

  /** What jsonc-parser, the previous position source, says of the same path. */
  function expected(text: string, path: PathStep[]): SourceRegion {
    const node = findNodeAtLocation(parseTree(text)!, path)!;
    const at = (offset: number) => {
      const before = text.slice(0, offset);
      return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
    };
    const start = at(node.offset);
    const end = at(node.offset + node.length);
    return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
  }

  const samples: Record<string, string> = {
    'as aws-cdk-lib writes it': JSON.stringify({
      Resources: {
        Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Image: 'nginx:1.27', Cpu: 256, Essential: true }, { Image: { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }, Links: [] }] } },
      },
      Outputs: { Empty: {}, Nothing: null, Negative: -1.5e3 },
    }, undefined, 1),
    'on one line': '{"a":[1,2,{"b":"c"}],"d":{"e":[[],[{}]]},"f":false}',
    'escapes, brackets and quotes inside strings, escaped keys': '{ "s\\"k": "x\\\\", "br": "}]{[", "u\\u0041": { "q": "\\"}" }, "t" :\t[ "\\\\\\"" ] }',
    'CRLF line ends and non-ASCII text': '{\r\n  "Beschreibung": "Größe ✓",\r\n  "Resources": {\r\n    "R": { "Image": "nginx:1" }\r\n  }\r\n}\r\n',
  };

  test.each(Object.entries(samples))('every value at the place jsonc-parser puts it: %s', (_, text) => {
    const doc = parseDocumentText(text);
    expect(doc.format).toBe('json');
    for (const path of pathsOf(doc.value)) {
      expect({ path, region: doc.locate(path) }).toEqual({ path, region: expected(text, path) });
    }
  });

  test('of duplicate keys, the last (as JSON.parse takes it), in nested mappings too', () => {
    const text = '{"R": {"Image": "a:1", "Image": "b:2"}, "R": {"Image": "c:3", "X": 1, "Image": "d:4"}}';
    const doc = parseDocumentText(text);
    expect(doc.value).toEqual({ R: { Image: 'd:4', X: 1 } });
    const column = text.indexOf('"d:4"') + 1;
    expect(doc.locate(['R', 'Image'])).toEqual({ startLine: 1, startColumn: column, endLine: 1, endColumn: column + 5 });
  });

  test('a list index past the end, a key on a list, a path into a scalar: the deepest value there is', () => {
    const doc = parseDocumentText('{"a": [1, {"b": 2}]}');
    expect(doc.locate(['a', 5])).toEqual(doc.locate(['a']));
    expect(doc.locate(['a', 'x'])).toEqual(doc.locate(['a']));
    expect(doc.locate(['a', 1, 'b', 'c'])).toEqual({ startLine: 1, startColumn: 17, endLine: 1, endColumn: 18 });
  });
});
