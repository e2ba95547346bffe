import { AudienceText } from './audience';
import { propertyAlternatives } from '../cfn/intrinsics';
import { TemplateContext } from '../cfn/template-context';
import { ImageValue } from '../value/image-value';

/**
 * The shape of the sources table (catalog.ts): where images live in CloudFormation resources,
 * declared once as data, and the one walker every front door finds them with.
 */

/** One place in a resource's `Properties` that holds an image. */
export interface ImageLocation {
  /**
   * Property path to the image. `*` steps into every element of a list, `{}` into every value
   * of a map: `ContainerDefinitions.*.Image`, `WorkerTypeSpecifications.{}.ImageConfiguration.ImageUri`.
   */
  readonly path: string;
  /**
   * What names the container: a property next to the image (`Name`), or `@key` for the map key
   * the last `{}` stepped through. Unnamed images are labelled by their property path.
   */
  readonly label?: string;
  /** What the image belongs to, for messages (`Init container "setup"`); the source's subject by default. */
  readonly subject?: string;
  /**
   * Images that are not checked: curated images the service itself provides and keeps, such as
   * CodeBuild's `aws/codebuild/...` pulled with CODEBUILD credentials.
   */
  readonly skip?: {
    /** The literal image starts with this. */
    readonly imagePrefix: string;
    /** A property next to the image ... */
    readonly sibling: string;
    /** ... has one of these values (`undefined`: the property is absent). */
    readonly siblingIn: ReadonlyArray<string | undefined>;
  };
  /**
   * Images that the platform stores under immutable versions, so they are pinned whatever the
   * tag rules say: Lightsail's `:<service>.<label>.<version>`.
   */
  readonly versionedPattern?: RegExp;
}

/** A resource type that runs container images. */
export interface ImageSource {
  /** The CloudFormation resource type, e.g. `AWS::ECS::TaskDefinition`. */
  readonly resourceType: string;
  /** Rule ids are `ImagePinning-<ruleGroup>1` (not pinned) and `ImagePinning-<ruleGroup>2` (unresolved): see rule-ids.ts. */
  readonly ruleGroup: string;
  /** What an image belongs to, for messages: `Container "web"`. */
  readonly subject: string;
  readonly locations: readonly ImageLocation[];
  /**
   * The platform a locked image is pinned for (`linux/arm64`): its child digest in a
   * multi-platform index. For services that reject an index (Lambda); the others get the index.
   */
  readonly lockPlatform?: (properties: unknown, reader: PropertyReader) => string | undefined;
  /**
   * Said after the fix of an ECR image without a tag or with a moving one, for each audience that
   * needs it: how aws-cdk-lib takes the tag for this resource type (`fromEcrRepository(repo, tag)`
   * defaults it to `latest`). A template or a task definition file writes its tag out, so the fix
   * says all there is.
   */
  readonly ecrHint?: AudienceText;
  /** Images that are not at fixed property paths (Kubernetes manifests in a JSON string). */
  readonly extract?: (source: ImageSource, properties: unknown, reader: PropertyReader, context: TemplateContext) => FoundImage[];
  /**
   * The Aspect must read this resource exactly as the template will have it (its images sit in a
   * JSON document that only the full resolver renders).
   */
  readonly readExactly?: boolean;
}

/** One image value found in a resource. */
export interface FoundImage {
  readonly source: ImageSource;
  /** The value as CloudFormation has it (a string or intrinsic functions), or as the construct holds it (with tokens). */
  readonly raw: unknown;
  /** The image already read, when the source had to read it itself (Kubernetes manifests, unreadable properties). */
  readonly value?: ImageValue;
  /** The value that names the container, if the location has one. */
  readonly labelValue?: unknown;
  /** Where the value is, e.g. `ContainerDefinitions.0.Image`. */
  readonly propertyPath: string;
  /** What the image belongs to, for messages. */
  readonly subject: string;
  /** What must hold for the resource to have this image (branches of `Fn::If` on the way to it). */
  readonly when: readonly string[];
  /**
   * Where synthesis can write another image in its place (the lock's digest): at `propertyPath`
   * for a property that holds the image; for an image inside a document (a Kubernetes manifest),
   * the document's property, when the document is literal. Undefined when it cannot.
   */
  readonly rewriteAt?: { readonly property: string; readonly within?: ReadonlyArray<string | number> };
  /** See {@link ImageLocation.versionedPattern}. */
  readonly versionedPattern?: RegExp;
}

/**
 * How to read a resource's properties. The template front doors read plain JSON; the Aspect
 * reads the L1 construct's own (unresolved) properties, resolving only what it walks through,
 * which costs far less than rendering the whole resource.
 */
export interface PropertyReader {
  /** The value as the template will have it at this level (CDK tokens expanded), its insides left as they are. */
  resolve(value: unknown): unknown;
  /** The value under `key` (a CloudFormation property name), or undefined. */
  child(value: unknown, key: string): unknown;
  /** The elements of a list, or undefined when `value` is not a list. */
  elements(value: unknown): readonly unknown[] | undefined;
  /** The entries of a map, or undefined when `value` is not a map. */
  entries(value: unknown): ReadonlyArray<readonly [string, unknown]> | undefined;
}

/** Reads plain template JSON. */
export const TEMPLATE_READER: PropertyReader = {
  resolve: (value) => value,
  child: (value, key) => (isRecord(value) ? value[key] : undefined),
  elements: (value) => (Array.isArray(value) ? value : undefined),
  entries: (value) => (isRecord(value) ? Object.entries(value) : undefined),
};

/**
 * Every image a resource's properties hold, in table order. Never throws for odd shapes, and
 * never drops one: where a property on the way to images is produced by an intrinsic function the
 * template does not make known, or is not the list or object it must be, that place is itself a
 * found image whose value says so (judged as unresolved).
 */
export function findImages(source: ImageSource, properties: unknown, reader: PropertyReader, context: TemplateContext): FoundImage[] {
  const found: FoundImage[] = [];
  const unreadable = new Set<string>();
  for (const location of source.locations) {
    const subject = location.subject ?? source.subject;
    const walker: Walker = {
      reader,
      context,
      visit: (value, path, at, when) => {
        if (location.skip && isSkipped(location.skip, value, at.parent, reader)) {
          return;
        }
        const labelValue = location.label === '@key' ? at.key : location.label && at.parent !== undefined ? reader.child(at.parent, location.label) : undefined;
        const propertyPath = path.join('.');
        const versionedPattern = location.versionedPattern;
        found.push({ source, raw: value, labelValue, propertyPath, subject, when, versionedPattern, rewriteAt: { property: propertyPath } });
      },
      unreadable: (value, path, why, when) => {
        const propertyPath = path.length > 0 ? path.join('.') : location.path.split('.')[0];
        // Two locations under one unreadable property (Batch's) report it once.
        if (unreadable.has(propertyPath)) return;
        unreadable.add(propertyPath);
        found.push({
          source,
          raw: value,
          value: ImageValue.unknown({ kind: 'unreadable', name: `${propertyPath} ${why}` }, `<${propertyPath}: ${why}>`),
          propertyPath,
          subject,
          when,
        });
      },
    };
    walk(walker, properties, location.path.split('.'), [], {}, []);
  }
  if (source.extract) {
    found.push(...source.extract(source, properties, reader, context));
  }
  return found;
}

interface WalkPosition {
  /** The map key the last `{}` stepped through. */
  readonly key?: string;
  /** The object holding the value. */
  readonly parent?: unknown;
}

interface Walker {
  readonly reader: PropertyReader;
  readonly context: TemplateContext;
  visit(value: unknown, path: Array<string | number>, at: WalkPosition, when: readonly string[]): void;
  unreadable(value: unknown, path: Array<string | number>, why: string, when: readonly string[]): void;
}

function walk(w: Walker, value: unknown, steps: string[], path: Array<string | number>, at: WalkPosition, when: readonly string[]): void {
  if (value === undefined || value === null) {
    return;
  }
  if (steps.length === 0) {
    // The image itself: the intrinsic reader takes each of its branches.
    w.visit(value, path, at, when);
    return;
  }
  const branches = propertyAlternatives(w.reader.resolve(value), w.context);
  if ('unreadable' in branches) {
    w.unreadable(value, path, `is produced by ${branches.unreadable}`, when);
    return;
  }
  const [step, ...rest] = steps;
  for (const branch of branches) {
    const v = branch.value;
    const branchWhen = branch.when.length > 0 ? [...when, ...branch.when] : when;
    if (v === undefined || v === null) continue;
    if (isRecord(v) && 'Fn::Transform' in v) {
      w.unreadable(v, path, 'is produced by Fn::Transform (a macro) at deploy time', branchWhen);
      continue;
    }
    if (step === '*') {
      const items = w.reader.elements(v);
      if (!items) {
        w.unreadable(v, path, `is ${describe(v)}, not a list`, branchWhen);
        continue;
      }
      items.forEach((item, i) => walk(w, item, rest, [...path, i], {}, branchWhen));
    } else if (step === '{}') {
      const entries = w.reader.entries(v);
      if (!entries) {
        w.unreadable(v, path, `is ${describe(v)}, not a map`, branchWhen);
        continue;
      }
      entries.forEach(([key, item]) => walk(w, item, rest, [...path, key], { key }, branchWhen));
    } else {
      if (!isRecord(v)) {
        w.unreadable(v, path, `is ${describe(v)}, not an object`, branchWhen);
        continue;
      }
      walk(w, w.reader.child(v, step), rest, [...path, step], { ...at, parent: v }, branchWhen);
    }
  }
}

function isSkipped(skip: NonNullable<ImageLocation['skip']>, image: unknown, parent: unknown, reader: PropertyReader): boolean {
  if (typeof image !== 'string' || !image.startsWith(skip.imagePrefix)) {
    return false;
  }
  const sibling = parent === undefined ? undefined : reader.child(parent, skip.sibling);
  return (sibling === undefined || typeof sibling === 'string') && skip.siblingIn.includes(sibling);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
