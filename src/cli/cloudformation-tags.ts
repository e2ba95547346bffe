import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { yamlPackage } from './yaml-package';

/**
 * The YAML short forms of CloudFormation's intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, ...)
 * as custom tags for the `yaml` package. Each turns into the long JSON form (`{ "Ref": ... }`,
 * `{ "Fn::Sub": ... }`), which the shared intrinsic reader understands. A form CloudFormation
 * rejects (`!Join` on a scalar, `!Ref` on a list) is a parse error at the tag's position.
 */

type Form = 'scalar' | 'seq' | 'map';

interface ShortForm {
  /** The tag, e.g. `!Sub`. */
  readonly tag: string;
  /** The long form's key, e.g. `Fn::Sub`. */
  readonly fn: string;
  /** The node kinds CloudFormation accepts after the tag. */
  readonly forms: readonly Form[];
  /** How the function is written, for errors. */
  readonly usage: string;
}

const SHORT_FORMS: readonly ShortForm[] = [
  { tag: '!Ref', fn: 'Ref', forms: ['scalar'], usage: '!Ref LogicalName' },
  { tag: '!Condition', fn: 'Condition', forms: ['scalar'], usage: '!Condition ConditionName' },
  { tag: '!Base64', fn: 'Fn::Base64', forms: ['scalar', 'map'], usage: '!Base64 text' },
  { tag: '!Cidr', fn: 'Fn::Cidr', forms: ['seq'], usage: '!Cidr [ipBlock, count, cidrBits]' },
  { tag: '!FindInMap', fn: 'Fn::FindInMap', forms: ['seq'], usage: '!FindInMap [MapName, TopLevelKey, SecondLevelKey]' },
  { tag: '!GetAtt', fn: 'Fn::GetAtt', forms: ['scalar', 'seq'], usage: '!GetAtt Resource.Attribute' },
  { tag: '!GetAZs', fn: 'Fn::GetAZs', forms: ['scalar', 'map'], usage: '!GetAZs region' },
  { tag: '!ImportValue', fn: 'Fn::ImportValue', forms: ['scalar', 'map'], usage: '!ImportValue ExportName' },
  { tag: '!Join', fn: 'Fn::Join', forms: ['seq'], usage: '!Join [delimiter, [values]]' },
  { tag: '!Select', fn: 'Fn::Select', forms: ['seq'], usage: '!Select [index, list]' },
  { tag: '!Split', fn: 'Fn::Split', forms: ['seq'], usage: '!Split [delimiter, text]' },
  { tag: '!Sub', fn: 'Fn::Sub', forms: ['scalar', 'seq'], usage: '!Sub text or !Sub [text, {Name: value}]' },
  { tag: '!Transform', fn: 'Fn::Transform', forms: ['map'], usage: '!Transform {Name: macro, Parameters: {...}}' },
  { tag: '!And', fn: 'Fn::And', forms: ['seq'], usage: '!And [condition, ...]' },
  { tag: '!Equals', fn: 'Fn::Equals', forms: ['seq'], usage: '!Equals [value, value]' },
  { tag: '!If', fn: 'Fn::If', forms: ['seq'], usage: '!If [condition, valueIfTrue, valueIfFalse]' },
  { tag: '!Not', fn: 'Fn::Not', forms: ['seq'], usage: '!Not [condition]' },
  { tag: '!Or', fn: 'Fn::Or', forms: ['seq'], usage: '!Or [condition, ...]' },
  { tag: '!ToJsonString', fn: 'Fn::ToJsonString', forms: ['seq', 'map'], usage: '!ToJsonString {key: value} or [values]' },
  { tag: '!Length', fn: 'Fn::Length', forms: ['seq', 'map'], usage: '!Length [values]' },
];

const BY_TAG = new Map(SHORT_FORMS.map((f) => [f.tag, f]));

/** The long form's key and the node kinds of a short-form tag (`!Ref`), for the simple YAML reader; undefined when it is not one. */
export function shortFormInfo(tag: string): { readonly fn: string; readonly forms: readonly Form[] } | undefined {
  return BY_TAG.get(tag);
}

const FORM_NAMES: Record<Form, string> = { scalar: 'a scalar', seq: 'a sequence', map: 'a mapping' };

/** Every short form as a scalar, a sequence and a mapping tag. */
export const CLOUDFORMATION_TAGS: ReadonlyArray<ScalarTag | CollectionTag> = SHORT_FORMS.flatMap((f) => [
  scalarTag(f),
  collectionTag(f, 'seq'),
  collectionTag(f, 'map'),
]);

function scalarTag(f: ShortForm): ScalarTag {
  return {
    tag: f.tag,
    resolve(text, onError) {
      if (!f.forms.includes('scalar')) {
        onError(wrongForm(f, 'scalar'));
      }
      if (f.fn === 'Fn::GetAtt') {
        // `!GetAtt Resource.Attribute`: the attribute may itself hold dots (`Outputs.Name`).
        const dot = text.indexOf('.');
        if (dot <= 0 || dot === text.length - 1) {
          onError(`!GetAtt needs a resource and an attribute separated by a dot, e.g. ${f.usage}; got ${JSON.stringify(text)}`);
          return { [f.fn]: text };
        }
        return { [f.fn]: [text.slice(0, dot), text.slice(dot + 1)] };
      }
      return { [f.fn]: text };
    },
  };
}

function collectionTag(f: ShortForm, form: 'seq' | 'map'): CollectionTag {
  return {
    tag: f.tag,
    collection: form,
    resolve(collection: YAMLMap | YAMLSeq, onError: (message: string) => void) {
      if (!f.forms.includes(form)) {
        onError(wrongForm(f, form));
      }
      // A node, not a plain object: aliases inside still resolve, and positions stay on the nodes.
      const yaml = yamlPackage();
      const wrapper = new yaml.YAMLMap();
      wrapper.items.push(new yaml.Pair(new yaml.Scalar(f.fn), collection));
      return wrapper;
    },
  };
}

function wrongForm(f: ShortForm, form: Form): string {
  const allowed = f.forms.map((x) => FORM_NAMES[x]).join(' or ');
  return `${f.tag} takes ${allowed}, not ${FORM_NAMES[form]}: write ${f.usage}`;
}
