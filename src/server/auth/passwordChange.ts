/**
 * POST /Users/{id}/Password (Emby: `{ CurrentPw, NewPw, ResetPassword }`), issue 15 §6. Changing one's own
 * password needs the current one — administrators included, so a session left open is not enough to take
 * an account over. An administrator sets or resets another user's without it. The user's other sessions end
 * (the one that made the change stays); a reset by an administrator ends them all.
 */
import type { Db } from '../db/connection.js';
import { tx } from '../db/connection.js';
import { badRequest, forbidden } from '../errors.js';
import type { AuthContext, AuthService } from './authService.js';
import { hashPassword } from './passwords.js';
import type { TokensRepo } from './tokensRepo.js';
import type { UserRecord, UsersRepo } from './usersRepo.js';

export interface PasswordChangeInput {
  CurrentPw?: string;
  NewPw?: string;
  /** Emby: clears the password (administrators only). */
  ResetPassword?: boolean;
}

export class PasswordChange {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepo,
    private readonly tokens: TokensRepo,
    private readonly auth: Pick<AuthService, 'checkPassword'>,
  ) {}

  async change(caller: AuthContext, target: UserRecord, input: PasswordChangeInput): Promise<void> {
    const self = caller.user.id === target.id;
    const isAdmin = caller.user.policy.IsAdministrator;
    if (!self && !isAdmin) throw forbidden('You may only change your own password');
    if (input.ResetPassword) {
      if (!isAdmin) throw forbidden('Only an administrator may reset a password');
    } else if (!input.NewPw) {
      throw badRequest('Give the new password (NewPw)');
    }
    if (self && !(await this.auth.checkPassword(target, input.CurrentPw ?? ''))) throw forbidden('The current password is wrong');
    const hash = input.ResetPassword ? null : await hashPassword(input.NewPw!);
    tx(this.db, () => {
      this.users.setPasswordHash(target.id, hash);
      if (self) this.tokens.deleteForUserExcept(target.id, caller.tokenHash);
      else this.tokens.deleteForUser(target.id);
    });
  }
}
