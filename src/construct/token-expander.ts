import { IResolvable, IResolveContext, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { TokenExpander } from '../cfn/template-context';

/**
 * Reads CDK tokens one level at a time, for the intrinsic evaluator.
 *
 * The context's `resolve` hands values back unresolved: whatever a token produces (an
 * `Fn::Join` of further tokens, a `Ref` to a token logical id) is read by the evaluator, which
 * expands the tokens it meets. This skips the full CloudFormation resolver, and with it the cost
 * of rendering every image the way synthesis will render it again.
 */
export function cdkTokenExpander(scope: IConstruct): TokenExpander {
  const stack = Stack.of(scope);
  const context: IResolveContext = {
    scope,
    preparing: false,
    documentPath: [],
    registerPostProcessor: () => undefined,
    resolve: (x: unknown) => x,
  };
  return {
    split(text: string) {
      if (!Token.isUnresolved(text)) {
        return undefined;
      }
      // Map each token to a plain object: join then hands literals and those objects, in order,
      // to the concatenator, which collects them.
      const parts = Tokenization.reverseString(text)
        .mapTokens({ mapToken: (token) => ({ token }) })
        .join({ join: (left: unknown, right: unknown) => [...asParts(left), ...asParts(right)] });
      return asParts(parts);
    },
    expand(input: unknown) {
      const value = asResolvable(input);
      if (!value) {
        return undefined;
      }
      try {
        return { value: value.resolve(context) };
      } catch {
        // A token that needs the real resolver (it resolves values itself): let it have it.
        try {
          return { value: stack.resolve(value) };
        } catch {
          return undefined;
        }
      }
    },
  };
}

/** The token a value stands for: a token object, an encoded list, or a string that is one token as a whole. */
function asResolvable(value: unknown): IResolvable | undefined {
  if (Tokenization.isResolvable(value)) {
    return value;
  }
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    const fragments = Tokenization.reverseString(value);
    return fragments.length === 1 ? fragments.firstToken ?? undefined : undefined;
  }
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' && Token.isUnresolved(value)) {
    return Tokenization.reverseList(value);
  }
  return undefined;
}

type Part = string | { readonly token: unknown };

function asParts(value: unknown): Part[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as Part[]) : [value as Part];
}
