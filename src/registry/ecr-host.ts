/**
 * Amazon ECR private registry hosts.
 *
 *   <account>.dkr.ecr.<region>.amazonaws.com          commercial regions
 *   <account>.dkr.ecr-fips.<region>.amazonaws.com     FIPS endpoints (US and Canada regions)
 *   <account>.dkr.ecr.<region>.amazonaws.com.cn       China regions
 *   <account>.dkr-ecr.<region>.on.aws                 dual-stack (IPv4 and IPv6)
 *   <account>.dkr-ecr-fips.<region>.on.aws            dual-stack FIPS
 *   <account>.dkr-ecr.<region>.on.amazonwebservices.com.cn   dual-stack, China regions
 *
 * `<account>` is 12 digits; `<region>` is lowercase letters, digits and dashes (`eu-west-1`,
 * `us-gov-west-1`, `cn-north-1`). ECR Public (`public.ecr.aws`) is not a private ECR host: it is an
 * ordinary registry with the Bearer token flow.
 */

/** A parsed ECR private registry host. */
export interface EcrHost {
  /** The host as written (lowercased), without port. */
  readonly host: string;
  /** The 12-digit AWS account that owns the registry. */
  readonly accountId: string;
  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** A FIPS endpoint (`dkr.ecr-fips` / `dkr-ecr-fips`). */
  readonly fips: boolean;
  /** A dual-stack endpoint (`dkr-ecr.<region>.on.aws`). */
  readonly dualStack: boolean;
}

const REGION = '[a-z]{2}(?:-[a-z0-9]+)+-[0-9]+';
const CLASSIC = new RegExp(`^([0-9]{12})\\.dkr\\.ecr(-fips)?\\.(${REGION})\\.amazonaws\\.com(\\.cn)?$`);
const DUAL_STACK = new RegExp(`^([0-9]{12})\\.dkr-ecr(-fips)?\\.(${REGION})\\.on\\.(aws|amazonwebservices\\.com\\.cn)$`);

/**
 * Parses a registry host (port, if any, is ignored) as an ECR private registry host.
 *
 * @returns the parts, or undefined when the host is not an ECR private registry
 */
export function parseEcrHost(registry: string): EcrHost | undefined {
  const host = registry.toLowerCase().replace(/:[0-9]+$/, '');
  const classic = CLASSIC.exec(host);
  if (classic) {
    const [, accountId, fips, region, china] = classic;
    // A China region lives under amazonaws.com.cn and nowhere else, and vice versa.
    if ((china !== undefined) !== region.startsWith('cn-')) {
      return undefined;
    }
    return { host, accountId, region, fips: fips !== undefined, dualStack: false };
  }
  const dual = DUAL_STACK.exec(host);
  if (dual) {
    const [, accountId, fips, region, suffix] = dual;
    if ((suffix !== 'aws') !== region.startsWith('cn-')) {
      return undefined;
    }
    return { host, accountId, region, fips: fips !== undefined, dualStack: true };
  }
  return undefined;
}
