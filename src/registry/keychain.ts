import { CredentialLookup, CredentialSource } from './credential';
import { parseEcrHost } from './ecr-host';

/**
 * All the places a registry's credential can come from, in order: the Docker config (helpers,
 * `auths`), then, for ECR hosts only, `ecr:GetAuthorizationToken`. The Docker lookup is memoized
 * per registry (found or not), so 300 images on one registry run a helper once; the ECR source
 * keeps its own cache, which renews tokens before they expire.
 */
export class Keychain implements CredentialSource {
  private readonly memo = new Map<string, Promise<CredentialLookup>>();

  constructor(private readonly docker: CredentialSource, private readonly ecr: CredentialSource) {}

  public async lookup(registry: string): Promise<CredentialLookup> {
    let docker = this.memo.get(registry);
    if (!docker) {
      docker = this.docker.lookup(registry);
      this.memo.set(registry, docker);
    }
    const fromDocker = await docker;
    if (fromDocker.credential !== undefined || parseEcrHost(registry) === undefined) {
      return fromDocker;
    }
    const fromEcr = await this.ecr.lookup(registry);
    const problem = [fromDocker.problem, fromEcr.problem].filter((p) => p !== undefined).join('; ');
    return { ...fromEcr, problem: problem === '' ? undefined : problem };
  }
}
