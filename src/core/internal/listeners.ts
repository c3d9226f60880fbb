/**
 * Change listeners (given `Value`, when there is one). `emit` calls a copy of the set, so a listener may unsubscribe
 * (or subscribe another) while called.
 */
export function listeners<Value = void>() {
  const set = new Set<(value: Value) => void>();
  return {
    subscribe(listener: (value: Value) => void): () => void {
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit(value: Value): void {
      for (const listener of [...set]) listener(value);
    },
  };
}
