import { defaultHome, initProfile, listProfiles, profilePath, readActiveProfile, useProfile } from '../../kernel/index.js';
import { CliExit, EXIT, type CliIo } from '../cli-context.js';
import { table } from '../output/index.js';

/** `nexus profile list|use|path|init`: named config files under $NEXUS_HOME/profiles. */
export const profileCommands = {
  list(io: CliIo, options: { readonly json?: boolean }): number {
    const profiles = listProfiles(defaultHome(io.env));
    if (options.json) io.stdout(`${JSON.stringify(profiles, null, 2)}\n`);
    else if (profiles.length === 0) io.stdout('No profiles yet. Create one with `nexus profile init <name>`.\n');
    else io.stdout(table(['', 'NAME', 'PATH'], profiles.map((p) => [p.active ? '*' : '', p.name, p.path])));
    return EXIT.ok;
  },

  use(io: CliIo, name: string | undefined, options: { readonly clear?: boolean }): number {
    const home = defaultHome(io.env);
    if (options.clear) {
      useProfile(home, undefined);
      io.stdout('No active profile: the config comes from ./nexus.yaml or $NEXUS_HOME/nexus.yaml again.\n');
      return EXIT.ok;
    }
    if (!name) throw new CliExit(EXIT.usage, 'name a profile, or pass --clear');
    run(() => useProfile(home, name));
    io.stdout(`Active profile: ${name} (${profilePath(home, name)}).\n`);
    if (io.env.NEXUS_CONFIG || io.env.NEXUS_PROFILE) io.stderr('note: NEXUS_CONFIG or NEXUS_PROFILE is set in this environment and takes precedence.\n');
    return EXIT.ok;
  },

  path(io: CliIo, name: string | undefined): number {
    const home = defaultHome(io.env);
    const chosen = name ?? readActiveProfile(home);
    if (!chosen) throw new CliExit(EXIT.problems, 'no active profile; name one: `nexus profile path <name>`');
    io.stdout(`${run(() => profilePath(home, chosen))}\n`);
    return EXIT.ok;
  },

  init(io: CliIo, name: string, options: { readonly provider?: string; readonly use?: boolean }): number {
    const home = defaultHome(io.env);
    const path = run(() => initProfile(home, name, options.provider));
    io.stdout(`Created profile ${name}: ${path}\n`);
    if (options.use) {
      useProfile(home, name);
      io.stdout(`Active profile: ${name}.\n`);
    }
    return EXIT.ok;
  },
};

function run<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new CliExit(EXIT.problems, (error as Error).message);
  }
}
