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
  /** How aws-cdk-lib takes a tag for an ECR image of this resource type, for fixes. */
  readonly ecrHint?: string;
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
  /** The image already read, when the source had to read it itself (Kubernetes manifests). */
  readonly value?: ImageValue;
  /** The value that names the container, if the location has one. */
  readonly labelValue?: unknown;
  /** Where the value is, e.g. `ContainerDefinitions.0.Image`. */
  readonly propertyPath: string;
  /** What the image belongs to, for messages. */
  readonly subject: string;
  /** See {@link ImageLocation.versionedPattern}. */
  readonly versionedPattern?: RegExp;
}

/**
 * How to read a resource's properties. The template front doors read plain JSON; the Aspect
 * reads the L1 construct's own (unresolved) properties, resolving only what it walks through,
 * which costs far less than rendering the whole resource.
 */
export interface PropertyReader {
  /** The value under `key` (a CloudFormation property name), or undefined. */
  child(value: unknown, key: string): unknown;
  /** The elements of a list, or undefined when `value` is not a list. */
  elements(value: unknown): readonly unknown[] | undefined;
  /** The entries of a map, or undefined when `value` is not a map. */
  entries(value: unknown): ReadonlyArray<readonly [string, unknown]> | undefined;
}

/** Reads plain template JSON. */
export const TEMPLATE_READER: PropertyReader = {
  child: (value, key) => (isRecord(value) ? value[key] : undefined),
  elements: (value) => (Array.isArray(value) ? value : undefined),
  entries: (value) => (isRecord(value) ? Object.entries(value) : undefined),
};

/** Every image a resource's properties hold, in table order. Never throws for odd shapes. */
export function findImages(source: ImageSource, properties: unknown, reader: PropertyReader, context: TemplateContext): FoundImage[] {
  const found: FoundImage[] = [];
  for (const location of source.locations) {
    walk(reader, properties, location.path.split('.'), [], {}, (value, path, at) => {
      if (location.skip && isSkipped(location.skip, value, at.parent, reader)) {
        return;
      }
      const labelValue = location.label === '@key' ? at.key : location.label && at.parent !== undefined ? reader.child(at.parent, location.label) : undefined;
      found.push({
        source,
        raw: value,
        labelValue,
        propertyPath: path.join('.'),
        subject: location.subject ?? source.subject,
        versionedPattern: location.versionedPattern,
      });
    });
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

function walk(
  reader: PropertyReader,
  value: unknown,
  steps: string[],
  path: Array<string | number>,
  at: WalkPosition,
  visit: (value: unknown, path: Array<string | number>, at: WalkPosition) => void,
): void {
  if (value === undefined || value === null) {
    return;
  }
  if (steps.length === 0) {
    visit(value, path, at);
    return;
  }
  const [step, ...rest] = steps;
  if (step === '*') {
    reader.elements(value)?.forEach((item, i) => walk(reader, item, rest, [...path, i], {}, visit));
  } else if (step === '{}') {
    reader.entries(value)?.forEach(([key, item]) => walk(reader, item, rest, [...path, key], { key }, visit));
  } else {
    walk(reader, reader.child(value, step), rest, [...path, step], { ...at, parent: value }, visit);
  }
}

function isSkipped(skip: NonNullable<ImageLocation['skip']>, image: unknown, parent: unknown, reader: PropertyReader): boolean {
  if (typeof image !== 'string' || !image.startsWith(skip.imagePrefix)) {
    return false;
  }
  const sibling = parent === undefined ? undefined : reader.child(parent, skip.sibling);
  return (sibling === undefined || typeof sibling === 'string') && skip.siblingIn.includes(sibling);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
