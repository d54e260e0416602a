// Compiles apps/, libs/, db/, test/ and bench/ TypeScript to dist/ with swc (decorator metadata for Nest
// DI, @lib/* path aliases rewritten to relative paths). Incremental: a file is rebuilt only when its
// source is newer than its output. Type checking is separate: `npm run typecheck`.
import { transformFile } from '@swc/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = path.join(root, 'dist');
const roots = ['apps', 'libs', 'db', 'test', 'bench', 'tools'];
const assetExt = new Set(['.html', '.css', '.json', '.yaml', '.xml', '.svg']);
const tsconfig = JSON.parse(await fs.readFile(path.join(root, 'tsconfig.json'), 'utf8'));

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

async function* walk(dir) {
  let entries;
  try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

async function newer(src, out) {
  try {
    const [s, o] = await Promise.all([fs.stat(src), fs.stat(out)]);
    return s.mtimeMs > o.mtimeMs;
  } catch { return true; }
}

let built = 0, copied = 0, failed = 0;
const jobs = [];
for (const r of roots) {
  for await (const file of walk(path.join(root, r))) {
    const rel = path.relative(root, file);
    const ext = path.extname(file);
    if (ext === '.ts' && !file.endsWith('.d.ts')) {
      const out = path.join(outRoot, rel.replace(/\.ts$/, '.js'));
      if (!(await newer(file, out))) continue;
      jobs.push((async () => {
        try {
          const res = await transformFile(file, { ...swcOptions, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
          await fs.mkdir(path.dirname(out), { recursive: true });
          await fs.writeFile(out, res.code + `\n//# sourceMappingURL=${path.basename(out)}.map`);
          if (res.map) await fs.writeFile(out + '.map', res.map);
          built++;
        } catch (err) {
          failed++;
          console.error(`build: ${rel}: ${err.message ?? err}`);
        }
      })());
    } else if (assetExt.has(ext)) {
      const out = path.join(outRoot, rel);
      if (!(await newer(file, out))) continue;
      jobs.push(fs.mkdir(path.dirname(out), { recursive: true }).then(() => fs.copyFile(file, out)).then(() => { copied++; }));
    }
  }
}
await Promise.all(jobs);
if (failed) {
  console.error(`build: ${failed} file(s) failed to compile`);
  process.exit(1);
}
if (process.env.BUILD_VERBOSE) console.error(`build: ${built} compiled, ${copied} assets copied`);
