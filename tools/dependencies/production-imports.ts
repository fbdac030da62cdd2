import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

/**
 * Which packages the code that runs in production imports, and which of those `npm ci --omit=dev`
 * (the Docker image) would leave out. A test-only package imported from a service, or a runtime
 * package listed under devDependencies, breaks the image although every test passes.
 */

/** Sources that never run in production: tests, test support, the fault and load tools. */
const NOT_PRODUCTION = [
  /\.(spec|int-spec|e2e-spec)\.ts$/,
  /(^|\/)testing\//,
  /^libs\/shared\/(testing|service-testing|contracts-testing)\//,
  /^apps\/system-e2e\//,
  /^tools\//,
];

/** The package a module specifier names, or undefined for relative paths, Node built-ins and the workspace's own libraries. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('@conduct/')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/** The packages a TypeScript source imports at run time (`import type` left out: it is erased). */
export function runtimeImports(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/^\s*import\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*export\s+(?!type\s)[^'";]*?\s+from\s+['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]!);
  return [...new Set(specifiers.map(packageOf).filter((name): name is string => name !== undefined))].sort();
}

function sourcesUnder(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) found.push(relative(root, path));
    }
  };
  walk(join(root, folder));
  return found;
}

/** Each production source's runtime import of a package that is not a production dependency: "file: package". */
export function misplacedImports(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const production = new Set(Object.keys(manifest.dependencies ?? {}));
  return ['apps', 'libs', 'scripts']
    .flatMap((folder) => sourcesUnder(root, folder))
    .filter((file) => !NOT_PRODUCTION.some((pattern) => pattern.test(file)))
    .flatMap((file) =>
      runtimeImports(readFileSync(join(root, file), 'utf8'))
        .filter((name) => !production.has(name))
        .map((name) => `${file}: ${name}`),
    )
    .sort();
}
