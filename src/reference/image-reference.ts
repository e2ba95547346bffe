import { DOCKER_HUB, isDockerHub, OFFICIAL_NAMESPACE } from './docker-hub';
import { scanImageReference, ScanError, ScannedReference } from './scanner';
/** Longest input quoted in full in an error message. */
const MAX_QUOTED = 80;

/**
 * A parsed container image reference, normalized the way Docker normalizes it.
 *
 * The grammar is that of the `distribution/reference` package used by Docker and containerd:
 * `[registry/]repository[:tag][@sha256:digest]`. Docker Hub names are normalized: `nginx` is
 * `docker.io/library/nginx`, and `index.docker.io` is `docker.io`.
 */
export class ImageReference {
  /**
   * Parses an image reference.
   *
   * Parsing takes time linear in the length of the input, so any input, however long or
   * hostile, is accepted or rejected quickly.
   *
   * @param value the image as written, e.g. `nginx:1.27.3` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:...`
   * @throws Error whose message starts with `Invalid image reference` and says what is wrong
   * and at which position (1-based, in parentheses at the end), e.g. an uppercase letter in the repository path, an empty
   * tag, a tag over 128 characters, a digest of the wrong algorithm or length, or a path over 255
   * characters (counted after normalization: `library/` counts for single-name Docker Hub images).
   */
  public static parse(value: string): ImageReference {
    const result = scanImageReference(value);
    if (!result.ok) {
      throw new Error(formatReferenceError(value, result.error));
    }
    return ImageReference.fromScanned(result.reference);
  }

  /** @internal */
  public static _fromScanned(scanned: ScannedReference): ImageReference {
    return ImageReference.fromScanned(scanned);
  }

  private static fromScanned(scanned: ScannedReference): ImageReference {
    const registry = isDockerHub(scanned.domain) ? DOCKER_HUB : scanned.domain!;
    let repository = scanned.path;
    if (registry === DOCKER_HUB && !repository.includes('/')) {
      repository = OFFICIAL_NAMESPACE + repository;
    }
    return new ImageReference(registry, repository, scanned.tag, scanned.digest);
  }

  /**
   * The registry host, with port if any. `docker.io` for Docker Hub.
   */
  public readonly registry: string;

  /**
   * The repository path within the registry. Single-name Docker Hub images get `library/`.
   */
  public readonly repository: string;

  /**
   * The tag, if the reference has one.
   *
   * @default - no tag
   */
  public readonly tag?: string;

  /**
   * The digest (`sha256:` and 64 hex characters), if the reference has one.
   *
   * @default - no digest
   */
  public readonly digest?: string;

  private constructor(registry: string, repository: string, tag?: string, digest?: string) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * The normalized name without tag or digest: `registry/repository`.
   */
  public get name(): string {
    return `${this.registry}/${this.repository}`;
  }

  /**
   * The canonical form: `registry/repository[:tag][@digest]`, e.g. `docker.io/library/nginx:1.27.3`.
   */
  public toString(): string {
    return `${this.name}${this.tag === undefined ? '' : `:${this.tag}`}${this.digest === undefined ? '' : `@${this.digest}`}`;
  }
}

/** The message of the error `ImageReference.parse` throws, also used for findings. */
export function formatReferenceError(value: string, error: ScanError): string {
  return `Invalid image reference ${quote(value)}: ${error.problem} (position ${error.index + 1})`;
}

/** Quotes an input for a message, eliding the middle of very long inputs. */
export function quote(value: string): string {
  if (value.length <= MAX_QUOTED) {
    return JSON.stringify(value);
  }
  return `${JSON.stringify(value.slice(0, MAX_QUOTED / 2))}...(${value.length} characters)`;
}
