import { type SandboxGroup, type SandboxUser } from './SandboxUser';

const id = (n: number) => `d0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const DEMO_GROUP_IDS = {
  sales: 'd6000000-0000-4000-8000-000000000001',
  support: 'd6000000-0000-4000-8000-000000000002',
  engineering: 'd6000000-0000-4000-8000-000000000003',
};

const people: [string, string, string, string][] = [
  ['Adele', 'Vance', 'Sales', 'Sales Manager'],
  ['Alex', 'Wilber', 'Sales', 'Account Executive'],
  ['Diego', 'Siciliani', 'Sales', 'Account Executive'],
  ['Grady', 'Archie', 'Engineering', 'Engineering Lead'],
  ['Henrietta', 'Mueller', 'Engineering', 'Developer'],
  ['Isaiah', 'Langer', 'Engineering', 'Developer'],
  ['Johanna', 'Lorenz', 'Support', 'Support Lead'],
  ['Joni', 'Sherman', 'Support', 'Support Agent'],
  ['Lee', 'Gu', 'Support', 'Support Agent'],
  ['Lidia', 'Holloway', 'Finance', 'Controller'],
  ['Lynne', 'Robbins', 'Marketing', 'Marketing Manager'],
  ['Megan', 'Bowen', 'Marketing', 'Designer'],
  ['Miriam', 'Graham', 'HR', 'HR Manager'],
  ['Nestor', 'Wilke', 'Operations', 'Office Manager'],
  ['Patti', 'Fernandez', 'Executive', 'CEO'],
  ['Pradeep', 'Gupta', 'Finance', 'Accountant'],
  ['Zoë', 'Østergård', 'Engineering', 'Developer'],
  ['José', 'Núñez', 'Sales', 'Account Executive'],
  ['Chen', 'Wei', 'Support', 'Support Agent'],
  ['Sofia', 'Marino', 'Operations', 'Receptionist'],
  ['Tomás', 'Ó Briain', 'Support', 'Support Agent'],
];

/** "Contoso Demo": a small, realistic tenant for `npm start`, with a guest, a disabled user and a nameless room. */
export function demoCompany(): { users: SandboxUser[]; groups: SandboxGroup[] } {
  const users: SandboxUser[] = people.map(([given, family, department, jobTitle], i) => {
    const local = `${given}.${family}`
      .normalize('NFKD')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase();
    return {
      id: id(i + 1),
      givenName: given,
      surname: family,
      displayName: `${given} ${family}`,
      userPrincipalName: `${local}@contoso-demo.com`,
      mail: `${local}@contoso-demo.com`,
      businessPhones: [`+1 425 555 01${String(i + 10)}`],
      mobilePhone: i % 3 === 0 ? `+1 206 555 02${String(i + 10)}` : null,
      department,
      jobTitle,
      accountEnabled: true,
      userType: 'Member',
    };
  });
  users.push(
    {
      id: id(90),
      givenName: 'Gina',
      surname: 'Guest',
      displayName: 'Gina Guest (Fabrikam)',
      userPrincipalName: 'gina_fabrikam.com#EXT#@contosodemo.onmicrosoft.com',
      mail: 'gina@fabrikam.com',
      businessPhones: [],
      accountEnabled: true,
      userType: 'Guest',
    },
    {
      id: id(91),
      givenName: 'Former',
      surname: 'Employee',
      displayName: 'Former Employee',
      userPrincipalName: 'former.employee@contoso-demo.com',
      mail: 'former.employee@contoso-demo.com',
      businessPhones: [],
      accountEnabled: false,
      userType: 'Member',
    },
    {
      id: id(92),
      givenName: null,
      surname: null,
      displayName: 'Board Room',
      userPrincipalName: 'boardroom@contoso-demo.com',
      mail: 'boardroom@contoso-demo.com',
      businessPhones: [],
      accountEnabled: true,
      userType: 'Member',
    },
  );
  const members = (dept: string) => users.filter((u) => u.department === dept).map((u) => u.id);
  return {
    users,
    groups: [
      { id: DEMO_GROUP_IDS.sales, displayName: 'Sales', memberIds: members('Sales') },
      { id: DEMO_GROUP_IDS.support, displayName: 'Support', memberIds: members('Support') },
      { id: DEMO_GROUP_IDS.engineering, displayName: 'Engineering', memberIds: members('Engineering') },
    ],
  };
}
