export type MaybePromise<T> = T | Promise<T>;

/** `next(value)`, without a trip through the promise queue when the value is already there (cached answers are). */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
