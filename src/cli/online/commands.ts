import { Command } from 'commander';
import { OnlineCommandContext } from './command-context';
import { registerLockCommand } from '../lock/lock-command';
import { registerVerifyCommand } from '../verify/verify-command';

/**
 * The online commands, which ask registries: `verify` and `lock`. Registered by `main` after
 * `scan`, whose input and policy options they reuse. Importing this loads no AWS SDK; running an
 * ECR lookup does.
 */
export function registerOnlineCommands(program: Command, ctx: OnlineCommandContext): void {
  registerVerifyCommand(program, ctx);
  registerLockCommand(program, ctx);
}
