// Child process for the kernel benchmarks: imports the built kernel, starts it and makes the
// echo plugin active, then prints timings and RSS as one JSON line. A fresh process per run
// is the point: module loading and JIT warm-up are part of what a user waits for.
//
// Usage: node kernel-ready.mjs '<json: {kernelEntry, contractsEntry, echoDir, home,
//   workspaceDir, packageDir, expectedPlugins}>'
//
// Only node: built-ins are imported statically; the kernel is imported dynamically after the
// first clock reading, so its import time is inside "fromScriptMs".
const scriptStart = performance.now();
const { pathToFileURL } = await import('node:url');

const args = JSON.parse(process.argv[2]);
const { Kernel, configFromData, MemoryLogger } = await import(pathToFileURL(args.kernelEntry).href);
const { Tools } = await import(pathToFileURL(args.contractsEntry).href);
const imported = performance.now();

const kernel = new Kernel({
  config: configFromData({ plugins: { load: { paths: [args.echoDir] } } }),
  home: args.home,
  workspaceDir: args.workspaceDir,
  packageDirs: [args.packageDir],
  builtinDirs: [],
  logger: new MemoryLogger(),
});
await kernel.start();
// echo activates on onTool:echo; asking for its tool is what a caller would do.
await kernel.contributions.get(Tools, 'echo');
const ready = performance.now();
const rssBytes = process.memoryUsage().rss;

// Prove the measurement is of the intended situation: every plugin discovered, only echo loaded.
const plugins = kernel.list();
const loaded = plugins.filter((p) => p.state !== 'discovered').map((p) => `${p.id}:${p.state}`);
if (plugins.length !== args.expectedPlugins || loaded.join(',') !== 'echo:active') {
  process.stderr.write(`unexpected kernel state: ${plugins.length} plugins (expected ${args.expectedPlugins}), not merely discovered: ${loaded.join(', ')}\n`);
  process.exit(1);
}
await kernel.stop('benchmark done');

process.stdout.write(
  `${JSON.stringify({
    importMs: imported - scriptStart,
    kernelMs: ready - imported,
    fromScriptMs: ready - scriptStart,
    // performance.now() counts from process start, so this includes node's own boot.
    fromProcessStartMs: ready,
    rssBytes,
  })}\n`,
);
