import type { Command } from "@/cli/command";
import { adminCreateCommand } from "@/cli/commands/admin";
import { bootstrapCommand } from "@/cli/commands/bootstrap";
import { kekCheckCommand, kekRotateCommand } from "@/cli/commands/kek";
import { migrateCommand } from "@/cli/commands/migrate";
import { rotateTickCommand } from "@/cli/commands/rotate";
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from "@/cli/commands/token";
import { userListCommand, userResetPasswordCommand, userUnlockCommand } from "@/cli/commands/user";

/** Every command, in the order the usage text lists them. */
export const COMMANDS: readonly Command[] = [
  migrateCommand,
  bootstrapCommand,
  adminCreateCommand,
  userResetPasswordCommand,
  userUnlockCommand,
  userListCommand,
  tokenCreateCommand,
  tokenRevokeCommand,
  tokenListCommand,
  kekCheckCommand,
  kekRotateCommand,
  rotateTickCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
