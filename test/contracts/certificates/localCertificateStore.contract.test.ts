import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { LocalCertificateStore } from '../../../shared/platform/certificates/LocalCertificateStore';
import { certificateStoreContract } from './certificateStoreContract';

describe('CertificateStore contract: LocalCertificateStore', () => {
  certificateStoreContract(async () => {
    const folder = join(tmpdir(), `certificate-store-contract-${randomBytes(6).toString('hex')}`);
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    return {
      store: new LocalCertificateStore(join(folder, 'certificates.json'), { now }),
      now,
      advance: (ms) => {
        offsetMs += ms;
      },
      close: async () => rmSync(folder, { recursive: true, force: true }),
    };
  });
});

describe('LocalCertificateStore: its file', () => {
  const fileIn = () => join(mkdtempSync(join(tmpdir(), 'local-certificates-')), '.local', 'certificates.json');

  it('is written 0600 with each version, and nothing but the file is left in its folder', async () => {
    const file = fileIn();
    const store = new LocalCertificateStore(file, { now: () => new Date('2026-12-01T10:00:00.400Z') });
    const created = await store.createCertificate('graph', {
      subject: 'CN=file',
      validityMonths: 12,
      renewAtPercentOfLife: 80,
      keySize: 2048,
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(file))).toEqual(['certificates.json']);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      certificates: Record<string, { versions: { version: string; notBefore: string }[] }>;
    };
    expect(stored.certificates.graph?.versions.map((v) => [v.version, v.notBefore])).toEqual([
      [created.version, '2026-12-01T10:00:00.000Z'],
    ]);
  });

  it('refuses a broken or foreign file with CONFIG, quoting none of it', async () => {
    const file = fileIn();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{"certificates": {"graph": "-----BEGIN PRIVATE KEY----- hunter2"');
    const broken = await new LocalCertificateStore(file).listVersions('graph').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(AppError);
    expect((broken as AppError).code).toBe('CONFIG');
    expect((broken as AppError).message).not.toContain('hunter2');
    writeFileSync(file, '{"certificates": {"graph": {"policy": {}, "versions": ["hunter2"]}}}');
    const foreign = await new LocalCertificateStore(file).listVersions('graph').catch((e: unknown) => e);
    expect((foreign as AppError).code).toBe('CONFIG');
    expect((foreign as AppError).message).not.toContain('hunter2');
  });
});
