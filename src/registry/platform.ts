/**
 * Platforms (`os/architecture[/variant]`), normalized as containerd's `platforms.Normalize` does
 * for the cases the AWS services meet: `arm64` with variant `v8` is plain `linux/arm64` (v8 is
 * arm64's only, default variant); `aarch64` is `arm64`, `x86_64` is `amd64`. Keys such as
 * `linux/amd64` are what the lock file and the findings use.
 */

/** A platform as manifests and image configs state it. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  /** @default - none */
  readonly variant?: string;
}

const ARCHITECTURE_ALIASES: Readonly<Record<string, string>> = { 'aarch64': 'arm64', 'x86_64': 'amd64', 'x86-64': 'amd64' };

/** The normalized platform. */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase();
  const architecture = ARCHITECTURE_ALIASES[platform.architecture.toLowerCase()] ?? platform.architecture.toLowerCase();
  let variant = platform.variant?.toLowerCase() || undefined;
  if (architecture === 'arm64' && variant === 'v8') {
    variant = undefined;
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** `os/architecture[/variant]` of the normalized platform: `linux/amd64`, `linux/arm/v7`. */
export function platformKey(platform: Platform): string {
  const p = normalizePlatform(platform);
  return p.variant === undefined ? `${p.os}/${p.architecture}` : `${p.os}/${p.architecture}/${p.variant}`;
}

/**
 * The digest for a platform key (`linux/arm64`, `linux/arm64/v8`, `linux/amd64`) in a platforms map,
 * comparing normalized keys; undefined when the image has no such platform.
 */
export function findPlatform(platforms: Readonly<Record<string, string>>, key: string): string | undefined {
  const [os, architecture, variant] = key.split('/');
  if (!os || !architecture) {
    return undefined;
  }
  const wanted = platformKey({ os, architecture, variant });
  for (const [candidate, digest] of Object.entries(platforms)) {
    const [cOs, cArch, cVariant] = candidate.split('/');
    if (platformKey({ os: cOs, architecture: cArch ?? '', variant: cVariant }) === wanted) {
      return digest;
    }
  }
  return undefined;
}
