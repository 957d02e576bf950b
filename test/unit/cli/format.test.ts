import { execFileSync } from 'node:child_process';
import { shellQuote, table } from '../../../bin/cli/format';

describe('CLI formatting', () => {
  it('aligns columns two spaces apart with no trailing spaces', () => {
    expect(table(['stepId', 'status', 'attempts'], [['a', 'succeeded', 1], ['long-step-id', 'queued', undefined]])).toBe(
      ['stepId        status     attempts', 'a             succeeded  1', 'long-step-id  queued'].join('\n'),
    );
  });

  it.each([`{"name":"O'Brien"}`, 'a b $HOME `id` "q"', "''"])('quotes %s so a shell passes it through unchanged', (value) => {
    expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(value)}`]).toString('utf8')).toBe(value);
  });
});
