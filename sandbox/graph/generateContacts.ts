import { type SandboxContactFields } from './SandboxContact';
import { seededRandom } from './seededRandom';
import { mailNickname, NAME_CULTURES } from './userNames';

const COMPANIES = ['Fabrikam', 'Northwind Traders', 'Adventure Works', 'Tailspin Toys', 'Wingtip', 'Müller & Söhne GmbH', null];
const CITIES = ['Seattle', 'Berlin', 'Paris', 'London', 'München', null];

/**
 * A deterministic maker of contact fields for bulk seeding: `fieldsAt(i)` is the i-th contact of the seed,
 * the same whenever it is asked (the sandbox makes a seeded contact's fields again on each read instead of
 * keeping them). ~30% have no mobile, ~10% no email, some no name at all (a phonebook must cope).
 */
export function contactFieldsFor(seed: number): (i: number) => SandboxContactFields {
  // Nicknames once per name, not per contact: normalising unicode is the slow part of a 100,000-contact seed.
  const names = NAME_CULTURES.flatMap((c) =>
    c.given.map((g, k) => {
      const family = c.family[k % c.family.length]!;
      return { given: g, family, full: `${g} ${family}`, nickname: `${mailNickname(g)}.${mailNickname(family)}` };
    }),
  );
  return (i) => {
    const random = seededRandom(Math.imul(seed, 0x9e3779b1) ^ i);
    const { given, family, full, nickname } = names[Math.floor(random() * names.length)]!;
    const roll = random();
    const company = COMPANIES[Math.floor(random() * COMPANIES.length)]!;
    const number = String(1000 + (i % 9000));
    const address = `${nickname}${i}@${company ? 'partner.example' : 'mail.example'}`;
    const fields: SandboxContactFields = {
      givenName: roll < 0.02 ? null : given,
      surname: roll < 0.02 ? null : family,
      displayName: roll < 0.02 ? null : full,
      companyName: company,
      emailAddresses: roll < 0.1 ? [] : [{ name: full, address }],
      businessPhones: roll < 0.5 ? [`+1 425 555 ${number}`] : [],
      mobilePhone: roll < 0.7 ? `+49 171 555${number}` : null,
      homePhones: [],
    };
    const city = CITIES[i % CITIES.length]!;
    if (city) fields.businessAddress = { street: `${(i % 200) + 1} Main St`, city, postalCode: String(10000 + (i % 89999)) };
    return fields;
  };
}
