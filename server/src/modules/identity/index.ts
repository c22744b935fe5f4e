import type { EncryptedColumns } from '../../core/crypto/rotation.js';
export { createAuthService, totpFor, type AuthService } from './auth.service.js';
export { createUsersService, type UsersService, type NewUser } from './users.service.js';
export { createAccessService, type AccessService } from './access.service.js';
export { createAuthenticator, SESSION_COOKIE } from './authenticator.js';
export { identityRoutes } from './identity.routes.js';
export { identityMigrations } from './migrations/index.js';
export { DEFAULT_POLICY, type IdentityPolicy } from './policy.js';
/** Field-encrypted columns of this module, for `courtyard keys rotate-field`. */
export const identityEncryptedColumns: EncryptedColumns[] = [{ table: 'users', key: 'id', columns: ['phone_enc', 'mfa_secret_enc', 'mfa_pending_secret_enc'] }];
