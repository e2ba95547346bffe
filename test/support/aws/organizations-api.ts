/**
 * AWS Organizations `ListAccounts` for the fake endpoint (awsJson1.1, target prefix
 * `AWSOrganizationsV20161128`): pages of at most 20 accounts by `NextToken`/`MaxResults`.
 * Only the organization's management account may call it.
 */
import type { FakeAws } from './fake-account';
import { ApiError, paginate } from './protocol';

export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128';

type Body = Record<string, unknown>;

export const ORGANIZATIONS_OPERATIONS: Record<string, (model: FakeAws, account: string, body: Body, cap?: number) => unknown> = {
  ListAccounts(model, account, body, cap) {
    if (!model.organization || account !== model.callerAccount) {
      throw new ApiError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    }
    const page = paginate('ListAccounts', model.organization.accounts, { token: body.NextToken as string, size: body.MaxResults as number }, {
      defaultSize: 20,
      max: 20,
      invalidCode: 'InvalidInputException',
    }, cap);
    return {
      Accounts: page.items.map((a) => ({
        ...a,
        Arn: `arn:${model.partition}:organizations::${model.callerAccount}:account/o-fake/${a.Id}`,
        JoinedMethod: 'CREATED',
        JoinedTimestamp: new Date('2024-01-01T00:00:00Z'),
      })),
      NextToken: page.nextToken,
    };
  },
};
