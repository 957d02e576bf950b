import { baseUsername, candidateAddress, UsernameError, type NameParts } from '../../lambdas/engine/username';

function errorOf(p: NameParts): UsernameError {
  try {
    baseUsername(p);
  } catch (err) {
    if (err instanceof UsernameError) return err;
    throw err;
  }
  throw new Error(`expected a UsernameError for ${JSON.stringify(p)}`);
}

describe('baseUsername', () => {
  it.each<[string, NameParts, string]>([
    ['plain ASCII', { firstName: 'Ada', lastName: 'Lovelace' }, 'alovelace'],
    ['umlauts spelled out', { firstName: 'Jürgen', lastName: 'Müller' }, 'jmueller'],
    ['capital umlauts', { firstName: 'Öle', lastName: 'ÄÖÜ' }, 'oaeoeue'],
    ['ß', { firstName: 'Hans', lastName: 'Straße' }, 'hstrasse'],
    ['accents through NFD', { firstName: 'José', lastName: 'Núñez' }, 'jnunez'],
    ['a name sent decomposed (NFD) is read the same', { firstName: 'Jürgen', lastName: 'Mu\u0308ller' }, 'jmueller'],
    ['French accents and œ', { firstName: 'Élodie', lastName: 'Cœur-Lévêque' }, 'ecoeurleveque'],
    ['Danish ø', { firstName: 'Søren', lastName: 'Kierkegaard' }, 'skierkegaard'],
    ['ø in the first letter', { firstName: 'Ørjan', lastName: 'Ødegård' }, 'oodegard'],
    ['Swedish å and ö', { firstName: 'Åsa', lastName: 'Öberg' }, 'aoeberg'],
    ['æ', { firstName: 'Ægir', lastName: 'Ærø' }, 'aaero'],
    ['Icelandic þ and ð', { firstName: 'Þóra', lastName: 'Guðmundsdóttir' }, 'tgudmundsdottir'],
    ['Polish ł', { firstName: 'Łukasz', lastName: 'Wałęsa' }, 'lwalesa'],
    ['Croatian đ', { firstName: 'Đorđe', lastName: 'Đurić' }, 'dduric'],
    ['Turkish ı, ş, ğ', { firstName: 'Ayşe', lastName: 'Yıldız Doğan' }, 'ayildizdogan'],
    ['Turkish İ', { firstName: 'İpek', lastName: 'Şahin' }, 'isahin'],
    ['one letter of a spelled-out first letter (Ü → ue → u)', { firstName: 'Ümit', lastName: 'Yıldız' }, 'uyildiz'],
    ['apostrophes and hyphens dropped', { firstName: 'Jean-Luc', lastName: "O'Neil-Smith" }, 'joneilsmith'],
    ['a typographic apostrophe', { firstName: 'Seán', lastName: 'O’Brien' }, 'sobrien'],
    ['spaces in a last name', { firstName: 'Anna', lastName: 'van der Berg' }, 'avanderberg'],
    ['upper case', { firstName: 'MARIE', lastName: 'CURIE' }, 'mcurie'],
    ['digits dropped', { firstName: 'John', lastName: 'Smith 3rd' }, 'jsmithrd'],
    ['a last name wins over the personal email', { firstName: 'Ada', lastName: 'Lovelace', personalEmail: 'countess@home.example' }, 'alovelace'],
  ])('%s', (_what, parts, expected) => {
    expect(baseUsername(parts)).toBe(expected);
  });

  it.each<[string, NameParts, string]>([
    ['a single-name person uses the personal email', { firstName: 'Prince', personalEmail: 'prince@home.example' }, 'prince'],
    ['its +tag is not part of the name', { firstName: 'Prince', personalEmail: 'prince+work@home.example' }, 'prince'],
    ['dots, digits and dashes are dropped', { firstName: 'Cher', personalEmail: 'cher.sarkisian-1946@home.example' }, 'chersarkisian'],
    ['a blank last name counts as none', { firstName: 'Madonna', lastName: '  ', personalEmail: 'Madonna@Home.Example' }, 'madonna'],
  ])('%s', (_what, parts, expected) => {
    expect(baseUsername(parts)).toBe(expected);
  });

  it.each<[string, string, NameParts]>([
    ['a last name with no Latin letters', 'employee.lastName', { firstName: 'Yuki', lastName: '山田' }],
    ['a Cyrillic name', 'employee.lastName', { firstName: 'Дмитрий', lastName: 'Иванов' }],
    ['a first name with no Latin letters', 'employee.firstName', { firstName: '太郎', lastName: 'Yamada' }],
    ['a personal email with no Latin letters', 'employee.personalEmail', { firstName: 'Ωμέγα', personalEmail: 'ωμέγα@home.example' }],
    ['a personal email of digits only', 'employee.personalEmail', { firstName: 'Anon', personalEmail: '12345@home.example' }],
    ['no last name and no personal email', 'employee.personalEmail', { firstName: 'Prince' }],
  ])('%s is an error naming %s', (_what, field, parts) => {
    const err = errorOf(parts);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(/username/);
  });

  it('keeps at most 64 characters', () => {
    const lastName = 'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzen';
    const base = baseUsername({ firstName: 'Hubert', lastName });
    expect(base).toHaveLength(64);
    expect(base).toBe(`h${lastName.toLowerCase()}`.slice(0, 64));
  });

  it('counts the length after spelling out (ü → ue)', () => {
    expect(baseUsername({ firstName: 'A', lastName: 'ü'.repeat(40) })).toBe(`a${'ue'.repeat(40)}`.slice(0, 64));
  });
});

describe('candidateAddress', () => {
  it.each([
    [0, 'jmueller@example.com'],
    [1, 'jmueller2@example.com'],
    [2, 'jmueller3@example.com'],
    [9, 'jmueller10@example.com'],
  ])('candidate %i is %s', (n, address) => {
    expect(candidateAddress('jmueller', 'example.com', n)).toBe(address);
  });

  it('cuts a 64-character base so the numbered local part stays within 64', () => {
    const base = 'a'.repeat(64);
    expect(candidateAddress(base, 'example.com', 0)).toBe(`${base}@example.com`);
    expect(candidateAddress(base, 'example.com', 1)).toBe(`${'a'.repeat(63)}2@example.com`);
    expect(candidateAddress(base, 'example.com', 10)).toBe(`${'a'.repeat(62)}11@example.com`);
  });

  it.each([-1, 1.5, Number.NaN])('refuses candidate number %p', (n) => {
    expect(() => candidateAddress('a', 'example.com', n)).toThrow(RangeError);
  });
});
