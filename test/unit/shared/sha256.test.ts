import { createHash } from 'node:crypto';
import { sha256Hex } from '../../../lambdas/shared/sha256';

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A seeded generator, so a failing input can be reproduced. */
function randomText(seed: number, length: number, alphabet: string[]): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

const ASCII = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.-_@\n\t"'];
// One, two, three and four UTF-8 bytes each (the last a surrogate pair).
const MIXED = [...ASCII, 'ü', 'ß', 'é', 'Ж', '€', '中', '文', '😀', '🎉'];

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('gives the published digest of %j', (text, digest) => {
    expect(sha256Hex(text)).toBe(digest);
  });

  // 55 bytes fit one block with the padding, 56 need a second; 64 is a whole block, 119/120 the same edge one block on.
  it.each([0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000])('matches node:crypto on %i ASCII bytes', (length) => {
    const text = randomText(length + 1, length, ASCII);
    expect(sha256Hex(text)).toBe(nodeSha256(text));
  });

  it('matches node:crypto on every length from 0 to 300 characters of mixed one- to four-byte UTF-8', () => {
    const wrong: string[] = [];
    for (let length = 0; length <= 300; length++) {
      const text = randomText(7 * length + 3, length, MIXED);
      if (sha256Hex(text) !== nodeSha256(text)) wrong.push(JSON.stringify(text));
    }
    expect(wrong).toEqual([]);
  });

  it.each(['Jürgen Müller', 'Zoë Ørsted <zoe@example.com>', '王小明', 'team 🎉 party', 'ü'.repeat(28), 'ü'.repeat(27) + 'a', '€'.repeat(21) + 'a'])(
    'matches node:crypto on %j (multi-byte UTF-8 around the block edges)',
    (text) => {
      expect(sha256Hex(text)).toBe(nodeSha256(text));
    },
  );

  it('encodes a lone surrogate as U+FFFD, as node:crypto does', () => {
    expect(sha256Hex('a\ud800b')).toBe(nodeSha256('a\ud800b'));
    expect(sha256Hex('a\ud800b')).toBe(sha256Hex('a\ufffdb'));
  });

  it('matches node:crypto on a long text (a CSV of a few thousand rows)', () => {
    const text = randomText(42, 300_000, MIXED);
    expect(sha256Hex(text)).toBe(nodeSha256(text));
  });
});
