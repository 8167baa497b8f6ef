import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trustedHtml } from '../../../shared/console/html';

describe('escapeHtml', () => {
  it('turns every character that can end text or an attribute into an entity', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' \`z\``)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96;',
    );
  });

  it('escapes an existing entity again (it is text, not markup) and shows null and undefined as nothing', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = '"><img src=x onerror=alert(1)>';
    expect(html`<a title="${name}">${name}</a>`.text).toBe(
      '<a title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>',
    );
  });

  it('keeps markup it built itself, joins lists, and renders false and null as nothing', () => {
    const items = ['<b>', 'ok'].map((t) => html`<li>${t}</li>`);
    // prettier-ignore
    expect(html`<ul>${items}</ul>${false}${null}`.text).toBe('<ul><li>&lt;b&gt;</li><li>ok</li></ul>');
    expect(html`${trustedHtml('<hr>')}`.text).toBe('<hr>');
  });
});
