/** Docker Hub's canonical registry name. */
export const DOCKER_HUB = 'docker.io';
/** The legacy Docker Hub host that normalizes to {@link DOCKER_HUB}. */
export const LEGACY_DOCKER_HUB = 'index.docker.io';
/** Docker Hub's namespace for official single-name images (`nginx` is `library/nginx`). */
export const OFFICIAL_NAMESPACE = 'library/';

/** Is this registry (as written; undefined when the name has none) Docker Hub? */
export function isDockerHub(domain: string | undefined): boolean {
  return domain === undefined || domain === DOCKER_HUB || domain === LEGACY_DOCKER_HUB;
}
