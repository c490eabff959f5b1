import type { Kernel } from '../../kernel/index.js';

/** One declared permission, with who makes the service sensitive (what the permission unlocks). */
export function describePermission(kernel: Kernel, service: string): string {
  const providers = kernel.sensitiveServiceProviders(service);
  return `${service} (${providers.length > 0 ? `sensitive, provided by ${providers.join(', ')}` : 'no plugin marks it sensitive'})`;
}
