import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Finds the L1 resource behind a template resource, for front doors that read templates but
 * have the app's construct tree too (the validation plugin): by the `aws:cdk:path` metadata when
 * aws-cdk-lib wrote it, else by template file and logical id.
 */
export class ConstructIndex {
  private byPath?: Map<string, IConstruct>;
  private stacksByTemplate?: Map<string, Stack>;
  private readonly resourcesByStack = new Map<Stack, Map<string, CfnResource>>();

  constructor(private readonly root: IConstruct) {}

  public resource(templatePath: string, logicalId: string, constructPath?: string): CfnResource | undefined {
    if (constructPath) {
      const found = this.paths().get(constructPath.replace(/^\//, ''));
      if (found && CfnResource.isCfnResource(found)) {
        return found;
      }
    }
    const stack = this.stacks().get(path.basename(templatePath));
    return stack ? this.resources(stack).get(logicalId) : undefined;
  }

  private paths(): Map<string, IConstruct> {
    this.byPath ??= new Map(this.root.node.findAll().map((c) => [c.node.path, c]));
    return this.byPath;
  }

  private stacks(): Map<string, Stack> {
    this.stacksByTemplate ??= new Map(
      this.root.node
        .findAll()
        .filter((c): c is Stack => Stack.isStack(c))
        .map((s) => [s.templateFile, s]),
    );
    return this.stacksByTemplate;
  }

  private resources(stack: Stack): Map<string, CfnResource> {
    let resources = this.resourcesByStack.get(stack);
    if (!resources) {
      resources = new Map(
        stack.node
          .findAll()
          .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack)
          .map((r) => [stack.resolve(r.logicalId) as string, r]),
      );
      this.resourcesByStack.set(stack, resources);
    }
    return resources;
  }
}
