import { CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { RepositoryRef } from '../cfn/template-context';

/**
 * Answers "is this an ECR repository of the app, with immutable tags?" from the construct tree,
 * for the front doors that have one. A repository is found by logical id in the resource's own
 * stack, else anywhere in the app (during synthesis a reference to another stack's repository
 * is still a `Ref` to its logical id), by its literal name, or, once cross-stack references have
 * become exports (the cdk-nag pack runs then), through the `CfnOutput` that exports it.
 */
export function immutableRepositoryLookup(scope: IConstruct): (ref: RepositoryRef) => boolean {
  const stack = Stack.of(scope);
  let repositories: CfnRepository[] | undefined;
  const all = () => (repositories ??= stack.node.root.node.findAll().filter((c): c is CfnRepository => c instanceof CfnRepository));
  const immutable = (repo: CfnRepository) => Stack.of(repo).resolve(repo.imageTagMutability) === 'IMMUTABLE';
  const logicalIdOf = (repo: CfnRepository) => Stack.of(repo).resolve(repo.logicalId) as string;

  const byLogicalId = (logicalId: string, within?: Stack): boolean => {
    const candidates = all().filter((r) => logicalIdOf(r) === logicalId);
    const inStack = candidates.filter((r) => Stack.of(r) === (within ?? stack));
    const found = inStack.length > 0 ? inStack : within ? [] : candidates;
    return found.length === 1 && immutable(found[0]);
  };

  return (ref) => {
    if ('logicalId' in ref) {
      return byLogicalId(ref.logicalId);
    }
    if ('name' in ref) {
      return all().some((r) => Stack.of(r).resolve(r.repositoryName) === ref.name && immutable(r));
    }
    const output = stack.node.root.node
      .findAll()
      .find((c): c is CfnOutput => c instanceof CfnOutput && Stack.of(c).resolve(c.exportName) === ref.exportName);
    const target = output && (Stack.of(output).resolve(output.value) as { Ref?: unknown } | undefined)?.Ref;
    return output !== undefined && typeof target === 'string' && byLogicalId(target, Stack.of(output));
  };
}
