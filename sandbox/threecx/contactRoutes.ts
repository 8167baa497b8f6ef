import { contactBody, parseBody } from './bodies';
import { CONTACT_TEXT_FIELDS, newContact } from './contactFields';
import { CONTACT_PROPERTIES } from './entityProperties';
import { contextUrl, type EntitySetShape, listAnswer, parseKey, parseListQuery, parseSelect, project } from './odataQuery';
import { type PbxDirectory, type SimContact } from './PbxDirectory';
import { type XapiContext, type XapiRoute } from './XapiRoute';
import { badRequest, notFound } from './XapiError';

/** 100 per page on Contacts (live on 20.0.9.995). */
export const CONTACTS: EntitySetShape = { name: 'Contacts', typeName: 'Pbx.Contact', properties: CONTACT_PROPERTIES, maxTop: 100 };

function findContact(directory: PbxDirectory, rawKey: string | undefined): SimContact {
  const key = parseKey(rawKey ?? '');
  if (!('id' in key)) throw badRequest('Contacts have no alternate key; use Contacts(Id).');
  const contact = directory.contacts.get(key.id);
  if (!contact) throw notFound('Contact');
  return contact;
}

/**
 * The company phonebook. ⚠ Whether a POST lands in the company book or the API client's department book is
 * unverified; the sandbox has one book.
 */
export function contactRoutes({ baseUrl, directory }: XapiContext): XapiRoute[] {
  return [
    {
      method: 'GET',
      pattern: /^\/Contacts$/,
      name: 'GET /Contacts',
      handle: ({ query }) => {
        const rows = [...directory.contacts.values()].map((c) => ({ ...c }));
        return { status: 200, body: listAnswer(baseUrl, CONTACTS, rows, parseListQuery(query, CONTACTS)) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/Contacts$/,
      name: 'POST /Contacts',
      write: true,
      handle: (request) => {
        const contact = newContact(directory.newContactId(), parseBody(contactBody, request.body(), CONTACT_PROPERTIES, 'Pbx.Contact'));
        directory.contacts.set(contact.Id, contact);
        return {
          status: 201,
          body: { '@odata.context': contextUrl(baseUrl, 'Contacts', undefined, true), ...contact },
          headers: { location: `${baseUrl}/xapi/v1/Contacts(${contact.Id})` },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/Contacts\(([^/]+)\)$/,
      name: 'GET /Contacts({key})',
      handle: ({ key, query }) => {
        const select = parseSelect(query.get('$select'), CONTACTS);
        const contact = findContact(directory, key);
        return {
          status: 200,
          body: { '@odata.context': contextUrl(baseUrl, 'Contacts', select, true), ...project({ ...contact }, select) },
        };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/Contacts\(([^/]+)\)$/,
      name: 'PATCH /Contacts({key})',
      write: true,
      handle: (request) => {
        const contact = findContact(directory, request.key);
        const body = parseBody(contactBody, request.body(), CONTACT_PROPERTIES, 'Pbx.Contact');
        for (const field of CONTACT_TEXT_FIELDS) if (body[field] !== undefined) contact[field] = body[field] ?? '';
        if (body.ContactType) contact.ContactType = body.ContactType;
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/Contacts\(([^/]+)\)$/,
      name: 'DELETE /Contacts({key})',
      write: true,
      handle: ({ key }) => {
        directory.contacts.delete(findContact(directory, key).Id);
        return { status: 204 };
      },
    },
  ];
}
