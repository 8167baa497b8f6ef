import { type BlobStore } from './BlobStore';
import { notFound } from './PbxError';
import { type Route, type RouteRequest } from './Route';

const uploadToken = ({ headers }: RouteRequest) => {
  const value = headers['portsip-upload-token'];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * /api/blobs (reference/portsip.md §2): start an upload (202 with `PortSIP-Upload-ID` and `PortSIP-Upload-Token`),
 * append octet-stream chunks (203), complete with the sha256 digest (201 {id}: the file id), drop an upload,
 * and download by digest without a token. Any signed-in caller may upload (users their avatar, admins the logo).
 */
export function blobRoutes(blobs: BlobStore): Route[] {
  const uploadHeaders = (id: string, token: string, size: number): Record<string, string> => ({
    'portsip-upload-id': id,
    'portsip-upload-token': token,
    range: `0-${Math.max(0, size - 1)}`,
  });
  return [
    {
      method: 'POST',
      path: '/api/blobs/uploads',
      access: 'any',
      write: 'blobs',
      handle: ({ query }) => {
        const started = blobs.start(query.get('filename') || 'file', query.get('temporary') === 'true');
        return { status: 202, headers: uploadHeaders(started.id, started.token, 0) };
      },
    },
    {
      method: 'POST',
      path: '/api/blobs/uploads/{id}/append',
      access: 'any',
      write: 'blobs',
      rawBody: true,
      handle: (request) => {
        const token = uploadToken(request);
        const { size } = blobs.append(request.params[0]!, token, request.bytes);
        return { status: 203, headers: uploadHeaders(request.params[0]!, token!, size) };
      },
    },
    {
      method: 'POST',
      path: '/api/blobs/uploads/{id}/complete',
      access: 'any',
      write: 'blobs',
      rawBody: true,
      handle: (request) => {
        const id = blobs.complete(request.params[0]!, uploadToken(request), request.query.get('digest'), request.bytes);
        return { status: 201, body: { id } };
      },
    },
    {
      method: 'POST',
      path: '/api/blobs/uploads/{id}/destroy',
      access: 'any',
      handle: (request) => {
        blobs.destroyUpload(request.params[0]!, uploadToken(request));
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/api/blobs/{digest}',
      public: true,
      handle: ({ params }) => {
        const bytes = blobs.bytes(params[0]!);
        if (!bytes) throw notFound(`No file has the digest ${params[0]}`);
        return { status: 200, body: bytes, headers: { 'content-disposition': 'attachment; filename="blob"' } };
      },
    },
  ];
}
