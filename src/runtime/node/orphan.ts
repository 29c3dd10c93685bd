/**
 * Calls `stop` once the process that started this one is gone. `npm start` runs its script through `sh -c`, and a signal
 * sent to npm reaches that shell, which exits without passing it on: the one sign left is being handed to a new parent.
 */
export function stopWhenOrphaned(stop: () => void, everyMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    stop();
  }, everyMs);
  timer.unref();
}
