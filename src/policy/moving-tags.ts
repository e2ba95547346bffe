/**
 * Channel words: tags that by convention are moved to each new release of their channel.
 * `latest` is only the most famous. Matched case-insensitively.
 */
export const DEFAULT_MOVING_TAGS: readonly string[] = [
  'latest',
  'stable',
  'mainline',
  'edge',
  'nightly',
  'current',
  'lts',
  'rolling',
  'devel',
  'testing',
  'unstable',
  'sid',
  'main',
  'master',
  'develop',
  'dev',
  'canary',
  'snapshot',
];
