#!/usr/bin/env node
// `npm run build`: compiles the services, libraries and scripts to CommonJS under dist/, the same
// tree as the sources (dist/apps/violation-service/src/main.js), so production, `npm start` and the
// end-to-end tests run JavaScript with no transpiler at runtime (docs/adr/0013-compiled-runtime.md).
// swc rewrites the `@conduct/*` path aliases of tsconfig.base.json into relative requires; JSON
// and .mjs files beside the sources are copied. Type checking is `npm run typecheck`'s job.
// Plain JavaScript, so the end-to-end tests' global setup can require it without a transpiler.
// The new tree is written beside the old one and swapped in at the end: a service already running
// from dist/ (npm start) keeps the files it loaded, and a failed build leaves dist/ as it was.
const { readdir, mkdir, writeFile, copyFile, rm, rename } = require('node:fs/promises');
const { dirname, join, relative, extname, sep } = require('node:path');

const root = join(__dirname, '..');
const SOURCE_DIRS = ['apps', 'libs', 'scripts'];
const TESTS = /\.(spec|int-spec|e2e-spec)\.ts$/;
const COPIED = new Set(['.json', '.mjs']);
// The console's web app is bundled by Vite (buildWebApp), not compiled file by file.
const WEB_APP = join(root, 'apps', 'console', 'web');

async function* sourceFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && path !== WEB_APP) yield* sourceFiles(path);
    } else if (entry.name !== 'project.json') {
      yield path;
    }
  }
}

/** Compiles every non-test TypeScript file into `outDir`; returns how many files it wrote. */
async function build({ outDir = join(root, 'dist'), quiet = false } = {}) {
  const swc = require('@swc/core');
  const { compilerOptions } = require(join(root, 'tsconfig.base.json'));
  const options = {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      baseUrl: root,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: true,
    swcrc: false,
  };
  const started = Date.now();
  const staging = `${outDir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const jobs = [];
  for (const dir of SOURCE_DIRS) {
    for await (const path of sourceFiles(join(root, dir))) {
      const extension = extname(path);
      const target = join(staging, relative(root, path));
      if (extension === '.ts' && !TESTS.test(path) && !path.endsWith('.d.ts')) {
        jobs.push(compile(swc, options, path, target.slice(0, -3) + '.js'));
      } else if (COPIED.has(extension) && path.includes(`${sep}src${sep}`)) {
        jobs.push(mkdir(dirname(target), { recursive: true }).then(() => copyFile(path, target)));
      }
    }
  }
  try {
    await Promise.all(jobs);
    await buildWebApp(join(staging, relative(root, WEB_APP)), quiet);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const previous = `${outDir}.previous-${process.pid}`;
  await rename(outDir, previous).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(staging, outDir);
  await rm(previous, { recursive: true, force: true });
  if (!quiet) console.error(`[build] ${jobs.length} files into ${relative(root, outDir) || '.'} in ${Date.now() - started} ms`);
  return jobs.length;
}

/** Bundles the console's web app (React, ECharts) with Vite into `outDir`, which its backend serves. */
async function buildWebApp(outDir, quiet) {
  const started = Date.now();
  // Vite is an ES module: imported, not required.
  const vite = await import('vite');
  await vite.build({
    configFile: join(WEB_APP, 'vite.config.mts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  if (!quiet) console.error(`[build] console web app into ${relative(root, outDir)} in ${Date.now() - started} ms`);
}

async function compile(swc, options, source, target) {
  const output = await swc.transformFile(source, {
    ...options,
    filename: source,
    outputPath: target,
    sourceFileName: relative(dirname(target), source),
  });
  await mkdir(dirname(target), { recursive: true });
  const mapName = `${target}.map`;
  await writeFile(target, `${output.code}\n//# sourceMappingURL=${relative(dirname(target), mapName)}\n`);
  if (output.map) await writeFile(mapName, output.map);
}

module.exports = { build };

if (require.main === module) {
  build().catch((error) => {
    console.error('[build] failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
