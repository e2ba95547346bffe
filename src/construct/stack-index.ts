import { CfnMapping, CfnParameter, Stack } from 'aws-cdk-lib';
import { settledPass, SettledPass } from './settled-tree';
import { Mapping, ParameterDeclaration } from '../cfn/template-context';

/**
 * The parameters and mappings of one stack, for the intrinsic reader: one walk of the stack,
 * made the first time a resource of the stack asks, shared by every resource of it. A name it
 * does not know makes it walk again once (rendering creates constructs during synthesis, such as
 * the SSM parameter of the FireLens log router); the same unknown name never again, so the cost
 * stays linear in the stack. In a settled pass (settled-tree.ts): one walk per pass, no rebuild.
 */
export class StackIndex {
  /** The index of a stack, made once per stack. */
  public static of(stack: Stack): StackIndex {
    let index = INDEXES.get(stack);
    if (!index) {
      index = new StackIndex(stack);
      INDEXES.set(stack, index);
    }
    return index;
  }

  private parameters?: Map<string, ParameterDeclaration>;
  private mappings?: Map<string, CfnMapping>;
  private readonly missed = new Set<string>();
  /** The settled pass the index was last built in. */
  private builtIn?: SettledPass;
  /** Walks of the stack made, for the benchmark. */
  public walks = 0;

  private constructor(private readonly stack: Stack) {}

  public parameter(logicalId: string): ParameterDeclaration | undefined {
    return this.find(logicalId, 'parameter', () => this.parameters);
  }

  /** The mapping as the template will have it (a lazy mapping that is not rendered is not there). */
  public mapping(name: string): Mapping | undefined {
    const mapping = this.find(name, 'mapping', () => this.mappings);
    const render = mapping ? (mapping as unknown as { _toCloudFormation(): unknown })._toCloudFormation() : undefined;
    const rendered = render === undefined ? undefined : (this.stack.resolve(render) as { Mappings?: Record<string, unknown> } | undefined);
    const body = rendered?.Mappings?.[name];
    return body && typeof body === 'object' ? (body as Mapping) : undefined;
  }

  private find<T>(name: string, kind: string, map: () => Map<string, T> | undefined): T | undefined {
    const pass = settledPass();
    if (pass) {
      if (this.builtIn !== pass) this.walk();
      this.builtIn = pass;
      return map()!.get(name);
    }
    this.builtIn = undefined;
    if (!map()) this.walk();
    const found = map()!.get(name);
    const key = `${kind}\u0000${name}`;
    if (found !== undefined || this.missed.has(key)) return found;
    this.missed.add(key);
    this.walk();
    return map()!.get(name);
  }

  private walk(): void {
    this.walks++;
    const stack = this.stack;
    this.parameters = new Map();
    this.mappings = new Map();
    for (const c of stack.node.findAll()) {
      if (Stack.of(c) !== stack) continue;
      if (c instanceof CfnParameter) {
        this.parameters.set(stack.resolve(c.logicalId) as string, { type: c.type, default: c.default, allowedValues: c.allowedValues });
      } else if (c instanceof CfnMapping) {
        this.mappings.set(stack.resolve(c.logicalId) as string, c);
      }
    }
  }
}

const INDEXES = new WeakMap<Stack, StackIndex>();
