/** Names that belong together, written the way each culture writes them in a directory. */
export interface NameCulture {
  weight: number;
  given: readonly string[];
  family: readonly string[];
  /** Family name first in displayName (Chinese, Vietnamese), and the separator between the parts. */
  familyFirst?: boolean;
  joiner?: string;
}

export const NAME_CULTURES: readonly NameCulture[] = [
  {
    weight: 0.55,
    given: [
      'Anna',
      'José',
      'Zoë',
      'Chloé',
      'Søren',
      'Liam',
      'Björn',
      'Łukasz',
      'Olivia',
      'Siobhán',
      'Mateo',
      'Émilie',
      'Jürgen',
      'Noémie',
      'Ana María',
      'Jean-Luc',
    ],
    family: [
      'Müller',
      'García',
      'Østergård',
      'Smith',
      "O'Brien",
      'Kowalski',
      'Dubois',
      'Yılmaz',
      'Papadopoulos',
      'Ivanova',
      'da Silva',
      'van der Berg',
      'Rossi',
      'Hernández',
      'Andersson',
      'Núñez',
      'Smith-Jones',
    ],
  },
  { weight: 0.1, given: ['芳', '伟', '秀英', '娜', '敏', '静'], family: ['王', '李', '张', '刘', '陈'], familyFirst: true, joiner: '' },
  { weight: 0.08, given: ['Văn An', 'Thị Lan', 'Minh Tuấn', 'Thu Hà'], family: ['Nguyễn', 'Trần', 'Lê', 'Phạm'], familyFirst: true },
  {
    weight: 0.12,
    given: ['Aiko', 'Haruto', 'Yūki', 'Sakura', 'Ji-woo', 'Min-jun'],
    family: ['Tanaka', 'Satō', 'Suzuki', 'Kim', 'Park', 'Takahashi'],
  },
  {
    weight: 0.15,
    given: ['Mohammed', 'Fatima', 'Priya', 'Ngozi', 'Oluwaseun', 'Aarav', 'Ömer', 'Leila'],
    family: ['Al-Hashimi', 'Patel', 'Okafor', 'Adeyemi', 'Sharma', 'Haddad', 'Öztürk'],
  },
];

// Mail nicknames for names with no Latin letters, as an admin would type them.
const LATIN: Record<string, string> = {
  芳: 'fang',
  伟: 'wei',
  秀英: 'xiuying',
  娜: 'na',
  敏: 'min',
  静: 'jing',
  王: 'wang',
  李: 'li',
  张: 'zhang',
  刘: 'liu',
  陈: 'chen',
};

/** The ASCII form used in UPNs and mail addresses: diacritics dropped, punctuation and spaces removed. */
export function mailNickname(name: string): string {
  return (
    (LATIN[name] ?? name)
      .replace(/[Łł]/g, 'l')
      .replace(/[Øø]/g, 'o')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase() || 'user'
  );
}
