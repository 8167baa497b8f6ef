import { describe, expect, it } from 'vitest';
import { matchingEtag, parseIfMatch } from '../../../../shared/core/http/ifMatch';
import { appErrorOf } from '../../../support/appErrorOf';

const etag = `W/"datetime'2026-01-01T00%3A00%3A00.1234567Z'"`;

describe('parseIfMatch / matchingEtag', () => {
  it('reads absent, *, one tag and a list (commas inside quotes are part of a tag)', () => {
    expect(parseIfMatch(null)).toBeUndefined();
    expect(parseIfMatch('*')).toEqual({ any: true });
    expect(parseIfMatch(etag)).toEqual({ any: false, tags: [etag] });
    expect(parseIfMatch(`"a,b", ${etag}`)).toEqual({ any: false, tags: ['"a,b"', etag] });
  });

  it.each(['garbage', '', '  ', '"open', 'W/garbage', '"a" "b"', '*, "a"', 'W/"x"y', `"${'x'.repeat(2000)}"`])(
    'refuses %j with 400 INVALID',
    async (header) => {
      const err = await appErrorOf((async () => parseIfMatch(header))());
      expect(err.code).toBe('INVALID');
      expect(err.message).toMatch(/If-Match/);
    },
  );

  it('matches weakly and returns the stored ETag; * matches anything; others do not match', () => {
    expect(matchingEtag({ any: true }, etag)).toBe(etag);
    expect(matchingEtag(parseIfMatch(etag.slice(2))!, etag)).toBe(etag);
    expect(matchingEtag(parseIfMatch(`"garbage", ${etag}`)!, etag)).toBe(etag);
    expect(matchingEtag(parseIfMatch('"garbage"')!, etag)).toBeUndefined();
  });
});
