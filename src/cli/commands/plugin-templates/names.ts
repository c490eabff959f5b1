/** What every template is filled in with, derived once from `nexus plugins new <name>`. */
export interface PluginNames {
  /** The npm package name: `acme-weather` or `@acme/weather`. */
  readonly packageName: string;
  /** The plugin id in the manifest: `acme-weather` or `acme/weather`. */
  readonly id: string;
  /** The last part of the name, used for the contribution (tool, command, channel, provider type). */
  readonly short: string;
  /** `short` as a class-name prefix: `AcmeWeather`. */
  readonly pascal: string;
  /** `short` for people: `Acme Weather`. */
  readonly title: string;
  /** `short` as a variable name: `acmeWeather`. */
  readonly camel: string;
  /** `short` in SQL identifiers: `acme_weather`. */
  readonly snake: string;
}

export function pluginNames(packageName: string): PluginNames {
  const id = packageName.replace(/^@/, '');
  const short = id.slice(id.lastIndexOf('/') + 1);
  const words = short.split('-').filter(Boolean).map((part) => part[0]!.toUpperCase() + part.slice(1));
  const pascal = words.join('');
  return { packageName, id, short, pascal, title: words.join(' '), camel: pascal.charAt(0).toLowerCase() + pascal.slice(1), snake: short.replaceAll('-', '_') };
}
