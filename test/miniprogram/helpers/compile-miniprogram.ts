import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';

export const MINIPROGRAM_SOURCE = path.resolve(import.meta.dirname, '../../../miniprogram');

/** What WeChat DevTools does with `useCompilerPlugins: ["typescript"]`: each .ts becomes a CommonJS .js beside it. */
function compile(outdir: string): void {
  const sources = readdirSync(MINIPROGRAM_SOURCE, { recursive: true, encoding: 'utf8' });
  buildSync({
    entryPoints: sources.filter((file) => file.endsWith('.ts')).map((file) => path.join(MINIPROGRAM_SOURCE, file)),
    outbase: MINIPROGRAM_SOURCE,
    outdir,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2020',
    bundle: false,
    tsconfig: path.join(MINIPROGRAM_SOURCE, 'tsconfig.json'),
    logLevel: 'error',
  });
  cpSync(MINIPROGRAM_SOURCE, outdir, { recursive: true, filter: (source) => !source.endsWith('.ts') });
  // The repository is an ES module package; the compiled mini-program is CommonJS, as in WeChat.
  writeFileSync(path.join(outdir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
}

let compiled: string | undefined;

/** The mini-program compiled once per test process into a temporary directory; returns its root. */
export function compiledMiniprogram(): string {
  if (!compiled) {
    compiled = mkdtempSync(path.join(tmpdir(), 'siyu-mp-'));
    compile(compiled);
  }
  return compiled;
}
