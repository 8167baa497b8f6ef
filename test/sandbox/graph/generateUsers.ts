import { SandboxUser } from './SandboxUser';
import { seededGuid, seededRandom } from './seededRandom';

const GIVEN = ['Anna', 'José', 'Zoë', 'Mohammed', 'Chloé', 'Søren', 'Aiko', 'Liam', 'Fatima', 'Björn', 'Priya', 'Łukasz', 'Olivia', 'Nguyễn Văn', '芳', 'Ömer', 'Siobhán', 'Mateo', 'Ngozi', 'Émilie'];
const FAMILY = ['Müller', 'García', 'Østergård', 'Smith', 'O\'Brien', 'Kowalski', 'Tanaka', 'Dubois', 'Nguyen', '王', 'Yılmaz', 'Papadopoulos', 'Ivanova', 'da Silva', 'Van der Berg', 'Okafor', 'Kim', 'Rossi', 'Hernández', 'Andersson'];
const DEPARTMENTS = ['Sales', 'Support', 'Engineering', 'Finance', 'HR', 'Marketing', 'Operations', null];
const TITLES = ['Manager', 'Engineer', 'Agent', 'Director', 'Analyst', 'Intern', null];

const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'user';

/**
 * A deterministic, deliberately messy tenant: unicode names, ~5% guests, ~5% disabled, ~2% without any
 * name, ~2% sharing an email, ~10% without mail, phone numbers in many formats, ~30% with a unique
 * four-digit extension in extensionAttribute1 (five digits once the 9,000 four-digit numbers run out).
 */
export function generateUsers(count: number, options: { seed?: number; domain?: string } = {}): SandboxUser[] {
  const random = seededRandom(options.seed ?? 1);
  const domain = options.domain ?? 'contoso.com';
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const users: SandboxUser[] = [];
  const nextExtension = extensionNumbers(random);
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    const given = pick(GIVEN);
    const family = pick(FAMILY);
    const local = `${ascii(given)}.${ascii(family)}${i}`;
    const user: SandboxUser = {
      id: seededGuid(random),
      givenName: given,
      surname: family,
      displayName: `${given} ${family}`,
      userPrincipalName: `${local}@${domain}`,
      mail: `${local}@${domain}`,
      businessPhones: [],
      accountEnabled: true,
      userType: 'Member',
      department: pick(DEPARTMENTS),
      jobTitle: pick(TITLES),
    };
    const phone = random();
    if (phone < 0.3) user.businessPhones = [`+1 425 555 ${String(1000 + i).slice(-4)}`];
    else if (phone < 0.5) user.businessPhones = [`(425) 555-${String(2000 + i).slice(-4)}`];
    else if (phone < 0.6) user.businessPhones = [`+49 30 1234${i}`];
    if (random() < 0.4) user.mobilePhone = `+1 206 55${String(10000 + i).slice(-5)}`;
    if (random() < 0.3) user.onPremisesExtensionAttributes = { extensionAttribute1: nextExtension() };
    if (random() < 0.2) user.employeeId = `E${100000 + i}`;
    if (roll < 0.05) {
      user.userType = 'Guest';
      const external = `${local}@gmail.com`;
      user.userPrincipalName = `${external.replace('@', '_')}#EXT#@${domain}`;
      user.mail = random() < 0.8 ? external : null;
    } else if (roll < 0.10) {
      user.accountEnabled = false;
    } else if (roll < 0.12) {
      user.givenName = null;
      user.surname = null;
      user.displayName = `Room ${i}`;
    } else if (roll < 0.14 && users.length > 0) {
      user.mail = users[Math.floor(random() * users.length)]!.mail ?? user.mail;
    } else if (roll < 0.24) {
      user.mail = null;
    }
    users.push(user);
  }
  return users;
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
