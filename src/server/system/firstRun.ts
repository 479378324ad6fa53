import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../appDeps.js';

/**
 * First run: an administrator from STOWAWAY_ADMIN_USER/PASSWORD, or `admin` with a generated password
 * printed once (there is no other way to learn it, so it goes to stdout, not only the log).
 */
export async function ensureAdministrator(deps: Pick<AppDeps, 'users' | 'usersService' | 'config' | 'log'>): Promise<void> {
  if (deps.users.count() > 0) return;
  const name = deps.config.adminUser ?? 'admin';
  const given = deps.config.adminPassword;
  const password = given ?? randomBytes(9).toString('base64url');
  const admin = await deps.usersService.create(name, password, { IsAdministrator: true });
  // Printed once on a console: the app asks for a new one at the first sign-in, until it is changed.
  if (!given) deps.users.setMustChangePassword(admin.id, true);
  if (given) {
    deps.log.info({ user: name }, 'created the administrator from STOWAWAY_ADMIN_USER/STOWAWAY_ADMIN_PASSWORD');
  } else {
    process.stdout.write(
      `\n  First run: created administrator "${name}" with password: ${password}\n  (shown once — you will be asked to change it when you sign in)\n\n`,
    );
  }
}
