/**
 * The sentences of the audit's own findings (`ImagePinning-AUDIT1` to `3`): what runs in an
 * account against what the lock file holds. Like the verdict's sentences (policy/verdict-text.ts),
 * each is a message (what is wrong, no final period) and a fix with the corrected image written
 * out; the subject (`Container "web"`) and the place (account, region, cluster, service) are
 * framed by the formatters. Nothing parses these strings back.
 */

const DIGEST_PLACEHOLDER = 'sha256:<digest>';

/** `sha256:0123456789ab`: enough of a digest to tell digests apart in a sentence. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon >= 0 && digest.length > colon + 13 ? digest.slice(0, colon + 13) : digest;
}

/** `2 tasks`, `1 task and the service's current revision`, ... */
export function runningCount(tasks: number, revisions: number, what: 'tasks' | 'function' = 'tasks'): string {
  if (what === 'function') return 'as Lambda resolved it at deploy time';
  const parts = [
    ...(tasks > 0 ? [`${tasks} running ${tasks === 1 ? 'task' : 'tasks'}`] : []),
    ...(revisions > 0 ? [revisions === 1 ? 'the service\'s current revision' : `${revisions} current revisions of the service`] : []),
  ];
  return parts.join(' and ');
}

/** The image with its locked digest: `nginx:1.27.3@sha256:...` (the tag kept, any digest replaced). */
export function withDigest(nameAndTag: string, digest: string | undefined): string {
  return `${nameAndTag}@${digest ?? DIGEST_PLACEHOLDER}`;
}

/** AUDIT1: a running digest that is neither the locked digest nor one of its platform children. */
export function driftFromLock(args: { image: string; running: string; where: string; lockKey: string; locked: string; platforms: number }) {
  const children = args.platforms > 0 ? ` nor one of its ${args.platforms} platform ${args.platforms === 1 ? 'digest' : 'digests'}` : '';
  return {
    message:
      `image "${args.image}" runs ${shortDigest(args.running)} (${args.where}), which is not the digest locked for "${args.lockKey}" ` +
      `(${shortDigest(args.locked)})${children}: what runs is not what was locked`,
    fix:
      `deploy the locked image, e.g. "${withDigest(args.lockKey, args.locked)}", so that every task pulls it; ` +
      'if the running image is the one meant to run, lock its tag again',
  };
}

/**
 * AUDIT1 as a warning: an image that names its own digest runs another one, and the lock file does
 * not list that digest, so whether it is one of its platform children is not known.
 */
export function driftFromReference(args: { image: string; running: string; where: string; referenced: string }) {
  return {
    message:
      `image "${args.image}" runs ${shortDigest(args.running)} (${args.where}), not the digest it names (${shortDigest(args.referenced)}); ` +
      'it may be the platform digest of that index, which only a lock file entry lists',
    fix: 'lock the image so that its platform digests are known (the lock file\'s "platforms"), then audit again with --lock-file',
  };
}

/** One digest of a mixed deployment: `sha256:0123456789ab (2 tasks)`. */
export function digestShare(digest: string, tasks: number, images: readonly string[], oneImage: boolean): string {
  const of = oneImage || images.length === 0 ? '' : ` of "${images.join('", "')}"`;
  return `${shortDigest(digest)}${of} (${tasks} ${tasks === 1 ? 'task' : 'tasks'})`;
}

/** AUDIT2: the running tasks of one service run different digests of one container. */
export function mixedDeployment(args: {
  tasks: number;
  shares: readonly string[];
  /** The one image every task names, when they all name the same. */
  image?: string;
  inRollout: boolean;
  /** The digest to pin, when the lock holds one for the image. */
  locked?: { readonly lockKey: string; readonly digest: string };
}) {
  const what = args.image ? ` of "${args.image}"` : '';
  const why = args.inRollout
    ? 'a deployment is rolling out, so this is expected while it lasts'
    : args.image
      ? 'one tag was resolved to different images at different times, so the tasks of one service run different code'
      : 'tasks of an earlier deployment still run beside the current one';
  const pinned = args.locked
    ? `"${withDigest(args.locked.lockKey, args.locked.digest)}"`
    : args.image
      ? `"${args.image.split('@')[0]}@${DIGEST_PLACEHOLDER}"`
      : 'its digest';
  return {
    message: `its ${args.tasks} running tasks run ${args.shares.length} digests${what}: ${args.shares.join(', ')}; ${why}`,
    fix: args.inRollout
      ? 'let the deployment finish; if it does not, look at the service\'s deployments and events'
      : `pin the image by digest in the task definition (${pinned}), keep version consistency enabled, and redeploy the service`,
  };
}

/** AUDIT3: version consistency is off for a container whose image has no digest. */
export function versionConsistencyDisabled(args: { image: string; nameAndTag?: string; locked?: string }) {
  return {
    message:
      `version consistency is disabled and image "${args.image}" has no digest, so each task pulls whatever the tag points to when it starts: ` +
      'nothing holds its digest steady',
    fix:
      `pin the digest in the image${args.nameAndTag ? ` ("${withDigest(args.nameAndTag, args.locked)}")` : ''}, or remove ` +
      'versionConsistency "disabled" from the container so that ECS resolves the tag once per deployment',
  };
}

/** The parts of a finding that its one-line message is made of. */
export interface AuditMessageParts {
  readonly ruleId: string;
  readonly subject: string;
  readonly message: string;
  readonly fix?: string;
  readonly hint?: string;
  readonly when?: string;
}

/** `Container "web": image ... .` */
export function auditStatement(f: AuditMessageParts): string {
  return `${f.subject}${f.when ? ` (when ${f.when})` : ''}: ${f.message}.`;
}

/** `Fix: ... .`, or undefined when there is nothing to fix. */
export function auditFixSentence(f: AuditMessageParts): string | undefined {
  return f.fix === undefined ? undefined : `Fix: ${f.fix}${f.hint ? ` (${f.hint})` : ''}.`;
}

/** `[ImagePinning-AUDIT1] Container "web": ... . Fix: ... .`: the shape of the shared check's messages. */
export function auditFindingMessage(f: AuditMessageParts): string {
  const fix = auditFixSentence(f);
  return `[${f.ruleId}] ${auditStatement(f)}${fix ? ` ${fix}` : ''}`;
}
