// Bundles the client and everything it imports from node_modules into one file;
// the VS Code API is provided by the editor at run time.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const reportBuilds = {
    name: 'report-builds',
    setup(build) {
        // The watch task's problem matcher waits for these two lines.
        build.onStart(() => console.log('[watch] build started'));
        build.onEnd((result) => console.log(`[watch] build finished with ${result.errors.length} error(s)`));
    },
};

const context = await esbuild.context({
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    plugins: watch ? [reportBuilds] : [],
});

if (watch) {
    await context.watch();
} else {
    await context.rebuild();
    await context.dispose();
}
