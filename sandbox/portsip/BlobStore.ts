import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { MAX_BLOB_BYTES } from './readJsonBody';
import { notFound, PbxError, validationFailed } from './PbxError';
import { type ResourceIds } from './ResourceIds';

/** A completed upload: what `avatar_file_id` points at. */
export interface BlobFile {
  readonly id: string;
  readonly fileName: string;
  readonly size: number;
  /** Lower-case sha256 hex of the bytes. */
  readonly digest: string;
  readonly temporary: boolean;
}

interface Upload {
  readonly id: string;
  readonly token: string;
  readonly fileName: string;
  readonly temporary: boolean;
  readonly chunks: Buffer[];
  size: number;
}

// "A digest is a serialized hash result, consisting of an algorithm and hex portion" (the spec): sha256:<hex>.
// ⚠ Whether PortSIP also takes the bare hex is not said; the sandbox accepts both.
const DIGEST = /^(?:sha256:)?([0-9a-fA-F]{64})$/;

/** The hex part of a digest as a client writes it, or undefined when it is not a sha256 digest. */
export function digestHex(digest: string): string | undefined {
  return DIGEST.exec(digest)?.[1]?.toLowerCase();
}

/**
 * PortSIP's resumable uploads (`/api/blobs/uploads…`, reference/portsip.md §2): start, append chunks with the
 * upload token, complete with the sha256 digest of everything sent; the bytes are then kept by digest and
 * downloadable without a token. An upload larger than MAX_BLOB_BYTES is refused (413).
 */
export class BlobStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly files = new Map<string, BlobFile>();
  private readonly bytesByDigest = new Map<string, Buffer>();

  constructor(private readonly ids: ResourceIds) {}

  start(fileName: string, temporary: boolean): { id: string; token: string } {
    const upload: Upload = { id: randomUUID(), token: randomBytes(24).toString('base64url'), fileName, temporary, chunks: [], size: 0 };
    this.uploads.set(upload.id, upload);
    return { id: upload.id, token: upload.token };
  }

  append(uploadId: string, token: string | undefined, bytes: Buffer): { size: number } {
    const upload = this.upload(uploadId, token);
    if (upload.size + bytes.length > MAX_BLOB_BYTES)
      throw new PbxError(413, 'VALIDATE_FAILED', `The upload would exceed ${MAX_BLOB_BYTES} bytes`, { field: 'body' });
    upload.chunks.push(bytes);
    upload.size += bytes.length;
    return { size: upload.size };
  }

  /** Ends the upload (with optional final bytes) once its digest matches; the new file's id. */
  complete(uploadId: string, token: string | undefined, digest: string | null, finalBytes: Buffer): string {
    const upload = this.upload(uploadId, token);
    const wanted = digest === null ? undefined : digestHex(digest);
    if (wanted === undefined) throw validationFailed('digest', 'must be the sha256 digest of the content (sha256:<hex>)');
    if (finalBytes.length > 0) this.append(uploadId, token, finalBytes);
    const bytes = Buffer.concat(upload.chunks);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== wanted) throw validationFailed('digest', 'does not match the uploaded content');
    this.uploads.delete(uploadId);
    const file: BlobFile = {
      id: this.ids.next(),
      fileName: upload.fileName,
      size: bytes.length,
      digest: actual,
      temporary: upload.temporary,
    };
    this.files.set(file.id, file);
    this.bytesByDigest.set(actual, bytes);
    return file.id;
  }

  destroyUpload(uploadId: string, token: string | undefined): void {
    this.upload(uploadId, token);
    this.uploads.delete(uploadId);
  }

  file(fileId: string): BlobFile | undefined {
    return this.files.get(fileId);
  }

  bytes(digest: string): Buffer | undefined {
    const hex = digestHex(digest);
    return hex === undefined ? undefined : this.bytesByDigest.get(hex);
  }

  private upload(uploadId: string, token: string | undefined): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw notFound(`The upload ${uploadId} does not exist`);
    // ⚠ PortSIP's answer to a wrong upload token is undocumented (4XX); 403 here.
    if (token !== upload.token) throw new PbxError(403, 'FORBIDDEN', 'The PortSIP-Upload-Token header does not match this upload');
    return upload;
  }
}
