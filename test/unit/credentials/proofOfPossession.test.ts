import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROOF_AUDIENCE, signProofOfPossession } from '../../../shared/credentials/proofOfPossession';
import { type SelfSignedCertificate, createSelfSignedCertificate } from '../../../shared/platform/certificates/selfSignedCertificate';

let cert: SelfSignedCertificate;
beforeAll(async () => {
  cert = await createSelfSignedCertificate({ subject: 'CN=proof', notBefore: new Date('2027-01-01Z'), notAfter: new Date('2028-01-01Z') });
});

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('signProofOfPossession', () => {
  it('signs RS256 with the certificate key, names the certificate in x5t, and carries the claims Graph checks', () => {
    const now = new Date('2027-03-01T12:00:00Z');
    const token = signProofOfPossession({ privateKeyPem: cert.privateKeyPem, certificateDer: cert.der, applicationObjectId: 'obj-1', now });
    const [header, claims, signature] = token.split('.');
    expect(decode(header!)).toEqual({ alg: 'RS256', typ: 'JWT', x5t: createHash('sha1').update(cert.der).digest('base64url') });
    const body = decode(claims!);
    expect(body).toMatchObject({ aud: PROOF_AUDIENCE, iss: 'obj-1' });
    const issued = now.getTime() / 1000;
    expect(body.nbf).toBe(issued - 60);
    expect((body.exp as number) - (body.nbf as number)).toBeLessThanOrEqual(600);
    expect(body.exp as number).toBeGreaterThan(issued);
    const key = createPublicKey(new X509Certificate(cert.der).publicKey.export({ type: 'spki', format: 'pem' }));
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), key, Buffer.from(signature!, 'base64url'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${header}.${claims}x`), key, Buffer.from(signature!, 'base64url'))).toBe(false);
  });
});
