/**
 * Where images live in CloudFormation resources, declared once as data. Every front door (the
 * Aspect, the cdk-nag pack, the validation plugin) finds images through this table, so a
 * resource type added here is checked everywhere.
 */

/** One place in a resource's `Properties` that holds an image. */
export interface ImageLocation {
  /** Property path to the image; `*` steps into every element of a list, e.g. `ContainerDefinitions.*.Image`. */
  readonly path: string;
  /** Path, relative to the element the last `*` stepped into, of the field that names the container. */
  readonly label?: string;
}

/** A resource type that runs container images. */
export interface ImageSource {
  /** The CloudFormation resource type, e.g. `AWS::ECS::TaskDefinition`. */
  readonly resourceType: string;
  /** Rule ids are `ImagePinning-<rulePrefix>1` (not pinned) and `ImagePinning-<rulePrefix>2` (unresolved). */
  readonly rulePrefix: string;
  /** What the label names, for messages: `Container "web"`. */
  readonly subject: string;
  /** What the resource is, for rule descriptions. */
  readonly description: string;
  readonly locations: readonly ImageLocation[];
  /** How aws-cdk-lib takes a tag for an ECR image of this resource type, for fixes. */
  readonly ecrHint?: string;
}

/** One image value found in a resource. */
export interface FoundImage {
  readonly source: ImageSource;
  /** The value as CloudFormation has it (a string or intrinsic functions), or as the construct holds it (with tokens). */
  readonly value: unknown;
  /** The value of the field that names the container, if the location has one. */
  readonly labelValue?: unknown;
  /** Where the value is, e.g. `ContainerDefinitions.0.Image`. */
  readonly propertyPath: string;
}

export const IMAGE_SOURCES: readonly ImageSource[] = [
  {
    resourceType: 'AWS::ECS::TaskDefinition',
    rulePrefix: 'ECS',
    subject: 'Container',
    description: 'ECS task definition container',
    locations: [{ path: 'ContainerDefinitions.*.Image', label: 'Name' }],
    ecrHint: 'with ecs.ContainerImage.fromEcrRepository(repo, tag), the tag is the second argument and defaults to "latest"',
  },
];

const BY_TYPE = new Map(IMAGE_SOURCES.map((s) => [s.resourceType, s]));

/** The source for a resource type, if it runs images. */
export function imageSourceFor(resourceType: string): ImageSource | undefined {
  return BY_TYPE.get(resourceType);
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
}

/** Reads plain template JSON. */
export const TEMPLATE_READER: PropertyReader = {
  child: (value, key) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined),
  elements: (value) => (Array.isArray(value) ? value : undefined),
};

/** Every image a resource's properties hold, in document order. Never throws for odd shapes. */
export function findImages(source: ImageSource, properties: unknown, reader: PropertyReader = TEMPLATE_READER): FoundImage[] {
  const found: FoundImage[] = [];
  for (const location of source.locations) {
    const labelPath = location.label?.split('.');
    walk(reader, properties, location.path.split('.'), [], undefined, (value, path, element) => {
      const labelValue = labelPath && element !== undefined ? readPath(reader, element, labelPath) : undefined;
      found.push({ source, value, labelValue, propertyPath: path.join('.') });
    });
  }
  return found;
}

function walk(
  reader: PropertyReader,
  value: unknown,
  steps: string[],
  path: Array<string | number>,
  element: unknown,
  visit: (value: unknown, path: Array<string | number>, element: unknown) => void,
): void {
  if (value === undefined || value === null) {
    return;
  }
  if (steps.length === 0) {
    visit(value, path, element);
    return;
  }
  const [step, ...rest] = steps;
  if (step === '*') {
    reader.elements(value)?.forEach((item, i) => walk(reader, item, rest, [...path, i], item, visit));
    return;
  }
  walk(reader, reader.child(value, step), rest, [...path, step], element, visit);
}

function readPath(reader: PropertyReader, value: unknown, steps: string[]): unknown {
  let current = value;
  for (const step of steps) {
    if (current === undefined || current === null) return undefined;
    current = reader.child(current, step);
  }
  return current;
}
