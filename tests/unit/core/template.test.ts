import { renderTemplate, templateFields, toPlainText } from '../../../server/src/rules/template';

const render = (template: string, data: Record<string, unknown>, maxValueLength = 2000) => renderTemplate(template, data, { maxValueLength });

const blocks = [
  { type: 'heading', level: 1, children: [{ type: 'text', text: 'Big ' }, { type: 'text', text: 'news', bold: true }] },
  { type: 'paragraph', children: [{ type: 'text', text: 'Read ' }, { type: 'link', url: 'https://x.test', children: [{ type: 'text', text: 'this' }] }] },
];

describe('rules/template', () => {
  describe('templateFields', () => {
    it.each([
      ['A cover for {{title}}', ['title']],
      ['{{ title }} by {{author.name}}', ['title', 'author.name']],
      ['{{title}} and {{title}} again', ['title']],
      ['{{locale}} {{documentId}}', ['locale', 'documentId']],
      ['{{tags.name}}, {{seo.image.alternativeText}}', ['tags.name', 'seo.image.alternativeText']],
      ['no placeholders', []],
      ['{{}} {{ 1abc }} {{a-b}} {{a..b}} {{title()}} {title}', []],
      ['{{__proto__}} {{constructor}}', ['__proto__', 'constructor']],
    ])('finds the distinct paths in %j', (template, expected) => {
      expect(templateFields(template)).toEqual(expected);
    });
  });

  describe('toPlainText', () => {
    it.each([
      ['a string', 'Hello', 'Hello'],
      ['a number', 42, '42'],
      ['zero', 0, '0'],
      ['a boolean', false, 'false'],
      ['null', null, ''],
      ['undefined', undefined, ''],
      ['a date', new Date('2025-01-02T03:04:05.000Z'), '2025-01-02T03:04:05.000Z'],
      ['a text leaf', { type: 'text', text: 'leaf' }, 'leaf'],
      ['rich-text blocks', blocks, 'Big news, Read this'],
      ['a relation array', [{ id: 1, name: 'Ada' }, { id: 2, name: 'Grace' }], 'Ada, Grace'],
      ['an array with empty items', ['a', null, '', 'b'], 'a, b'],
      ['an object with a title', { id: 3, title: 'Hello', name: 'ignored' }, 'Hello'],
      ['an object with a name', { id: 3, name: 'Ada' }, 'Ada'],
      ['a media object', { id: 9, url: '/x.png', alternativeText: 'A cat' }, 'A cat'],
      ['an object with nothing readable', { id: 3, count: 2 }, ''],
      ['a function', () => 'code', ''],
    ])('flattens %s', (_label, value, expected) => {
      expect(toPlainText(value)).toBe(expected);
    });
  });

  describe('renderTemplate', () => {
    it('substitutes fields, relation paths, builtins and spaced placeholders', () => {
      const data = { title: 'Spring', author: { name: 'Ada' }, locale: 'en', documentId: 'abc123' };
      expect(render('{{ title }} by {{author.name}} ({{locale}}/{{documentId}})', data)).toBe('Spring by Ada (en/abc123)');
    });

    it.each([
      ['a missing field', 'A {{missing}} cover', {}, 'A cover'],
      ['a null field', 'A {{title}} cover', { title: null }, 'A cover'],
      ['a missing relation', 'By {{author.name}}', { author: null }, 'By'],
      ['a path through a string', 'X{{title.length}}X', { title: 'abc' }, 'XX'],
    ])('renders %s as empty text and tidies the spaces', (_label, template, data, expected) => {
      expect(render(template, data)).toBe(expected);
    });

    it('collapses whitespace inside values and around the result', () => {
      expect(render('  Cover:   {{title}}  ', { title: '  Line one\n\n  line\ttwo  ' })).toBe('Cover: Line one line two');
    });

    it('keeps the line breaks the template itself has', () => {
      expect(render('{{title}}\nStyle: flat', { title: 'Spring' })).toBe('Spring\nStyle: flat');
    });

    it.each([
      [5, 'abcdefghij', 'abcd…'],
      [10, 'abcdefghij', 'abcdefghij'],
      [6, 'abc  def ghi', 'abc d…'],
      [5, 'abc  defgh', 'abc…'],
    ])('caps a value at maxValueLength %i', (max, value, expected) => {
      const rendered = render('{{title}}', { title: value }, max);
      expect(rendered).toBe(expected);
      expect(rendered.length).toBeLessThanOrEqual(max);
    });

    it('caps each value on its own, not the whole prompt', () => {
      expect(render('{{a}} {{b}}', { a: 'x'.repeat(30), b: 'y'.repeat(3) }, 20)).toBe(`${'x'.repeat(19)}… yyy`);
    });

    it('collects a field over a to-many relation', () => {
      expect(render('Tags: {{tags.name}}', { tags: [{ name: 'red' }, { name: 'green' }, { label: 'no name' }] })).toBe('Tags: red, green');
    });

    it('renders rich text as its plain text', () => {
      expect(render('About: {{body}}', { body: blocks })).toBe('About: Big news, Read this');
    });

    it.each([
      ['{{constructor}}'],
      ['{{__proto__}}'],
      ['{{constructor.name}}'],
      ['{{__proto__.constructor}}'],
      ['{{toString}}'],
      ['{{hasOwnProperty}}'],
      ['{{tags.constructor}}'],
      ['{{title.constructor.constructor}}'],
    ])('renders %s as empty text instead of reaching into prototypes', (template) => {
      expect(render(`[${template}]`, { title: 'Spring', tags: [{ name: 'red' }] })).toBe('[]');
    });

    it('does not evaluate anything that looks like code', () => {
      const data = { title: '${process.exit(1)}', code: '{{title}}' };
      expect(render('{{ title + 1 }} {{process.pid}} {{code}}', data)).toBe('{{ title + 1 }} {{title}}');
    });

    it('keeps replacement patterns in values literal', () => {
      expect(render('Price: {{title}}', { title: "$& $1 $` $' $$" })).toBe("Price: $& $1 $` $' $$");
    });

    // Regression: capping used to cut at a UTF-16 code unit and kept half a surrogate pair.
    it('never cuts a character in half when capping a value', () => {
      const rendered = render('{{title}}', { title: 'abc😀defgh' }, 5);
      expect(rendered).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    });

    it('keeps HTML in values as literal text', () => {
      const html = '<script>alert("x")</script> <b>bold</b> &amp;';
      expect(render('Title: {{title}}', { title: html })).toBe(`Title: ${html}`);
    });
  });
});

describe('rules/template unsafe characters', () => {
  it.each([
    ['NUL', 'Cat\u0000Dog'],
    ['bell and escape', 'Cat\u0007\u001b[31mDog'],
    ['C1 control', 'Cat\u0085Dog'],
    ['right-to-left override', 'Cat\u202EDog'],
    ['left-to-right embedding and pop', '\u202ACat\u202CDog'],
    ['isolates', 'Cat\u2066\u2067\u2068Dog\u2069'],
  ])('strips %s from rendered values and template text', (_label, title) => {
    const text = renderTemplate(`${title} {{title}}`, { title }, { maxValueLength: 100 });
    const visible = title === 'Cat\u0007\u001b[31mDog' ? 'Cat[31mDog' : 'CatDog';
    expect(text).toBe(`${visible} ${visible}`);
    expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
  });

  it('keeps line breaks and tabs of the template itself', () => {
    expect(renderTemplate('A\nB\tC', {}, { maxValueLength: 100 })).toBe('A\nB\tC');
  });
});
