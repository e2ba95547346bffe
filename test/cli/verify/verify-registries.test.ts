import * as fs from 'fs';
import * as path from 'path';
import { runCliAsync } from '../../support/online/run';
import { sarifValidator } from '../../support/online/sarif';
import { ecsTask, writeTemplate } from '../../support/online/templates';
import { basicAuth, DockerEnv, dockerEnv } from '../../support/registry/docker-env';
import { LINUX_AMD64, LINUX_ARM64, PushedImage, PushedIndex, pushImage, pushIndex } from '../../support/registry/images';
import { LocalRegistry, startRegistry } from '../../support/registry/local-registry';
import { freePort } from '../../support/registry/loopback';
import { MisbehavingServer, startMisbehavingServer } from '../../support/registry/misbehaving-server';
import { RegistryPusher } from '../../support/registry/push';
import { INSTALL_TIMEOUT_MS } from '../../support/registry/tools';
import { expectCleanOutput, removeTemporaryDirectories, runCli, stdoutJson, temporaryDirectory } from '../cli-process';

/**
 * `verify` and the ways a registry can answer: credentials (none, wrong, right; never printed),
 * Docker Hub through `--registry-mirror`, a registry that cannot be reached, one that throttles,
 * one whose answer is refused (the misbehaving server), and the usage errors of the registry flags.
 */

const PASSWORD = 'registry-password-do-not-print-91';
let open: LocalRegistry;
let secured: LocalRegistry;
let misbehaving: MisbehavingServer;
let anonymous: DockerEnv;
let loggedIn: DockerEnv;
let wrong: DockerEnv;
let hubNginx: PushedIndex;
let securedApp: PushedImage;
let dir: string;

beforeAll(async () => {
  open = await startRegistry();
  secured = await startRegistry({ auth: { kind: 'htpasswd', users: { alice: PASSWORD } } });
  misbehaving = await startMisbehavingServer();
  misbehaving.addImage('team/app', '1.0.0');
  misbehaving.addImage('library/nginx', '1.27.3');
  misbehaving.addImage('library/redis', '7.4.0');
  hubNginx = await pushIndex(new RegistryPusher(open.url), 'library/nginx', '1.27.3', [LINUX_AMD64, LINUX_ARM64]);
  securedApp = await pushImage(new RegistryPusher(secured.url, { username: 'alice', password: PASSWORD }), 'team/app', '1.0.0', LINUX_AMD64);
  anonymous = dockerEnv({});
  loggedIn = dockerEnv({ auths: { [secured.host]: { auth: basicAuth('alice', PASSWORD) } } });
  wrong = dockerEnv({ auths: { [secured.host]: { auth: basicAuth('alice', 'not-the-password') } } });
  dir = temporaryDirectory('image-pinning-verify-registries-');
  writeTemplate(dir, 'hub.template.json', { Web: ecsTask(['nginx:1.27.3'], { cpu: 'ARM64' }), Typo: ecsTask(['nginx:1.27.33']) });
  writeTemplate(dir, 'secured.template.json', { App: ecsTask([`${secured.host}/team/app:1.0.0`]) });
  writeTemplate(dir, 'misbehaving.template.json', { App: ecsTask([`${misbehaving.host}/team/app:1.0.0`]), Other: ecsTask([`${open.host}/library/nginx:1.27.3`]) });
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await open?.stop();
  await secured?.stop();
  await misbehaving?.stop();
  [anonymous, loggedIn, wrong].forEach((e) => e?.remove());
  removeTemporaryDirectories();
});

beforeEach(() => {
  misbehaving.faults = {};
  misbehaving.requests.length = 0;
});

const verify = (args: string[], env: DockerEnv = anonymous) => runCliAsync(['verify', ...args], { cwd: dir, env: env.env });
const regFindings = (run: { stdout: string }) => stdoutJson(run).findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('ImagePinning-REG'));

describe('credentials', () => {
  test('without credentials: REG1 says the registry did not authorize us, distinct from "does not exist"', async () => {
    const run = await verify(['--format', 'json', 'secured.template.json']);
    expect(run.status).toBe(1);
    const [finding] = regFindings(run);
    expect(finding).toMatchObject({ ruleId: 'ImagePinning-REG1', reason: 'NOT_AUTHORIZED' });
    expect(finding.message).toContain(`could not be read: ${secured.host} did not authorize the request, so whether it exists is not known`);
    expect(finding.fix).toContain(`\`docker login ${secured.host}\``);
  });

  test('with the wrong password: not authorized, and the password is never printed', async () => {
    const run = await verify(['--format', 'json', 'secured.template.json'], wrong);
    expect(run.status).toBe(1);
    expect(regFindings(run)[0]).toMatchObject({ reason: 'NOT_AUTHORIZED' });
    expect(`${run.stdout}${run.stderr}`).not.toContain('not-the-password');
  });

  test('with the Docker config\'s credentials: verified; neither the password nor its base64 appears anywhere', async () => {
    const run = await verify(['--format', 'json', '--inventory', 'secured.template.json'], loggedIn);
    expect(run.status).toBe(0);
    expect(stdoutJson(run).inventory[0]).toMatchObject({ verification: 'verified', resolvedDigest: securedApp.digest });
    for (const secret of [PASSWORD, basicAuth('alice', PASSWORD)]) {
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    }
  });
});

describe('Docker Hub through --registry-mirror', () => {
  test('nginx:1.27.3 is docker.io/library/nginx on the mirror; a typo is REG1; the index has linux/arm64', async () => {
    const run = await verify(['--registry-mirror', `docker.io=${open.url}`, '--format', 'json', '--inventory', 'hub.template.json']);
    expect(run.status).toBe(1);
    expect(stdoutJson(run).inventory[0]).toMatchObject({ resource: 'Web', verification: 'verified', reference: 'docker.io/library/nginx:1.27.3', resolvedDigest: hubNginx.digest });
    expect(regFindings(run)).toEqual([expect.objectContaining({ resource: 'Typo', ruleId: 'ImagePinning-REG1', reason: 'TAG_NOT_FOUND' })]);
    expect(regFindings(run)[0].message).toContain('the tag "1.27.33" of image "nginx:1.27.33" does not exist in docker.io/library/nginx');
  });
});

describe('registries that give no usable answer: exit 2, nothing judged for them, and said which', () => {
  test('a registry that cannot be reached', async () => {
    const port = await freePort();
    writeTemplate(dir, 'down.template.json', { Down: ecsTask([`127.0.0.1:${port}/team/app:1.0.0`]), Up: ecsTask([`${open.host}/library/nginx:1.27.3`]) });
    const run = await verify(['--format', 'json', '--inventory', '--timeout', '2', 'down.template.json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^cdk-image-pinning: not verified: 127\\.0\\.0\\.1:${port}/team/app:1\\.0\\.0: .*\\n$`));
    const json = stdoutJson(run);
    expect(json.notVerified).toEqual([expect.objectContaining({ reference: `127.0.0.1:${port}/team/app:1.0.0`, kind: 'unreachable', uses: 1 })]);
    expect(json.inventory.map((i: { resource: string; verification: string }) => [i.resource, i.verification])).toEqual([['Down', 'not-verified'], ['Up', 'verified']]);
    expect(regFindings(run)).toEqual([]);
    expect(json.summary).toMatchObject({ exitCode: 2, notVerified: 1, verified: 1 });
  });

  test('throttling that outlasts the wait (Retry-After too long): rate-limited, not verified', async () => {
    misbehaving.faults = { status429: { times: 100, retryAfter: '3600' } };
    const run = await verify(['--format', 'json', 'misbehaving.template.json']);
    expect(run.status).toBe(2);
    expect(stdoutJson(run).notVerified).toEqual([expect.objectContaining({ kind: 'rate-limited', reference: `${misbehaving.host}/team/app:1.0.0` })]);
    expect(run.stderr).toContain('the registry throttled the request (429, Retry-After 3600 s)');
  });

  test('Docker Hub\'s pull limit: no retry, one notice naming what was not verified', async () => {
    misbehaving.faults = { pullLimit: 'get' };
    writeTemplate(dir, 'limited.template.json', { Web: ecsTask(['nginx:1.27.3']), Cache: ecsTask(['redis:7.4.0']) });
    const run = await verify(['--registry-mirror', `docker.io=${misbehaving.url}`, '--format', 'json', 'limited.template.json']);
    expect(run.status).toBe(2);
    const json = stdoutJson(run);
    expect(json.notVerified.map((n: { kind: string }) => n.kind)).toEqual(['rate-limited', 'rate-limited']);
    expect(json.notices).toEqual([expect.stringMatching(/^Docker Hub's pull rate limit was reached \(429 TOOMANYREQUESTS from docker\.io\): 2 images not verified: docker\.io\/library\/(nginx|redis)/)]);
    // Each reference's GET once (both were on their way when the limit came back): none retried.
    expect(misbehaving.requests.filter((r) => r.method === 'GET').map((r) => r.path.split('/')[3]).sort()).toEqual(['nginx', 'redis']);
    expect(misbehaving.requests.filter((r) => r.method === 'HEAD')).toHaveLength(2); // HEADs are not pulls
  });

  test('a manifest whose body is not its digest: the answer is refused, not verified', async () => {
    misbehaving.faults = { wrongBody: true };
    const run = await verify(['--format', 'json', 'misbehaving.template.json']);
    expect(run.status).toBe(2);
    expect(stdoutJson(run).notVerified).toEqual([expect.objectContaining({ kind: 'invalid-response' })]);
    expect(stdoutJson(run).notVerified[0].message).toContain('hashes to');
  });

  test('503s then an answer: retried, verified', async () => {
    misbehaving.faults = { status503: { times: 2 } };
    const run = await verify(['--format', 'json', 'misbehaving.template.json']);
    expect(run.status).toBe(0);
    expect(misbehaving.requests.filter((r) => r.method === 'HEAD')).toHaveLength(3);
  });

  test('the table lists what was not verified after the summary', async () => {
    misbehaving.faults = { status: 500 };
    const run = await verify(['--timeout', '2', 'misbehaving.template.json']);
    expect(run.status).toBe(2);
    expectCleanOutput(run);
    expect(run.stdout).toContain('Not verified (nothing was judged for these images: their registry could not be reached, limited the requests or gave an answer that was refused):');
    expect(run.stdout).toMatch(new RegExp(`\\n  ${misbehaving.host.replace(/\./g, '\\.')}/team/app:1\\.0\\.0: the registry answered 500 after 4 attempts \\(1 use\\)`));
  });

  test('SARIF: valid, the registry rules in the driver, results for REG findings, not-verified references as notifications', async () => {
    misbehaving.faults = { status: 500 };
    const run = await verify(['--format', 'sarif', '--registry-mirror', `docker.io=${open.url}`, '--timeout', '2', 'misbehaving.template.json', 'hub.template.json']);
    expect(run.status).toBe(2);
    const log = stdoutJson(run);
    const validate = sarifValidator();
    expect(validate(log)).toBe(true);
    const driverRules = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    expect(driverRules).toEqual(expect.arrayContaining(['ImagePinning-ECS1', 'ImagePinning-REG1', 'ImagePinning-REG2', 'ImagePinning-REG3', 'ImagePinning-REG4']));
    const reg1 = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'ImagePinning-REG1');
    expect(reg1).toMatchObject({ defaultConfiguration: { level: 'error' }, shortDescription: { text: 'Images must exist in their registry' } });
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'ImagePinning-REG1');
    expect(result).toMatchObject({ level: 'error', kind: 'fail', ruleIndex: driverRules.indexOf('ImagePinning-REG1'), properties: { verification: 'failed', reason: 'TAG_NOT_FOUND' } });
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([expect.objectContaining({ level: 'error', message: { text: expect.stringMatching(/^not verified: .*team\/app:1\.0\.0: the registry answered 500/) } })]);
  });
});

describe('usage errors of the registry flags: exit 2, one line, before any request', () => {
  test.each([
    [['--registry-mirror', 'docker.io'], /option '--registry-mirror <host=url>' argument 'docker\.io' is invalid\. write HOST=URL/],
    [['--registry-mirror', 'docker.io=http://mirror.example.com'], /Registry mirror for docker\.io: plain HTTP to mirror\.example\.com is allowed only for loopback hosts and insecure registries/],
    [['--insecure-registry', 'http://x'], /argument 'http:\/\/x' is invalid\. write a host or host:port, without a scheme/],
    [['--concurrency', '0'], /argument '0' is invalid\. write a whole number from 1 to 256/],
    [['--timeout', '-1'], /argument '-1' is invalid\. write a number of seconds/],
    [['--lock-file', 'missing.lock.json'], /lock file missing\.lock\.json: cannot be read \(ENOENT\); run `npx cdk-image-pinning lock` to write it/],
  ])('%j', async (args, message) => {
    const run = await verify([...args, 'hub.template.json']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expectCleanOutput(run);
  });

  test('a plain-HTTP mirror is accepted when its host is named insecure', async () => {
    const run = await verify(['--insecure-registry', 'mirror.invalid', '--registry-mirror', 'docker.io=http://mirror.invalid:1', '--timeout', '1', '--format', 'json', 'hub.template.json']);
    expect(run.status).toBe(2); // accepted, then the mirror cannot be reached
    expect(stdoutJson(run).notVerified[0].message).toContain('(via http://mirror.invalid:1)');
  });
});

describe('the options of verify are those of scan, plus the registry options', () => {
  const optionsOf = (help: string) => [...help.matchAll(/^ {2}(-\w, )?(--[a-z-]+)/gm)].map((m) => m[2]);
  test('every scan option is a verify option; lock takes those that choose the images', () => {
    const scanOptions = optionsOf(runCli(['scan', '--help']).stdout);
    const verifyOptions = optionsOf(runCli(['verify', '--help']).stdout);
    const lockOptions = optionsOf(runCli(['lock', '--help']).stdout);
    expect(verifyOptions).toEqual(expect.arrayContaining(scanOptions));
    expect(verifyOptions).toEqual(expect.arrayContaining(['--registry-mirror', '--insecure-registry', '--concurrency', '--timeout', '--lock-file']));
    expect(lockOptions).toEqual(expect.arrayContaining(['--policy', '--exclude-resource-type', '--lock-file', '--update', '--prune', '--check', '--offline', '--registry-mirror']));
  });

  test('the policy file applies to verify as to scan', async () => {
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ level: 'DIGEST' }));
    const run = await verify(['--policy', 'policy.json', '--registry-mirror', `docker.io=${open.url}`, '--format', 'json', 'hub.template.json']);
    expect(stdoutJson(run).findings.map((f: { ruleId: string; resource: string }) => `${f.resource} ${f.ruleId}`)).toEqual(['Web ImagePinning-ECS1', 'Typo ImagePinning-ECS1', 'Typo ImagePinning-REG1']);
  });
});
