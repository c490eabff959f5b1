import { describe, expect, it } from 'vitest';
import { escapeTelegramHtml, markdownToDiscord, markdownToSlackMrkdwn, markdownToTelegramHtml } from '../../../plugin-sdk/src/channel/index.js';

const SAMPLE = [
  '# Title',
  '',
  'Some **bold**, *italic*, ~~gone~~ and `a<b` & [a link](https://example.com/?a=1&b=2).',
  '',
  '- one',
  '- two',
  '  1. three',
  '',
  '> quoted',
  '',
  '```python',
  'print("<hi>")',
  '```',
].join('\n');

describe('Markdown to Telegram HTML', () => {
  it('converts the common constructs to the tags Telegram accepts', () => {
    expect(markdownToTelegramHtml(SAMPLE)).toBe(
      [
        '<b>Title</b>',
        '',
        'Some <b>bold</b>, <i>italic</i>, <s>gone</s> and <code>a&lt;b</code> &amp; <a href="https://example.com/?a=1&amp;b=2">a link</a>.',
        '',
        '• one',
        '• two',
        '  1. three',
        '',
        '<blockquote>quoted</blockquote>',
        '',
        '<pre><code class="language-python">print("&lt;hi&gt;")</code></pre>',
      ].join('\n'),
    );
  });

  it('escapes &, < and > in text, and quotes in link targets', () => {
    expect(escapeTelegramHtml('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(markdownToTelegramHtml('[x](https://e.com/"q")')).toBe('<a href="https://e.com/&quot;q&quot;">x</a>');
  });

  it('leaves unclosed markup and intraword underscores as text', () => {
    expect(markdownToTelegramHtml('snake_case_name and **not closed')).toBe('snake_case_name and **not closed');
    expect(markdownToTelegramHtml('a \\*literal\\* star')).toBe('a *literal* star');
  });

  it('renders an unclosed code fence (a reply still streaming) as code', () => {
    expect(markdownToTelegramHtml('Look:\n```js\nlet a = 1 < 2')).toBe('Look:\n<pre><code class="language-js">let a = 1 &lt; 2</code></pre>');
  });

  it('flattens nested quotes, keeps tables in <pre>, and drops links Telegram cannot open', () => {
    expect(markdownToTelegramHtml('> a\n> > b')).toBe('<blockquote>a\nb</blockquote>');
    expect(markdownToTelegramHtml('| a | b |\n|---|---|')).toBe('<pre>| a | b |\n|---|---|</pre>');
    expect(markdownToTelegramHtml('[run](javascript:alert(1))')).toBe('run');
  });

  it('shows no more characters than the Markdown it came from', () => {
    const visible = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot);/g, '_');
    for (const text of [SAMPLE, '---', '***bold italic***', '<https://a.b/c>', '![img](https://a.b/i.png)', '| t |']) {
      expect(visible(markdownToTelegramHtml(text)).length).toBeLessThanOrEqual(text.length);
    }
  });
});

describe('Markdown to Slack mrkdwn', () => {
  it('uses single-character emphasis, <url|text> links and plain code fences', () => {
    expect(markdownToSlackMrkdwn(SAMPLE)).toBe(
      [
        '*Title*',
        '',
        'Some *bold*, _italic_, ~gone~ and `a&lt;b` &amp; <https://example.com/?a=1&b=2|a link>.',
        '',
        '• one',
        '• two',
        '  1. three',
        '',
        '> quoted',
        '',
        '```',
        'print("&lt;hi&gt;")',
        '```',
      ].join('\n'),
    );
  });

  it("keeps Slack's own mention tokens working", () => {
    expect(markdownToSlackMrkdwn('hi <@U123> in <#C9> <!here> a<b')).toBe('hi <@U123> in <#C9> <!here> a&lt;b');
  });
});

describe('Markdown to Discord', () => {
  it('writes __bold__ as **bold**, keeps shallow headings and boxes tables in code blocks', () => {
    expect(markdownToDiscord('# T\n\n#### deep\n\n__bold__ *it*\n\n| a |\n|---|')).toBe('# T\n\n**deep**\n\n**bold** *it*\n\n```\n| a |\n|---|\n```');
  });

  it('escapes literal markup but not URLs or Discord tokens, and defuses mass mentions', () => {
    expect(markdownToDiscord('a\\_b https://x.com/a_b_c <@123> <:party_time:42> @everyone @here')).toBe('a\\_b https://x.com/a_b_c <@123> <:party_time:42> @\u200beveryone @\u200bhere');
  });

  it('keeps code blocks with their language', () => {
    expect(markdownToDiscord('```ts\nconst a = 1;\n```')).toBe('```ts\nconst a = 1;\n```');
  });
});
