import { IMAGE_SOURCES } from './catalog';
import { ImageSource } from './image-sources';
import { stringList } from '../policy/policy-options';

const BY_TYPE = new Map(IMAGE_SOURCES.map((s) => [s.resourceType, s]));

/** Every resource type the sources table covers. */
export function coveredResourceTypes(): string[] {
  return IMAGE_SOURCES.map((s) => s.resourceType);
}

/**
 * Which resource types are checked: every type of the sources table, less those the
 * `excludeResourceTypes` option switches off. The one place that decides it.
 */
export class Coverage {
  private readonly excluded: ReadonlySet<string>;

  /**
   * @param excludeResourceTypes types not to check; each must be in the sources table
   * @param option how the option is named in errors (with a policy file's prefix)
   * @throws Error naming the option, when a type is not one this library checks
   */
  constructor(excludeResourceTypes: unknown = [], option = 'excludeResourceTypes') {
    const covered = coveredResourceTypes();
    this.excluded = new Set(
      stringList(excludeResourceTypes ?? [], option, (type) =>
        covered.includes(type) ? undefined : `is not a resource type this library checks (${covered.join(', ')})`,
      ),
    );
  }

  /** The sources table's row for a resource type, when resources of that type are checked. */
  public sourceFor(resourceType: string): ImageSource | undefined {
    return this.excluded.has(resourceType) ? undefined : BY_TYPE.get(resourceType);
  }
}
