import { type NumberHolder, type NumberHolderType } from './NumberHolders';

export interface NumberHolderList {
  path: string;
  type: NumberHolderType;
  /** The list item: the spec's summary fields the sandbox knows (no routing settings). */
  item: (holder: NumberHolder) => Record<string, unknown>;
}

const named = (h: NumberHolder) => ({ id: h.id, name: h.name, extension_number: h.extension_number });

/**
 * The spec's list routes for the non-user number holders. Virtual receptionists live at /ivrs (tag
 * "Virtual Receptionist"); conference rooms have no `name` in the spec, only a `subject`.
 */
export const NUMBER_HOLDER_LISTS: readonly NumberHolderList[] = [
  { path: '/api/ring_groups', type: 'RING_GROUP', item: named },
  { path: '/api/call_queues', type: 'CALL_QUEUE', item: named },
  {
    path: '/api/conference_rooms',
    type: 'CONFERENCE_ROOM',
    item: (h) => ({ id: h.id, extension_number: h.extension_number, subject: h.name }),
  },
  { path: '/api/ivrs', type: 'VIRTUAL_RECEPTIONIST', item: named },
];
