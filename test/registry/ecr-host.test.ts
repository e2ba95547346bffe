import { parseEcrHost } from '../../src/registry/ecr-host';

describe('parseEcrHost', () => {
  // host, account, region, fips, dual-stack
  test.each<[string, string, string, boolean, boolean]>([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', '123456789012', 'eu-west-1', false, false],
    ['123456789012.dkr.ecr.us-gov-west-1.amazonaws.com', '123456789012', 'us-gov-west-1', false, false],
    ['123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', '123456789012', 'us-east-1', true, false],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', '123456789012', 'cn-north-1', false, false],
    ['123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn', '123456789012', 'cn-northwest-1', false, false],
    ['123456789012.dkr-ecr.eu-central-1.on.aws', '123456789012', 'eu-central-1', false, true],
    ['123456789012.dkr-ecr-fips.us-west-2.on.aws', '123456789012', 'us-west-2', true, true],
    ['123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn', '123456789012', 'cn-north-1', false, true],
    ['123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM', '123456789012', 'eu-west-1', false, false],
    ['123456789012.dkr.ecr.ap-southeast-4.amazonaws.com:443', '123456789012', 'ap-southeast-4', false, false],
  ])('%s is an ECR host', (host, accountId, region, fips, dualStack) => {
    expect(parseEcrHost(host)).toMatchObject({ accountId, region, fips, dualStack });
  });

  test.each([
    ['public.ecr.aws', 'ECR Public is an ordinary token-auth registry'],
    ['12345678901.dkr.ecr.eu-west-1.amazonaws.com', '11-digit account'],
    ['1234567890123.dkr.ecr.eu-west-1.amazonaws.com', '13-digit account'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example', 'suffix after the AWS domain'],
    ['evil.123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'prefix before the account'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com', 'a China region outside .com.cn'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com.cn', 'a commercial region under .com.cn'],
    ['123456789012.dkr-ecr.eu-west-1.on.amazonwebservices.com.cn', 'a commercial region under the China dual-stack domain'],
    ['123456789012.dkr.ecr.eu_west_1.amazonaws.com', 'a malformed region'],
    ['docker.io', 'Docker Hub'],
    ['localhost:5000', 'a local registry'],
  ])('%s is not (%s)', (host) => {
    expect(parseEcrHost(host)).toBeUndefined();
  });
});
