import { partitionOfArn, partitionOfRegion, roleArn } from '../../src/aws/partition';

test.each([
  ['arn:aws:iam::123456789012:user/a', 'aws'],
  ['arn:aws-cn:sts::123456789012:assumed-role/r/s', 'aws-cn'],
  ['arn:aws-us-gov:iam::123456789012:root', 'aws-us-gov'],
  ['not-an-arn', undefined],
])('partition of %s is %s', (arn, partition) => {
  expect(partitionOfArn(arn)).toBe(partition);
});

test.each([
  ['eu-west-1', 'aws'],
  ['cn-north-1', 'aws-cn'],
  ['us-gov-west-1', 'aws-us-gov'],
  ['us-iso-east-1', 'aws-iso'],
  ['us-isob-east-1', 'aws-iso-b'],
])('partition of region %s is %s', (region, partition) => {
  expect(partitionOfRegion(region)).toBe(partition);
});

test('role ARNs carry the partition', () => {
  expect(roleArn('aws-cn', '123456789012', 'Audit')).toBe('arn:aws-cn:iam::123456789012:role/Audit');
});
