// size-limit's plugins ship no types: each is a list of plugin objects for size-limit's API.
declare module '@size-limit/esbuild' {
  const plugin: (...args: unknown[]) => unknown;
  export default plugin;
}
declare module '@size-limit/file' {
  const plugin: (...args: unknown[]) => unknown;
  export default plugin;
}
