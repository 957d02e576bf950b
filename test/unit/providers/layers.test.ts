/** The layers keep to their side: providers are clients and transport, actions decide, roles stay pure. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Each file's imports, as written. */
function importsOf(folder: string): [string, string][] {
  return sources(join(ROOT, folder)).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map(([, spec]): [string, string] => [relative(ROOT, file), spec]),
  );
}

describe('layers', () => {
  it('roles/ is pure: no SDK, nothing from providers/, no network or file access', () => {
    const io = importsOf('lambdas/roles').filter(([, spec]) =>
      /^@aws-sdk\/|^@googleapis\/|^@notionhq\/|^google-auth-library|^node:(fs|http|https|net|child_process)|\/providers\//.test(spec),
    );
    expect(io).toEqual([]);
  });

  it('providers/ never reaches up into actions, the engine or the handlers', () => {
    expect(importsOf('lambdas/providers').filter(([, spec]) => /\/(actions|engine|handlers)\//.test(spec))).toEqual([]);
  });

  it('ProviderError and the provider interfaces are declared once, in providers/', () => {
    const declaring = (pattern: RegExp) =>
      sources(join(ROOT, 'lambdas'))
        .filter((f) => pattern.test(readFileSync(f, 'utf8')))
        .map((f) => relative(ROOT, f));
    expect(declaring(/export class ProviderError\b/)).toEqual(['lambdas/providers/provider-error.ts']);
    expect(declaring(/export interface (Providers|ConnectProvider)\b/)).toEqual(['lambdas/providers/providers.ts']);
  });

  it("Connect's remove and restore decisions live with its actions, not its client", () => {
    const agent = readFileSync(join(ROOT, 'lambdas/providers/connect/agent.ts'), 'utf8');
    expect(agent).not.toMatch(/DeleteUserCommand|CreateUserCommand|Update\w+Command/);
  });
});
