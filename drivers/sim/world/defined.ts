/** `value` without its undefined properties, so that spreading it over defaults keeps the defaults. */
export function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
}

/** Every property optional, and `undefined` allowed (what a zod schema gives for an absent key). */
export type Optional<T> = { readonly [K in keyof T]?: T[K] | undefined }
