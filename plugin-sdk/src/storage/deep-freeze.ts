/**
 * Freezes decoded JSON all the way down (plain objects and arrays: it came from JSON.parse or a
 * JSON check), so values every reader of a store shares cannot be changed by one of them.
 * Already frozen parts are not walked again.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
