import { InputError } from '../input-error';
import { ScannedImage } from '../scan';
import { SourceFiles } from '../source-files';

/**
 * What the online commands need of an image's resource beyond what the scan reports: its
 * `Properties` (the platform it runs on). Read again from the file the scan read, once per file; a task definition file's fields
 * are given in CloudFormation's names (`runtimePlatform.cpuArchitecture` is
 * `RuntimePlatform.CpuArchitecture`), as the scan checks its containers.
 */
export interface ResourceFacts {
  readonly properties: unknown;
  /** A SAM template's `Globals`. */
  readonly globals?: unknown;
}

export class ResourceFactsReader {
  private readonly files = new SourceFiles();

  /** The facts of the image's resource; undefined when the file cannot be read again. */
  public of(image: ScannedImage): ResourceFacts | undefined {
    let value: unknown;
    try {
      value = this.files.read(image.absolutePath).value;
    } catch (e) {
      if (e instanceof InputError) return undefined;
      throw e;
    }
    if (image.fileKind === 'task-definition') {
      const definition = isObject(value) && isObject(value.taskDefinition) ? value.taskDefinition : value;
      const runtime = isObject(definition) ? definition.runtimePlatform : undefined;
      return {
        properties: isObject(runtime)
          ? { RuntimePlatform: { CpuArchitecture: runtime.cpuArchitecture, OperatingSystemFamily: runtime.operatingSystemFamily } }
          : {},
      };
    }
    const resources = isObject(value) && isObject(value.Resources) ? value.Resources : {};
    const resource = Object.prototype.hasOwnProperty.call(resources, image.resource) ? resources[image.resource] : undefined;
    if (!isObject(resource)) {
      return undefined;
    }
    return { properties: resource.Properties ?? {}, globals: isObject(value) ? value.Globals : undefined };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
