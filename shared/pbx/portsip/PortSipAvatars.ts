import { createHash } from 'node:crypto';
import { type PbxAccount } from '../ports/PbxAccount';
import { type AvatarImage, type PbxAvatars } from '../ports/PbxAvatars';
import { parsePortSipBody } from './parsePortSipBody';
import { CreatedSchema, UploadStartedSchema } from './portSipSchemas';
import { type PortSipUserSessions } from './PortSipUserSessions';

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

/**
 * The PortSIP v22 adapter of the PbxAvatars port. Only the user sets their picture (`POST /api/user
 * {avatar_file_id}`; the admin's user API lost the field in v22.0), so it works as the user: upload the bytes
 * as a blob (start, one append, complete with the sha256 digest), then point the user's profile at the file.
 * ⚠ Whether the file may be a temporary upload is undocumented: it is uploaded as permanent. ⚠ Removing the
 * picture by sending null is unverified.
 */
export class PortSipAvatars implements PbxAvatars {
  constructor(private readonly sessions: PortSipUserSessions) {}

  async setAvatar(owner: PbxAccount, image: AvatarImage): Promise<void> {
    const api = this.sessions.apiFor(owner);
    const what = `uploading the picture of user ${owner.userName}`;
    const fileName = `avatar.${EXTENSIONS[image.contentType.toLowerCase()] ?? 'img'}`;
    const started = await api.callWithBytes('POST', `/blobs/uploads?filename=${encodeURIComponent(fileName)}&temporary=false`, { what });
    const upload = parsePortSipBody(UploadStartedSchema, started.headers, 'POST /api/blobs/uploads (headers)');
    const uploadId = encodeURIComponent(upload['portsip-upload-id']);
    const token = upload['portsip-upload-token'];
    const call = { what, headers: { 'portsip-upload-token': token }, secrets: [token] };
    await api.callWithBytes('POST', `/blobs/uploads/${uploadId}/append`, { ...call, bytes: image.bytes });
    // "A digest … consisting of an algorithm and hex portion" (the spec): sha256:<hex> (⚠ the form PortSIP expects is unconfirmed).
    const digest = `sha256:${createHash('sha256').update(image.bytes).digest('hex')}`;
    const completed = await api.callWithBytes('POST', `/blobs/uploads/${uploadId}/complete?digest=${encodeURIComponent(digest)}`, call);
    const file = parsePortSipBody(CreatedSchema, completed.body, 'POST /api/blobs/uploads/{id}/complete');
    await api.call('POST', '/user', { what: `setting the picture of user ${owner.userName}`, body: { avatar_file_id: file.id } });
  }

  async removeAvatar(owner: PbxAccount): Promise<void> {
    await this.sessions
      .apiFor(owner)
      .call('POST', '/user', { what: `removing the picture of user ${owner.userName}`, body: { avatar_file_id: null } });
  }
}
