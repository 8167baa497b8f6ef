import { type PortSipApi } from './PortSipApi';
import { type PasswordPolicy, PasswordPolicySchema } from './portSipSchemas';

/** The tenant password policy (`GET /api/tenant/password_policy`), read once per connection; a failed read is tried again next time. */
export class PortSipPasswordPolicy {
  private policy: Promise<PasswordPolicy> | undefined;

  constructor(private readonly api: PortSipApi) {}

  read(): Promise<PasswordPolicy> {
    this.policy ??= this.api
      .read(PasswordPolicySchema, 'GET', '/tenant/password_policy', { what: 'reading the tenant password policy' })
      .catch((err: unknown) => {
        this.policy = undefined;
        throw err;
      });
    return this.policy;
  }
}
