import { execFileSync } from 'node:child_process';
import type { RunView } from '../../../bin/cli/api-answers';
import { printableAnswer, renderRun, shellQuote, table } from '../../../bin/cli/format';

describe('CLI formatting', () => {
  it('aligns columns two spaces apart with no trailing spaces', () => {
    expect(table(['stepId', 'status', 'attempts'], [['a', 'succeeded', 1], ['long-step-id', 'queued', undefined]])).toBe(
      ['stepId        status     attempts', 'a             succeeded  1', 'long-step-id  queued'].join('\n'),
    );
  });

  it.each([`{"name":"O'Brien"}`, 'a b $HOME `id` "q"', "''"])('quotes %s so a shell passes it through unchanged', (value) => {
    expect(execFileSync('/bin/sh', ['-c', `printf %s ${shellQuote(value)}`]).toString('utf8')).toBe(value);
  });

  it('shows every control character in an API answer as its escape, in keys and nested values alike', () => {
    const answer = { name: 'Ada\u001b[2J', nested: [{ 'k\u0007': 'line\nbreak\u202e\u0085\u007f' }], n: 1, ok: true, none: null };
    expect(printableAnswer(answer)).toEqual({ name: 'Ada\\u001b[2J', nested: [{ 'k\\u0007': 'line\\u000abreak\\u202e\\u0085\\u007f' }], n: 1, ok: true, none: null });
  });

  it("prints a run's role tree one line per line, though the answer was made printable first", () => {
    const run = {
      runId: 'run-1',
      employeeId: 'E100',
      type: 'hire',
      status: 'in_progress',
      steps: [],
      role: { name: 'support-agent', text: 'support-agent\n├─ groups: support@example.com\n└─ connect: Basic routing' },
    } as unknown as RunView;
    const lines = renderRun(printableAnswer(run)).split('\n');
    expect(lines).toEqual(expect.arrayContaining(['role support-agent', '  support-agent', '  ├─ groups: support@example.com', '  └─ connect: Basic routing']));
    expect(lines.join('\n')).not.toContain('\\u000a');
  });
});
