import { CredentialLookup, CredentialSource } from './credential';
import { runCredentialHelper } from './credential-helper';
import { authEntryFor, credentialHelperFor, credentialOfAuthEntry, DockerConfig, dockerConfigFile, dockerConfigKey, readDockerConfig } from './docker-config';

/**
 * Credentials from Docker's config: `credHelpers[server]`, then `credsStore`, then `auths[server]`,
 * as `docker pull` finds them. A helper that has nothing for the server falls back to the `auths`
 * entry, as Docker's native store does. The file is read once, when a registry first asks for
 * credentials (that is, after its first 401), never at start-up.
 */
export interface DockerCredentialOptions {
  /** The config file. @default - `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` */
  readonly configFile?: string;
  /** Environment for credential helpers (and for finding the config). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Time a credential helper may take. @default 15000 */
  readonly helperTimeoutMs?: number;
}

export class DockerCredentialSource implements CredentialSource {
  private config?: DockerConfig | { readonly problem: string } | null;

  constructor(private readonly options: DockerCredentialOptions = {}) {}

  public async lookup(registry: string): Promise<CredentialLookup> {
    const config = this.load();
    if (config === undefined) {
      return {};
    }
    if ('problem' in config) {
      return { problem: config.problem };
    }
    let problem: string | undefined;
    const helper = credentialHelperFor(config, registry);
    if (helper !== undefined) {
      const source = `${helper.from} (docker-credential-${helper.helper})`;
      const answer = await runCredentialHelper(helper.helper, dockerConfigKey(registry), {
        env: this.options.env,
        timeoutMs: this.options.helperTimeoutMs,
      });
      if (answer.type === 'found') {
        return { credential: answer.credential, source };
      }
      if (answer.type === 'failed') {
        problem = `${source}: ${answer.problem}`;
      }
    }
    const entry = authEntryFor(config, registry);
    const credential = entry === undefined ? undefined : credentialOfAuthEntry(entry);
    if (credential !== undefined) {
      return { credential, source: `auths in ${config.file}`, problem };
    }
    return { problem };
  }

  private load(): DockerConfig | { readonly problem: string } | undefined {
    if (this.config === undefined) {
      const file = this.options.configFile ?? dockerConfigFile(this.options.env ?? process.env);
      this.config = readDockerConfig(file) ?? null;
    }
    return this.config ?? undefined;
  }
}
