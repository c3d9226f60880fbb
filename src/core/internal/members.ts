/**
 * A class's public members as a plain object type. The engine classes build their methods as closures in the constructor
 * (local names minify, `#private` fields do not) and `Object.assign<C, Members<C>>(this, {...})` checks that every
 * member declared in the merged interface is provided.
 */
export type Members<T> = { [K in keyof T]: T[K] };
