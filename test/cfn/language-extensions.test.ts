import { expandForEach, MAX_EXPANDED_KEYS, templateTransforms } from '../../src/cfn/language-extensions';

const withResources = (resources: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Transform: 'AWS::LanguageExtensions',
  ...extra,
  Resources: resources,
});
const resourcesOf = (template: Record<string, unknown>) => (expandForEach(template).template as { Resources: Record<string, unknown> }).Resources;

describe('expandForEach: Fn::ForEach as the CloudFormation template reference defines it', () => {
  test('the reference\'s SNS example: ${Identifier} in the key, Ref Identifier in the value', () => {
    const template = withResources({
      'Fn::ForEach::Topics': ['TopicName', ['Success', 'Failure'], { 'SnsTopic${TopicName}': { Type: 'AWS::SNS::Topic', Properties: { TopicName: { Ref: 'TopicName' }, FifoTopic: true } } }],
    });
    expect(resourcesOf(template)).toEqual({
      SnsTopicSuccess: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'Success', FifoTopic: true } },
      SnsTopicFailure: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'Failure', FifoTopic: true } },
    });
  });

  test.each([
    ['${Id} in a key and a string', { 'K${Id}': 'v-${Id}' }, ['a.b-1'], { 'Ka.b-1': 'v-a.b-1' }],
    ['&{Id}: the item without non-alphanumeric characters', { 'K&{Id}': 'v-&{Id}' }, ['a.b-1'], { Kab1: 'v-ab1' }],
    ['inside Fn::Sub, and its ${!Id} escape left alone', { 'K${Id}': { 'Fn::Sub': '${Id}-${!Id}-${AWS::Region}' } }, ['x'], { Kx: { 'Fn::Sub': 'x-${!Id}-${AWS::Region}' } }],
    ['Ref of a name built with Fn::Sub', { 'K${Id}': { Ref: { 'Fn::Sub': 'Subnet${Id}' } } }, ['A'], { KA: { Ref: 'SubnetA' } }],
    ['Fn::Sub variables', { 'K${Id}': { 'Fn::Sub': ['${T}', { T: { Ref: 'Id' } }] } }, ['1.2'], { 'K1.2': { 'Fn::Sub': ['${T}', { T: '1.2' }] } }],
    ['numbers in the collection are strings', { 'K${Id}': { Ref: 'Id' } }, [1, 2], { K1: '1', K2: '2' }],
    ['an empty collection makes nothing', { 'K${Id}': 'v' }, [], {}],
  ])('%s', (_, fragment, collection, expected) => {
    const outputs = { 'Fn::ForEach::L': ['Id', collection, fragment] };
    expect((expandForEach({ Outputs: outputs }).template as { Outputs: unknown }).Outputs).toEqual(expected);
  });

  test('nested loops, and a loop inside resource properties', () => {
    const template = withResources({
      'Fn::ForEach::Envs': ['Env', ['prod', 'dev'], {
        'Fn::ForEach::Apps': ['App', ['web', 'api'], { '${Env}${App}': { Type: 'T', Properties: { Name: { 'Fn::Sub': '${Env}-${App}' } } } }],
      }],
      'Emr': { Type: 'AWS::EMRServerless::Application', Properties: { WorkerTypeSpecifications: { 'Fn::ForEach::W': ['W', ['Driver', 'Executor'], { '${W}': { ImageConfiguration: { ImageUri: 'spark:${W}' } } }] } } },
    });
    const resources = resourcesOf(template);
    expect(Object.keys(resources)).toEqual(['prodweb', 'prodapi', 'devweb', 'devapi', 'Emr']);
    expect(resources.devapi).toEqual({ Type: 'T', Properties: { Name: { 'Fn::Sub': 'dev-api' } } });
    expect(resources.Emr).toEqual({
      Type: 'AWS::EMRServerless::Application',
      Properties: { WorkerTypeSpecifications: { Driver: { ImageConfiguration: { ImageUri: 'spark:Driver' } }, Executor: { ImageConfiguration: { ImageUri: 'spark:Executor' } } } },
    });
  });

  test('where each resource a loop made is written, for line numbers', () => {
    const template = withResources({ 'Plain': { Type: 'T' }, 'Fn::ForEach::L': ['Id', ['a'], { 'R${Id}': { Type: 'T' } }] });
    const { origins } = expandForEach(template);
    expect(origins.get('Ra')).toEqual(['Resources', 'Fn::ForEach::L', 2, 'R${Id}']);
    expect(origins.has('Plain')).toBe(false); // where it is written already
  });

  test('a parameter with AllowedValues: one copy per allowed value', () => {
    const template = withResources({ 'Fn::ForEach::L': ['Id', { Ref: 'P' }, { 'R${Id}': { Type: 'T', Properties: { Image: 'app:${Id}' } } }] }, {
      Parameters: { P: { Type: 'CommaDelimitedList', AllowedValues: ['1.0', '2.0'] } },
    });
    expect(Object.keys(resourcesOf(template))).toEqual(['R1.0', 'R2.0']);
  });

  test('a parameter without them: its default items, and one copy with the item unknown', () => {
    const template = withResources({ 'Fn::ForEach::L': ['Id', { Ref: 'P' }, { 'R${Id}': { Type: 'T', Properties: { Image: 'app:${Id}', Text: 'a ${AWS::Region} ${Id}', Name: { Ref: 'Id' } } } }] }, {
      Parameters: { P: { Type: 'CommaDelimitedList', Default: 'a, b' } },
    });
    const resources = resourcesOf(template);
    expect(Object.keys(resources)).toEqual(['Ra', 'Rb', 'R${Id}']);
    const unknown = { Ref: 'Id of Fn::ForEach::L' };
    expect(resources['R${Id}']).toEqual({
      Type: 'T',
      Properties: {
        Image: { 'Fn::Sub': ['app:${Id}', { Id: unknown }] },
        // In a plain string, ${AWS::Region} is text: escaped as Fn::Sub writes text.
        Text: { 'Fn::Sub': ['a ${!AWS::Region} ${Id}', { Id: unknown }] },
        Name: unknown,
      },
    });
  });

  test('any other collection (an intrinsic function): the item unknown', () => {
    const template = withResources({ 'Fn::ForEach::L': ['Id', { 'Fn::Split': [',', { Ref: 'P' }] }, { 'R${Id}': { Type: 'T' } }] });
    expect(Object.keys(resourcesOf(template))).toEqual(['R${Id}']);
  });

  test.each([
    ['not a list of three', ['Id', ['a']], /^Fn::ForEach::L in Resources must be \[identifier, collection, \{output key: value\}\], not a list of 2: it is not expanded/],
    ['a collection that is a string', ['Id', 'a,b', {}], /^Fn::ForEach::L: the collection must be a list or a Ref to a CommaDelimitedList parameter, not a string/],
    ['objects in the collection', ['Id', [{ a: 1 }], {}], /^Fn::ForEach::L: the collection must hold strings, not an object/],
    ['a key made twice', ['Id', ['a', 'b'], { Same: { Type: 'T' } }], /^Fn::ForEach::L makes the key "Same" in Resources, which is there already: CloudFormation rejects the template$/],
  ])('%s: a problem that says why, the loop left as it is', (_, args, message) => {
    const expansion = expandForEach(withResources({ 'Fn::ForEach::L': args }));
    expect(expansion.problems).toEqual([expect.stringMatching(message)]);
  });

  test(`more than ${MAX_EXPANDED_KEYS} keys is a problem, not a hang`, () => {
    const items = Array.from({ length: 200 }, (_, i) => `i${i}`);
    const template = withResources({ 'Fn::ForEach::A': ['A', items, { 'Fn::ForEach::B': ['B', items, { 'R${A}${B}': { Type: 'T' } }] }] });
    const started = Date.now();
    expect(expandForEach(template).problems).toContain(`Fn::ForEach::B makes more than ${MAX_EXPANDED_KEYS} keys: it is not expanded, and what it makes is not checked`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a template without loops is returned as it is; each template is expanded once', () => {
    const template = withResources({ R: { Type: 'T', Properties: { A: [{ B: 'x' }] } } });
    expect(expandForEach(template).template).toBe(template);
    const looped = withResources({ 'Fn::ForEach::L': ['Id', ['a'], { 'R${Id}': { Type: 'T' } }] });
    expect(expandForEach(looped)).toBe(expandForEach(looped));
    expect(expandForEach(expandForEach(looped).template).template).toBe(expandForEach(looped).template);
  });
});

describe('templateTransforms', () => {
  test.each([
    [{}, []],
    [{ Transform: 'AWS::LanguageExtensions' }, ['AWS::LanguageExtensions']],
    [{ Transform: ['AWS::Serverless-2016-10-31', 'My::Macro'] }, ['AWS::Serverless-2016-10-31', 'My::Macro']],
    [{ Transform: { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }, ['AWS::Include']],
    [{ Transform: [{ Parameters: {} }, 42] }, ['<an object>', '<a number>']],
  ])('%j', (template, names) => {
    expect(templateTransforms(template)).toEqual(names);
  });
});
