import { importCycles, reachable, sourceFiles } from './import-graph';

/** The files outside `allowed` that the entries reach, each shown with the import chain that reaches it. */
function reachedOutside(entries: string[], forbidden: (file: string) => boolean): string[] {
  return [...reachable(entries).entries()].filter(([file]) => forbidden(file)).map(([, chain]) => chain.join(' -> '));
}

describe('which part of the repository may import which', () => {
  it('no function bundle (an entry under lambdas/handlers) reaches the local runtime under local/', () => {
    const entries = sourceFiles('lambdas/handlers');
    expect(entries.length).toBeGreaterThan(10);
    expect(reachedOutside(entries, (f) => f.startsWith('local/'))).toEqual([]);
  });

  it('nothing under lambdas/ imports local/', () => {
    expect(reachedOutside(sourceFiles('lambdas'), (f) => f.startsWith('local/'))).toEqual([]);
  });

  it('config/ imports nothing from lambdas/ (lambdas read their settings schemas from config)', () => {
    expect(reachedOutside(sourceFiles('config'), (f) => !f.startsWith('config/'))).toEqual([]);
  });

  it.each(['local', 'bin', 'config', 'lib'])('the modules under %s/ import one another in no circle', (folder) => {
    expect(importCycles(sourceFiles(folder))).toEqual([]);
  });
});
