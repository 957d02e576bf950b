import { CsvError, parseCsv } from '../../../lambdas/shared/csv';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it('reads plain records with LF', () => {
    expect(fieldsOf('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads CRLF, and a last record without a line break', () => {
    expect(fieldsOf('a,b\r\n1,2\r\n3,4')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('drops a BOM at the start', () => {
    expect(fieldsOf('\uFEFFfirstName,lastName\nAda,Lovelace\n')[0]).toEqual(['firstName', 'lastName']);
  });

  it('reads commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(fieldsOf('name,note\r\n"O\'Neil, Jean-Luc","said ""hi""\r\nthen left"\r\n"",x\r\n')).toEqual([
      ['name', 'note'],
      ["O'Neil, Jean-Luc", 'said "hi"\r\nthen left'],
      ['', 'x'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fieldsOf('a,,c,\n')).toEqual([['a', '', 'c', '']]);
  });

  it('skips empty lines and numbers records by the line they start on', () => {
    const records = parseCsv('h1,h2\n\n"multi\nline",1\r\n\r\nlast,2\n\n');
    expect(records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 3, fields: ['multi\nline', '1'] },
      { line: 6, fields: ['last', '2'] },
    ]);
  });

  it('keeps a quote inside an unquoted field as it is', () => {
    expect(fieldsOf('O"Brien,x\n')).toEqual([['O"Brien', 'x']]);
  });

  it('answers no records for an empty file', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF\r\n')).toEqual([]);
  });

  it.each([
    ['a quoted field never closed', 'a,b\n1,"open\n2,3\n', 2, 'a quoted field is not closed'],
    ['text after a closing quote', 'a,b\n"x"y,2\n', 2, 'a closing quote must end the field'],
  ])('refuses %s, naming the line', (_what, text, line, message) => {
    let error: unknown;
    try {
      parseCsv(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).line).toBe(line);
    expect((error as CsvError).message).toContain(`line ${line}: ${message}`);
  });
});
