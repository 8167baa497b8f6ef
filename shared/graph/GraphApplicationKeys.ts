import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { AppError } from '../core/errors/AppError';
import { type ApplicationKeyCredential, type ApplicationKeys } from '../credentials/ApplicationKeys';
import { graphErrorFor } from './graphErrorFor';

const AddedKeySchema = z.object({ keyId: z.string().min(1) }).passthrough();
const KeyCredentialsSchema = z.object({
  keyCredentials: z.array(
    z
      .object({
        keyId: z.string().min(1),
        customKeyIdentifier: z.string().nullish(),
        endDateTime: z.string().nullish(),
        type: z.string().nullish(),
      })
      .passthrough(),
  ),
});

/** The app's own keys through Graph (`/applications/{objectId}/addKey`, `/removeKey`), as the app itself. */
export class GraphApplicationKeys implements ApplicationKeys {
  constructor(private readonly client: Client) {}

  async addKey(input: {
    applicationObjectId: string;
    certificateDer: Buffer;
    displayName: string;
    proof: string;
  }): Promise<{ keyId: string }> {
    const what = `registering a certificate on application ${input.applicationObjectId}`;
    const body = {
      keyCredential: {
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        key: input.certificateDer.toString('base64'),
        displayName: input.displayName,
      },
      passwordCredential: null,
      proof: input.proof,
    };
    let answer: unknown;
    try {
      answer = await this.client.api(`/applications/${encodeURIComponent(input.applicationObjectId)}/addKey`).post(body);
    } catch (err) {
      const mapped = graphErrorFor(err, what);
      // ⚠ Graph's exact answer for a certificate the app already has is not documented; a 400 saying so is taken as "already there".
      if (mapped.upstreamStatus === 400 && /\balready\b/i.test(mapped.message)) {
        throw new AppError('CONFLICT', `${what}: the application has this certificate already`, { cause: mapped });
      }
      throw mapped;
    }
    const parsed = AddedKeySchema.safeParse(answer);
    if (!parsed.success) throw new AppError('TRANSIENT', `${what}: Graph answered without the new key's id`);
    return { keyId: parsed.data.keyId };
  }

  async removeKey(input: { applicationObjectId: string; keyId: string; proof: string }): Promise<void> {
    const what = `removing key ${input.keyId} from application ${input.applicationObjectId}`;
    try {
      await this.client
        .api(`/applications/${encodeURIComponent(input.applicationObjectId)}/removeKey`)
        .post({ keyId: input.keyId, proof: input.proof });
    } catch (err) {
      throw graphErrorFor(err, what);
    }
  }

  async listKeyCredentials(applicationObjectId: string): Promise<ApplicationKeyCredential[]> {
    const what = `reading the certificates of application ${applicationObjectId}`;
    let answer: unknown;
    try {
      answer = await this.client
        .api(`/applications/${encodeURIComponent(applicationObjectId)}`)
        .select('keyCredentials')
        .get();
    } catch (err) {
      throw graphErrorFor(err, what);
    }
    const parsed = KeyCredentialsSchema.safeParse(answer);
    if (!parsed.success) throw new AppError('TRANSIENT', `${what}: Graph answered an unexpected shape`);
    return parsed.data.keyCredentials.map((k) => ({
      keyId: k.keyId,
      customKeyIdentifier: k.customKeyIdentifier ?? undefined,
      endDateTime: k.endDateTime ?? undefined,
      type: k.type ?? undefined,
    }));
  }
}
