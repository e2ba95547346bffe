import { describeAwsError, Redactor } from '../../aws/aws-error';
import { clientConfig } from '../../aws/client-config';
import { loadSdk, SdkMissingError } from '../../aws/sdk';
import { Glob } from '../../policy/glob';
import { EcrHost } from '../../registry/ecr-host';

/**
 * Whether the tags of an ECR repository can move, as the repository says now: `ecr:DescribeRepositories`
 * through the AWS SDK (loaded when first needed), the default credential chain, in the registry's
 * region (FIPS and dual-stack endpoints as its host says, unless `AWS_ENDPOINT_URL_ECR` or
 * `AWS_ENDPOINT_URL` names one). One call per repository and run. A read: nothing is changed.
 */

/** A repository's tag mutability, or why it is not known. */
export type RepositoryMutability =
  | { readonly kind: 'found'; readonly mutability: string; readonly exclusionFilters: readonly string[] }
  | { readonly kind: 'failed'; readonly message: string };

/** Where tag mutability comes from (the AWS SDK by default). */
export interface TagMutabilitySource {
  mutability(host: EcrHost, repository: string): Promise<RepositoryMutability>;
  /** API calls made, for reports and benchmarks. */
  calls(): number;
  close(): void;
}

/** Can this tag move, given the repository's mutability? Undefined for a mutability this tool does not know. */
export function tagCanMove(mutability: string, exclusionFilters: readonly string[], tag: string): boolean | undefined {
  const matched = exclusionFilters.some((f) => new Glob(f).matches(tag));
  switch (mutability) {
    case 'MUTABLE':
      return true;
    case 'IMMUTABLE':
      return false;
    case 'IMMUTABLE_WITH_EXCLUSION':
      // Tags an exclusion filter matches stay mutable.
      return matched;
    case 'MUTABLE_WITH_EXCLUSION':
      // Tags an exclusion filter matches are the immutable ones.
      return !matched;
    default:
      return undefined;
  }
}

interface EcrSdk {
  ECRClient: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown>; destroy(): void };
  DescribeRepositoriesCommand: new (input: Record<string, unknown>) => unknown;
}

interface DescribeRepositoriesOutput {
  repositories?: Array<{
    repositoryName?: string;
    imageTagMutability?: string;
    imageTagMutabilityExclusionFilters?: Array<{ filterType?: string; filter?: string }>;
  }>;
}

export class SdkEcrRepositories implements TagMutabilitySource {
  private readonly answers = new Map<string, Promise<RepositoryMutability>>();
  private readonly clients = new Map<string, { send(command: unknown): Promise<unknown>; destroy(): void }>();
  private readonly redactor = new Redactor();
  private count = 0;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  public mutability(host: EcrHost, repository: string): Promise<RepositoryMutability> {
    const key = `${host.host}/${repository}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.describe(host, repository);
      this.answers.set(key, answer);
    }
    return answer;
  }

  public calls(): number {
    return this.count;
  }

  public close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private async describe(host: EcrHost, repository: string): Promise<RepositoryMutability> {
    const where = `ecr:DescribeRepositories for ${repository} in ${host.host} (region ${host.region})`;
    let sdk: EcrSdk;
    try {
      sdk = loadSdk<EcrSdk>('@aws-sdk/client-ecr', 'Checking the tag mutability of ECR repositories');
    } catch (e) {
      if (SdkMissingError.isSdkMissingError(e)) return { kind: 'failed', message: e.message };
      throw e;
    }
    this.count++;
    try {
      const output = (await this.client(sdk, host).send(
        new sdk.DescribeRepositoriesCommand({ registryId: host.accountId, repositoryNames: [repository] }),
      )) as DescribeRepositoriesOutput;
      const found = output.repositories?.find((r) => r.repositoryName === repository);
      if (!found?.imageTagMutability) {
        return { kind: 'failed', message: `${where} returned no such repository` };
      }
      return {
        kind: 'found',
        mutability: found.imageTagMutability,
        exclusionFilters: (found.imageTagMutabilityExclusionFilters ?? []).filter((f) => f.filterType === 'WILDCARD' && f.filter).map((f) => f.filter!),
      };
    } catch (e) {
      const error = describeAwsError(e, this.redactor);
      return { kind: 'failed', message: `${where} failed: ${error.code}: ${error.message}` };
    }
  }

  private client(sdk: EcrSdk, host: EcrHost) {
    const key = `${host.region}|${host.fips}|${host.dualStack}`;
    let client = this.clients.get(key);
    if (!client) {
      // As for GetAuthorizationToken: the SDK refuses FIPS or dual-stack with a custom endpoint.
      const customEndpoint = this.env.AWS_ENDPOINT_URL_ECR ?? this.env.AWS_ENDPOINT_URL;
      client = new sdk.ECRClient({
        ...clientConfig({ region: host.region }),
        ...(customEndpoint ? {} : { useFipsEndpoint: host.fips, useDualstackEndpoint: host.dualStack }),
      });
      this.clients.set(key, client);
    }
    return client;
  }
}
