// The SDK as a package: tandem.d.ts declares exactly what tandem.js has at run time (exports, the
// public methods and properties of its classes, the events it emits), package.json points at both
// and carries the project's version, and `npm pack` ships exactly the intended files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { installFakeBrowser } from './fake-browser.mjs';

installFakeBrowser();
const sdk = await import('../tandem.js');
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const packageDir = here('..');
const pkg = JSON.parse(readFileSync(here('../package.json'), 'utf8'));
const source = readFileSync(here('../tandem.js'), 'utf8');

/** What tandem.d.ts declares: value exports, and for each class its members and events. */
function declarations() {
  const file = ts.createSourceFile('tandem.d.ts', readFileSync(here('../tandem.d.ts'), 'utf8'), ts.ScriptTarget.Latest);
  const values = new Set();
  const classes = new Map();
  const exported = (node) => node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const node of file.statements) {
    if (ts.isFunctionDeclaration(node) && exported(node)) values.add(node.name.text);
    if (!ts.isClassDeclaration(node) || !exported(node)) continue;
    values.add(node.name.text);
    const members = { methods: new Set(), required: new Set(), optional: new Set(), events: new Set() };
    for (const member of node.members) {
      if (ts.isMethodDeclaration(member)) {
        members.methods.add(member.name.text);
        const first = member.parameters[0]?.type;
        if (member.name.text === 'on' && first && ts.isLiteralTypeNode(first)) members.events.add(first.literal.text);
      } else if (ts.isPropertyDeclaration(member)) {
        (member.questionToken ? members.optional : members.required).add(member.name.text);
      }
    }
    classes.set(node.name.text, members);
  }
  return { values, classes };
}

/** The public (not `_`-prefixed) methods of a class, its superclasses' included. */
function publicMethods(cls) {
  const names = new Set();
  for (let p = cls.prototype; p && p !== Object.prototype && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name !== 'constructor' && !name.startsWith('_') && typeof p[name] === 'function') names.add(name);
    }
  }
  return names;
}

/** The public own properties of an instance, less those every Error has. */
function publicProperties(instance) {
  const errorOwn = new Set([...Object.getOwnPropertyNames(new Error('x')), 'name']);
  return new Set(
    Object.keys(instance).filter((k) => !k.startsWith('_') && !(instance instanceof Error && errorOwn.has(k))),
  );
}

const sorted = (set) => [...set].sort();
const declared = declarations();

test('every runtime export is declared, and every declared export exists', () => {
  assert.deepEqual(sorted(Object.keys(sdk)), sorted(declared.values));
});

test('Client, Call and TandemError have exactly the declared public methods', () => {
  for (const name of ['Client', 'Call', 'TandemError']) {
    assert.deepEqual(sorted(publicMethods(sdk[name])), sorted(declared.classes.get(name).methods), name);
  }
});

test('fresh Client, Call and TandemError instances have the declared public properties', () => {
  const client = new sdk.Client({ url: 'ws://127.0.0.1:9/ws' });
  const instances = {
    Client: client,
    Call: new sdk.Call(client, { direction: 'outgoing', peer: 'bob' }),
    TandemError: new sdk.TandemError(4002, 'authentication failed'),
  };
  for (const [name, instance] of Object.entries(instances)) {
    const { required, optional } = declared.classes.get(name);
    const actual = publicProperties(instance);
    for (const property of required) assert.ok(actual.has(property), `${name}.${property} is declared but missing`);
    for (const property of actual) {
      assert.ok(required.has(property) || optional.has(property), `${name}.${property} exists but is not declared`);
    }
  }
});

test('every event the SDK emits is declared for on(), and every declared event is emitted', () => {
  const emitted = new Set([...source.matchAll(/_emit\('([a-z]+)'/g)].map((m) => m[1]));
  const events = new Set([...declared.classes.get('Client').events, ...declared.classes.get('Call').events]);
  assert.deepEqual(sorted(emitted), sorted(events));
});

test("package.json: ESM, types and import for '.', the project's version from pom.xml", () => {
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.sideEffects, false);
  assert.deepEqual(pkg.exports['.'], { types: './tandem.d.ts', import: './tandem.js' });
  assert.equal(pkg.types, './tandem.d.ts');
  assert.ok(pkg.engines?.node, 'engines.node');
  assert.ok(pkg.license, 'license');
  const pom = readFileSync(here('../../../pom.xml'), 'utf8');
  const projectVersion = pom.replace(/<parent>[\s\S]*?<\/parent>/, '').match(/<version>([^<]+)<\/version>/)[1];
  assert.equal(pkg.version, projectVersion, 'web/sdk/package.json version follows the root pom.xml');
});

test('npm pack ships exactly the SDK, its types, its README and package.json', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(out);
  assert.deepEqual(sorted(packed.files.map((f) => f.path)), ['README.md', 'package.json', 'tandem.d.ts', 'tandem.js']);
});
