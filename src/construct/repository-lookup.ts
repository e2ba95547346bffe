import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { settledPass, SettledPass } from './settled-tree';
import { exclusionFilterValues } from '../cfn/cloud-template';
import { EcrRepositoryFacts, RepositoryRef } from '../cfn/template-context';

/**
 * Answers "which ECR repository of the app does this image name?" from the construct tree, for
 * the front doors that have one. A repository is found by logical id (during synthesis a reference
 * to another stack's repository is still a `Ref` to its logical id), by its literal name, or, once
 * cross-stack references have become exports (the cdk-nag pack runs then), through the
 * `CfnOutput` that exports it.
 *
 * One index per app, built on first use with one walk of the tree: the repositories with their
 * logical ids and settings resolved once, and the exports. A ref the index does not know makes it
 * rebuild once, since rendering creates constructs during synthesis; the same missing ref never
 * rebuilds it again. In a settled pass (settled-tree.ts) it is built once per pass and never
 * rebuilt, so an app that names many repositories it does not define costs one walk, not one each.
 */
export function repositoryLookup(scope: IConstruct): (ref: RepositoryRef) => EcrRepositoryFacts | undefined {
  const stack = Stack.of(scope);
  const index = indexOf(stack.node.root);
  return (ref) => {
    const entry = index.find(ref, stack);
    return entry && { ...entry.facts, sameStack: entry.stack === stack };
  };
}

interface Entry {
  readonly stack: Stack;
  readonly logicalId: string;
  readonly name?: string;
  readonly facts: Omit<EcrRepositoryFacts, 'sameStack'>;
}

const INDEXES = new WeakMap<IConstruct, RepositoryIndex>();

function indexOf(root: IConstruct): RepositoryIndex {
  let index = INDEXES.get(root);
  if (!index) {
    index = new RepositoryIndex(root);
    INDEXES.set(root, index);
  }
  return index;
}

class RepositoryIndex {
  private byLogicalId = new Map<string, Entry[]>();
  private byName = new Map<string, Entry[]>();
  private byExport = new Map<string, { readonly stack: Stack; readonly logicalId: string }>();
  private built = false;
  private readonly missed = new Set<string>();
  /** The settled pass the index was last built in. */
  private builtIn?: SettledPass;
  /** Tree walks done, for the benchmark. */
  public builds = 0;

  constructor(private readonly root: IConstruct) {}

  public find(ref: RepositoryRef, from: Stack): Entry | undefined {
    const pass = settledPass();
    if (pass) {
      if (this.builtIn !== pass) this.build();
      this.builtIn = pass;
      return this.lookup(ref, from);
    }
    this.builtIn = undefined;
    if (!this.built) this.build();
    const found = this.lookup(ref, from);
    const key = JSON.stringify(ref);
    if (found || this.missed.has(key)) return found;
    this.missed.add(key);
    this.build();
    return this.lookup(ref, from);
  }

  private lookup(ref: RepositoryRef, from: Stack): Entry | undefined {
    if ('logicalId' in ref) {
      return this.byLogicalIdIn(ref.logicalId, from);
    }
    if ('name' in ref) {
      const named = this.byName.get(ref.name) ?? [];
      return named.find((e) => e.stack === from) ?? (named.length === 1 ? named[0] : undefined);
    }
    const exported = this.byExport.get(ref.exportName);
    return exported && this.byLogicalIdIn(exported.logicalId, exported.stack, true);
  }

  /** The repository with this logical id in `stack`, else the only one in the app (a cross-stack `Ref`). */
  private byLogicalIdIn(logicalId: string, stack: Stack, onlyThere = false): Entry | undefined {
    const candidates = this.byLogicalId.get(logicalId) ?? [];
    const inStack = candidates.filter((e) => e.stack === stack);
    const found = inStack.length > 0 || onlyThere ? inStack : candidates;
    return found.length === 1 ? found[0] : undefined;
  }

  private build(): void {
    this.builds++;
    this.byLogicalId = new Map();
    this.byName = new Map();
    this.byExport = new Map();
    for (const c of this.root.node.findAll()) {
      if (c instanceof CfnRepository) {
        const stack = Stack.of(c);
        const name = stack.resolve(c.repositoryName);
        const mutability = stack.resolve(c.imageTagMutability);
        const entry: Entry = {
          stack,
          logicalId: stack.resolve(c.logicalId) as string,
          name: typeof name === 'string' ? name : undefined,
          facts: {
            id: c.node.path,
            mutability: mutability === undefined ? 'MUTABLE' : typeof mutability === 'string' ? mutability : undefined,
            exclusionFilters: exclusionFilterValues(stack.resolve(c.imageTagMutabilityExclusionFilters)),
            account: Token.isUnresolved(stack.account) ? undefined : stack.account,
            region: Token.isUnresolved(stack.region) ? undefined : stack.region,
          },
        };
        push(this.byLogicalId, entry.logicalId, entry);
        if (entry.name) push(this.byName, entry.name, entry);
      } else if (c instanceof CfnOutput && c.exportName !== undefined) {
        const stack = Stack.of(c);
        const exportName = stack.resolve(c.exportName);
        const value = stack.resolve(c.value) as { 'Ref'?: unknown; 'Fn::GetAtt'?: unknown } | undefined;
        const att = value?.['Fn::GetAtt'];
        const target = typeof value?.Ref === 'string' ? value.Ref : Array.isArray(att) && att[1] === 'Arn' ? att[0] : undefined;
        if (typeof exportName === 'string' && typeof target === 'string') this.byExport.set(exportName, { stack, logicalId: target });
      }
    }
    this.built = true;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
