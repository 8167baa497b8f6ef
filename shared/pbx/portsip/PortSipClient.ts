import { z } from 'zod';
import { AppError } from '../../errors/AppError';
import { TokenBucketRateLimiter } from '../../http/TokenBucketRateLimiter';
import { retryDelay } from '../../http/retryDelay';
import { PbxClient, PbxNewUser, PbxNumberOwner, PbxNumberType, PbxUser, PbxUserFields } from '../PbxClient';
import { PortSipSession } from './PortSipSession';
import { generatePassword, generateVoicemailPin } from './generateCredentials';
import { portSipErrorFor } from './portSipErrorFor';
import { CreatedSchema, ListPageSchema, NumberHolderSchema, NumberOwnerSchema, PasswordPolicy, PasswordPolicySchema, PortSipUser, PortSipUserSchema } from './portSipSchemas';

export interface PortSipClientOptions {
  /** e.g. https://pbx.example.com:8887; the client appends /api. */
  baseUrl: string;
  domain: string;
  username: string;
  password: string;
  role: string;
  rateLimitPerMinute: number;
  maxConcurrency: number;
  maxRetries?: number;
  fetch?: typeof fetch;
}

interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

const PAGE_SIZE = 100; // PortSIP's maximum `top`
const FIELD_NAMES: Record<keyof PbxUserFields, string> = {
  displayName: 'display_name',
  email: 'email',
  mobilePhone: 'mobile_phone',
  workPhone: 'work_phone',
  department: 'department',
  enabled: 'enabled',
};
// Lists of the non-user things that own extension numbers (virtual receptionists are /ivrs in v22).
const NUMBER_HOLDER_LISTS = ['/ring_groups', '/call_queues', '/conference_rooms', '/ivrs'];

const toPbxUser = (u: PortSipUser): PbxUser => ({
  id: u.id,
  userName: u.name,
  extensionNumber: u.extension_number,
  displayName: u.display_name,
  email: u.email,
  mobilePhone: u.mobile_phone,
  workPhone: u.work_phone,
  department: u.department,
  enabled: u.enabled,
});

/** The PortSIP v22 REST adapter of the PbxClient port. */
export class PortSipClient implements PbxClient {
  private readonly apiRoot: string;
  private readonly limiter: TokenBucketRateLimiter;
  private readonly session: PortSipSession;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private requests = 0;
  private policy?: Promise<PasswordPolicy>;

  constructor(private readonly options: PortSipClientOptions) {
    this.apiRoot = `${options.baseUrl.replace(/\/+$/, '')}/api`;
    this.limiter = new TokenBucketRateLimiter(options.rateLimitPerMinute, options.maxConcurrency);
    this.fetchImpl = options.fetch ?? fetch;
    this.maxRetries = options.maxRetries ?? 6;
    this.session = new PortSipSession(options, async (path, body) => {
      const answer = await this.send('POST', path, body, undefined);
      return { status: answer.status, body: answer.body };
    });
  }

  requestCount(): number {
    return this.requests;
  }

  /** One HTTP exchange through the rate limiter, retried on 429 / 5xx / network errors. */
  private async send(method: 'GET' | 'POST', path: string, body: unknown, token: string | undefined): Promise<Answer> {
    for (let attempt = 1; ; attempt += 1) {
      await this.limiter.acquire();
      let answer: Answer | undefined;
      let networkError: unknown;
      try {
        this.requests += 1;
        const response = await this.fetchImpl(`${this.apiRoot}${path}`, {
          method,
          headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        let parsed: unknown = undefined;
        if (text) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        answer = { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') };
      } catch (err) {
        networkError = err;
      } finally {
        this.limiter.release();
      }
      const retryable = networkError !== undefined || answer!.status === 429 || answer!.status >= 500;
      if (!retryable) return answer!;
      if (attempt > this.maxRetries) {
        if (answer) return answer;
        throw new AppError('TRANSIENT', `PortSIP ${method} ${path} failed: ${(networkError as Error)?.message ?? 'network error'}`, { cause: networkError });
      }
      await new Promise((r) => setTimeout(r, retryDelay(attempt, answer?.retryAfter)));
    }
  }

  /** An authenticated call; re-authenticates once on 401. Non-2xx answers become AppErrors. */
  private async call(method: 'GET' | 'POST', path: string, what: string, body?: unknown): Promise<Answer> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.session.token();
      const answer = await this.send(method, path, body, token);
      if (answer.status === 401 && attempt === 0) {
        this.session.invalidate(token);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return answer;
      const retryAfterSeconds = Number(answer.retryAfter);
      throw portSipErrorFor(answer.status, answer.body, what, Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : undefined);
    }
  }

  private parse<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.infer<T> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new AppError('INTERNAL', `unexpected PortSIP answer to ${what}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  private async *pages<T extends z.ZodTypeAny>(path: string, item: T, what: string): AsyncIterable<z.infer<T>[]> {
    for (let skip = 0; ; skip += PAGE_SIZE) {
      const page = this.parse(ListPageSchema(item), (await this.call('GET', `${path}?skip=${skip}&top=${PAGE_SIZE}`, what)).body, what);
      if (page.items.length > 0) yield page.items;
      if (page.items.length < PAGE_SIZE || (page.count !== undefined && skip + page.items.length >= page.count)) return;
    }
  }

  async *listUsers(): AsyncIterable<PbxUser[]> {
    for await (const items of this.pages('/users', PortSipUserSchema, 'listing users')) yield items.map(toPbxUser);
  }

  async listNonUserNumbers(): Promise<string[]> {
    const numbers: string[] = [];
    for (const path of NUMBER_HOLDER_LISTS) {
      try {
        for await (const items of this.pages(path, NumberHolderSchema, `listing ${path}`)) {
          for (const item of items) if (item.extension_number) numbers.push(item.extension_number);
        }
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
      }
    }
    return numbers;
  }

  async findNumberOwner(extensionNumber: string): Promise<PbxNumberOwner | null> {
    try {
      const answer = await this.call('GET', `/extension_numbers/${encodeURIComponent(extensionNumber)}`, `looking up extension ${extensionNumber}`);
      const owner = this.parse(NumberOwnerSchema, answer.body, 'an extension number lookup');
      const known: PbxNumberType[] = ['EXTENSION', 'RING_GROUP', 'CALL_QUEUE', 'CONFERENCE_ROOM', 'VIRTUAL_RECEPTIONIST'];
      return { id: owner.id, extensionNumber: owner.extension_number, name: owner.name, type: known.includes(owner.type as PbxNumberType) ? (owner.type as PbxNumberType) : 'OTHER' };
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  async getUser(id: string): Promise<PbxUser | null> {
    try {
      return toPbxUser(this.parse(PortSipUserSchema, (await this.call('GET', `/users/${encodeURIComponent(id)}`, `reading user ${id}`)).body, 'a user read'));
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  private passwordPolicy(): Promise<PasswordPolicy> {
    this.policy ??= this.call('GET', '/tenant/password_policy', 'reading the password policy')
      .then((a) => this.parse(PasswordPolicySchema, a.body, 'the password policy'))
      .catch((err: unknown) => {
        this.policy = undefined;
        throw err;
      });
    return this.policy;
  }

  async createUser(user: PbxNewUser): Promise<{ id: string }> {
    const policy = await this.passwordPolicy();
    const body = {
      name: user.userName,
      display_name: user.displayName,
      email: user.email,
      role: this.options.role,
      extension_number: user.extensionNumber,
      password: generatePassword(policy, user.userName),
      extension_password: generatePassword(policy, user.userName),
      voicemail_pin: generateVoicemailPin(),
      enabled: user.enabled,
      mobile_phone: user.mobilePhone,
      work_phone: user.workPhone,
      department: user.department,
    };
    const answer = await this.call('POST', '/users', `creating extension ${user.extensionNumber}`, body);
    return this.parse(CreatedSchema, answer.body, 'a user create');
  }

  async updateUser(id: string, changes: Partial<PbxUserFields>): Promise<void> {
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(changes)) body[FIELD_NAMES[key as keyof PbxUserFields]] = value;
    if (Object.keys(body).length === 0) return;
    await this.call('POST', `/users/${encodeURIComponent(id)}`, `updating user ${id}`, body);
  }

  async deleteUser(id: string): Promise<void> {
    try {
      await this.call('POST', `/users/${encodeURIComponent(id)}/destroy`, `deleting user ${id}`);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
    }
  }

  async bindMicrosoft365(id: string, entraObjectId: string): Promise<void> {
    await this.call('POST', `/users/${encodeURIComponent(id)}/ms365_binding`, `binding user ${id} to Microsoft 365`, { id: entraObjectId });
  }
}
