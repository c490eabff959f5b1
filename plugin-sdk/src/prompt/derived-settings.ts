/**
 * What a prompt section worked out from its config sections, kept until one of them changes.
 * Sections render on every turn, but the kernel hands out the same section object until the
 * config is reloaded (a reload hands out new ones), so comparing the objects by identity tells
 * whether the settings, resolved paths or text derived from them are still current.
 *
 * Lives beside `PromptFiles` for the same reason: the agent plugin's sections use it too.
 */
export class DerivedSettings<T> {
  private last: { readonly inputs: readonly unknown[]; readonly value: T } | undefined;

  /** `derive()`'s value for these `inputs` (config sections, the config path): computed again only when one differs. */
  get(inputs: readonly unknown[], derive: () => T): T {
    const last = this.last;
    if (last && last.inputs.length === inputs.length && last.inputs.every((input, i) => input === inputs[i])) return last.value;
    const value = derive();
    this.last = { inputs, value };
    return value;
  }
}
