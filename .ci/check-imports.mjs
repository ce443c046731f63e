// Import-graph check for src/ (dependency-free: node:fs and node:path only).
//
// Enforces the module rule from the project's DESIGN: the pure folders never
// import the runtime, eventemitter3 or I/O.
//   - No import cycles between files. Only value imports count: `import type` and
//     `export type ... from` are erased, so they are listed only with --verbose.
//   - core/, rules/, forecast/, cost/, fleet/ import nothing from runtime/, sim/,
//     cli/, analytics/, nor eventemitter3, nor any Node builtin.
//   - ports/ imports nothing from src/ except ports/ and errors.ts.
//   - Outside cli/, no fs / child_process / net / http(s) import and no `process.`
//     reference (testing/ may use timers, but not fs).
// The module rule applies to type-only imports too: they still express a dependency.
//
// Usage: node .ci/check-imports.mjs [rootDir=src] [--verbose]

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const rootArg = args.find((a) => !a.startsWith('--')) ?? 'src';
const root = resolve(rootArg);
const label = rootArg.replace(/[\\/]+$/, '');

const PURE = ['core', 'rules', 'forecast', 'cost', 'fleet'];
const PURE_FORBIDDEN_DIRS = ['runtime', 'sim', 'cli', 'analytics'];
const BUILTINS = new Set(
  'fs net http https http2 child_process path os worker_threads timers events crypto dns tls dgram cluster readline stream process perf_hooks async_hooks util url zlib buffer vm v8 module inspector'.split(
    ' ',
  ),
);
const IO_MODULES = new Set(['fs', 'child_process', 'net', 'http', 'https', 'http2']);

// --- collect files -----------------------------------------------------------
if (!existsSync(root) || !statSync(root).isDirectory()) {
  console.error(`check-imports: no such directory: ${rootArg}`);
  process.exit(1);
}
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
const rel = (abs) => relative(root, abs).split(sep).join('/'); // e.g. 'core/decide.ts'
const show = (r) => `${label}/${r}`;
const files = walk(root).map(rel).sort();

// --- parsing -------------------------------------------------------------------
// Blank out comments (keeping strings and line numbers intact) so commented-out
// imports and `process.` mentions in docs are ignored.
function stripComments(src) {
  let out = '';
  let i = 0;
  let prev = ''; // last significant character outside comments, for regex-literal detection
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === '/' && n === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (
      c === '"' ||
      c === "'" ||
      c === '`' ||
      (c === '/' && (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev)))
    ) {
      // string, template or regex literal: copy verbatim up to the closing delimiter
      let j = i + 1;
      let inClass = false;
      while (j < src.length && (src[j] !== c || inClass)) {
        if (src[j] === '\\') j++;
        else if (c === '/' && src[j] === '[') inClass = true;
        else if (c === '/' && src[j] === ']') inClass = false;
        else if (c !== '`' && src[j] === '\n') break;
        j++;
      }
      out += src.slice(i, j + 1);
      prev = c;
      i = j + 1;
    } else {
      out += c;
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  return out;
}

// import/export ... from '...'. The clause may not run into another import/export
// statement, so `export type { A }` never swallows the next line's import.
const STATIC_RE =
  /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?((?:(?!\b(?:import|export)\b)[\w$*\s,]|\{[^}]*\})*?)\s*from\s*(['"])([^'"\n]+)\4/g;
const BARE_RE = /(?:^|[;\n}])\s*import\s*(['"])([^'"\n]+)\1/g;
const DYNAMIC_RE =
  /(\btypeof\s+)?\bimport\s*\(\s*(['"])([^'"\n]+)\2\s*\)(\s*\.\s*(?!then\b|catch\b|finally\b)\w)?/g;

function parseImports(code) {
  const out = [];
  for (const m of code.matchAll(STATIC_RE)) out.push({ spec: m[5], typeOnly: Boolean(m[2]) });
  for (const m of code.matchAll(BARE_RE)) out.push({ spec: m[2], typeOnly: false });
  // `typeof import('./x.js')` and `import('./x.js').Foo` are type positions; the rest load code
  for (const m of code.matchAll(DYNAMIC_RE)) out.push({ spec: m[3], typeOnly: Boolean(m[1] || m[4]) });
  return out;
}

// './x.js' -> 'x.ts'; './dir' or './dir/index.js' -> 'dir/index.ts'; other files
// (e.g. '../package.json') as they are. Returns a root-relative path and whether it
// exists, or null for package/builtin specifiers.
function resolveSpec(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = join(root, dirname(from), spec);
  const stem = base.replace(/\.(js|ts|mjs)$/, '');
  for (const cand of [`${stem}.ts`, join(base, 'index.ts'), join(stem, 'index.ts'), base]) {
    if (existsSync(cand) && statSync(cand).isFile()) return { path: rel(cand), found: true };
  }
  return { path: rel(`${stem}.ts`), found: false };
}

// --- build graph and check the module rule -----------------------------------------
const violations = [];
const warnings = [];
const valueEdges = new Map(files.map((f) => [f, new Set()]));
const typeEdges = [];
const topDir = (r) => (r.includes('/') ? r.slice(0, r.indexOf('/')) : '');
const builtinName = (spec) => {
  const name = spec.replace(/^node:/, '').split('/')[0];
  return spec.startsWith('node:') || BUILTINS.has(name) ? name : null;
};

for (const file of files) {
  const code = stripComments(readFileSync(join(root, file), 'utf8'));
  const dir = topDir(file);
  const pure = PURE.includes(dir);
  for (const { spec, typeOnly } of parseImports(code)) {
    const where = `${show(file)}: imports '${spec}'`;
    const target = resolveSpec(file, spec);
    if (target) {
      if (!target.found) warnings.push(`${where}, which does not resolve to a file`);
      else if (!valueEdges.has(target.path)) {
        // not a source file (e.g. JSON): no graph edge
      } else if (typeOnly) typeEdges.push([file, target.path]);
      else valueEdges.get(file).add(target.path);
      const tdir = topDir(target.path);
      if (pure && PURE_FORBIDDEN_DIRS.includes(tdir))
        violations.push(`${where}: ${dir}/ is pure and must not depend on ${tdir}/`);
      if (dir === 'ports' && tdir !== 'ports' && target.path !== 'errors.ts')
        violations.push(`${where}: ports/ may only import from ports/ and errors.ts`);
      continue;
    }
    const builtin = builtinName(spec);
    if (pure && (spec === 'eventemitter3' || spec.startsWith('eventemitter3/')))
      violations.push(`${where}: ${dir}/ is pure and must not use eventemitter3`);
    if (pure && builtin) violations.push(`${where}: ${dir}/ is pure and must not use Node builtins`);
    else if (dir !== 'cli' && builtin && IO_MODULES.has(builtin))
      violations.push(`${where}: only cli/ may do I/O`);
  }
  if (dir !== 'cli') {
    code.split('\n').forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return; // comment lines (block comments are already blanked)
      if (/(?<![\w$.])process\s*\??\.|globalThis\s*\??\.\s*process\b/.test(line))
        violations.push(`${show(file)}:${i + 1}: references process (only cli/ may)`);
    });
  }
}

// --- cycles (value edges only) -------------------------------------------------------
const cycles = new Map(); // normalised key -> printable cycle
const state = new Map(); // undefined = new, 1 = on stack, 2 = done
const stack = [];
function visit(node) {
  state.set(node, 1);
  stack.push(node);
  for (const next of [...valueEdges.get(node)].sort()) {
    if (state.get(next) === 1) {
      const cyc = stack.slice(stack.indexOf(next));
      const start = cyc.indexOf([...cyc].sort()[0]); // rotate so the same cycle prints once
      const norm = [...cyc.slice(start), ...cyc.slice(0, start)];
      cycles.set(norm.join('|'), [...norm, norm[0]].map(show).join(' -> '));
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(node, 2);
}
for (const f of files) if (!state.has(f)) visit(f);
for (const c of cycles.values()) violations.push(`import cycle: ${c}`);

// --- report --------------------------------------------------------------------------
const edgeCount = [...valueEdges.values()].reduce((n, s) => n + s.size, 0);
if (verbose) {
  for (const [from, tos] of valueEdges)
    for (const to of tos) console.log(`value: ${show(from)} -> ${show(to)}`);
  for (const [from, to] of typeEdges)
    console.log(`type:  ${show(from)} -> ${show(to)} (erased, not a cycle edge)`);
}
for (const w of warnings) console.error(`warning: ${w}`);
if (violations.length > 0) {
  for (const v of violations) console.log(v);
  console.log(`imports: ${violations.length} violation(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`imports: ${files.length} files, ${edgeCount} edges, no cycles, module rule holds`);
