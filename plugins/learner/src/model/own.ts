// Writing keys that come from traffic into plain objects. `__proto__` is a valid JSON key,
// query name and header name; `obj[key] = v` with it would replace the object's prototype
// instead of adding a property. setOwn always defines an own, enumerable property.
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** An own property's value (never one from the prototype chain). */
export const getOwn = <T>(obj: Record<string, T> | undefined, key: string): T | undefined => (obj && Object.hasOwn(obj, key) ? obj[key] : undefined);
