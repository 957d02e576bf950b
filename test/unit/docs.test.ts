/**
 * The docs follow the code: every API route, CLI command and run or step status the code has is documented, every
 * documented route is served, every relative link resolves, and the README stays short. The lists come from the
 * code itself, so a route or command added without its doc line fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Command } from 'commander';
import { buildProgram, type CliIo } from '../../bin/cli/main';
import { RUN_STATUSES, STEP_STATUSES } from '../../lambdas/engine/model';
import { silentLog, type EngineDeps } from '../../lambdas/engine/ports';
import { routeApi, type ApiDeps } from '../../lambdas/http/api-routes';
import { ROUTES } from '../../lambdas/http/route-table';

const ROOT = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const README_MAX_LINES = 170;

/** `/v1/runs/{runId}/cancel` and `/v1/runs/{id}/cancel` are the same route. */
const route = (method: string, path: string) => `${method} ${path.replace(/\{[^}]*\}/g, '{}')}`;

/** The routes the router serves: its route table, which the API construct deploys too. */
function routesInCode(): Set<string> {
  return new Set(ROUTES.map((r) => route(r.method, r.path)));
}

/** The routes docs/api.md lists in its route table: rows that start with `METHOD /path`. */
function routesInDocs(): Set<string> {
  const routes = new Set<string>();
  for (const m of read('docs/api.md').matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/gm)) routes.add(route(m[1], m[2]));
  return routes;
}

/** Each command and subcommand the CLI registers, as typed: `quarantine release`. */
function cliCommands(): string[] {
  const io: CliIo = { stdout: () => {}, stderr: () => {}, env: {}, fetch: async () => ({ status: 500, text: async () => '' }) };
  const names: string[] = [];
  const walk = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const name = `${prefix}${sub.name()}`;
      names.push(name);
      walk(sub, `${name} `);
    }
  };
  walk(buildProgram(io), '');
  return names;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
}

const markdownFiles = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('the docs', () => {
  it('document every route the API serves in docs/api.md', () => {
    const documented = routesInDocs();
    const missing = [...routesInCode()].filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
  });

  it('document only routes the API serves', async () => {
    const code = routesInCode();
    expect(code.size).toBeGreaterThan(10);
    // Asked of the router itself: a path it does not serve is a 404 "no route", a method it does not take a 405.
    const deps = { engine: { log: silentLog } as unknown as EngineDeps, hrKeys: async () => ({ current: 'unused' }), operator: () => undefined } as ApiDeps;
    const unserved: string[] = [];
    for (const documented of routesInDocs()) {
      const [method, template] = documented.split(' ');
      const path = template.replace(/\{\}/g, 'x1');
      const answer = await routeApi(deps, { httpMethod: method, path, headers: {}, body: null } as unknown as APIGatewayProxyEvent);
      if (answer.statusCode === 404 && answer.body.includes('no route')) unserved.push(documented);
      if (answer.statusCode === 405) unserved.push(documented);
    }
    expect(unserved).toEqual([]);
    expect([...routesInDocs()].filter((r) => !code.has(r))).toEqual([]);
  });

  it('document every CLI command in docs/cli.md', () => {
    const commands = cliCommands();
    expect(commands).toEqual(expect.arrayContaining(['send', 'status', 'replan']));
    const doc = read('docs/cli.md');
    expect(commands.filter((name) => !doc.includes(`lifecycle ${name}`))).toEqual([]);
  });

  it.each([
    ['run', RUN_STATUSES],
    ['step', STEP_STATUSES],
  ])('name every %s status of the model in docs/engine.md', (_kind, statuses) => {
    const doc = read('docs/engine.md');
    expect(statuses.filter((status) => !doc.includes(`\`${status}\``))).toEqual([]);
  });

  it.each(markdownFiles)('%s: every relative link resolves to a file (and heading)', (file) => {
    const text = read(file).replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      const [path, anchor] = target.split('#');
      const absolute = path ? resolve(dirname(join(ROOT, file)), path) : join(ROOT, file);
      if (!existsSync(absolute)) {
        broken.push(target);
        continue;
      }
      if (anchor && absolute.endsWith('.md') && !anchorsIn(absolute).has(anchor)) broken.push(target);
    }
    expect(broken).toEqual([]);
  });

  it(`keep the README under ${README_MAX_LINES} lines`, () => {
    expect(read('README.md').split('\n').length).toBeLessThan(README_MAX_LINES);
  });
});
