import { type SandboxUser } from './SandboxUser';
import { seededGuid, seededRandom } from './seededRandom';
import { mailNickname, NAME_CULTURES, type NameCulture } from './userNames';

const DEPARTMENTS = ['Sales', 'Support', 'Engineering', 'Finance', 'HR', 'Marketing', 'Operations', 'Vertrieb', null];
const TITLES = ['Manager', 'Engineer', 'Support Agent', 'Director', 'Analyst', 'Intern', 'Account Executive', 'Développeur', null];
const GUEST_DOMAINS = ['gmail.com', 'gmail.com', 'outlook.com', 'fabrikam.com', 'partner.co.uk'];

/** The phone formats seen in real directories, by cumulative share; the rest of users have none. */
const PHONE_FORMATS: [number, (n: string) => string][] = [
  [0.25, (n) => `+1 425 555 ${n}`],
  [0.4, (n) => `(425) 555-${n}`],
  [0.48, (n) => `+49 30 1234${n}`],
  [0.53, (n) => `425.555.${n}`],
  [0.58, (n) => `+44 20 7946 ${n}`],
  [0.6, (n) => `+1 425-555-0100 ext. ${n.slice(-3)}`],
];

/**
 * A deterministic, deliberately messy tenant: unicode names, ~5% guests (external mail for most), ~5%
 * disabled, ~2% without any name, ~2% sharing an email with another user (half of them in other letter
 * case), ~10% without mail, phone numbers in many formats (~40% none), ~30% with a unique extension in
 * extensionAttribute1 (four digits; five once the 9,000 four-digit numbers run out) and ~20% employeeId.
 */
export function generateUsers(count: number, options: { seed?: number; domain?: string } = {}): SandboxUser[] {
  const random = seededRandom(options.seed ?? 1);
  const domain = options.domain ?? 'contoso.com';
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const nextExtension = extensionNumbers(random);
  const users: SandboxUser[] = [];
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    const culture = pickCulture(random());
    const given = pick(culture.given);
    const family = pick(culture.family);
    const local = `${mailNickname(given)}.${mailNickname(family)}${i}`;
    const user: SandboxUser = {
      id: seededGuid(random),
      givenName: given,
      surname: family,
      displayName: culture.familyFirst ? `${family}${culture.joiner ?? ' '}${given}` : `${given} ${family}`,
      userPrincipalName: `${local}@${domain}`,
      mail: `${local}@${domain}`,
      businessPhones: [],
      accountEnabled: true,
      userType: 'Member',
      department: pick(DEPARTMENTS),
      jobTitle: pick(TITLES),
    };
    const digits = String(1000 + (i % 9000));
    const phone = random();
    const format = PHONE_FORMATS.find(([share]) => phone < share);
    if (format) user.businessPhones = [format[1](digits)];
    if (random() < 0.4) user.mobilePhone = random() < 0.5 ? `+1 206 555 ${digits}` : `206-555-${digits}`;
    if (random() < 0.3) user.onPremisesExtensionAttributes = { extensionAttribute1: nextExtension() };
    if (random() < 0.2) user.employeeId = `E${100000 + i}`;
    if (roll < 0.05) {
      user.userType = 'Guest';
      const external = `${local}@${pick(GUEST_DOMAINS)}`;
      user.userPrincipalName = `${external.replace('@', '_')}#EXT#@${domain}`;
      user.mail = random() < 0.8 ? external : null;
    } else if (roll < 0.1) {
      user.accountEnabled = false;
    } else if (roll < 0.12) {
      user.givenName = null;
      user.surname = null;
      user.displayName = `Room ${i}`;
    } else if (roll < 0.14 && i > 0) {
      const other = users[Math.floor(random() * i)]!.mail;
      if (other) user.mail = random() < 0.5 ? other : other.toUpperCase();
    } else if (roll < 0.24) {
      user.mail = null;
    }
    users.push(user);
  }
  return users;
}

function pickCulture(roll: number): NameCulture {
  let sum = 0;
  for (const culture of NAME_CULTURES) {
    sum += culture.weight;
    if (roll < sum) return culture;
  }
  return NAME_CULTURES[0]!;
}

/** Unique extension numbers in shuffled order: all of 1000-9999 first, then 10000-99999. */
function extensionNumbers(random: () => number): () => string {
  let pool: number[] = [];
  let digits = 3;
  return () => {
    if (pool.length === 0) {
      digits += 1;
      const low = 10 ** (digits - 1);
      pool = Array.from({ length: 9 * low }, (_, i) => low + i);
      for (let i = pool.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      }
    }
    return String(pool.pop());
  };
}
