/**
 * Whether Azurite's Table service answers on the port: any HTTP answer whose Server header names it
 * (`Azurite-Table/3.x`), so another program on the same port is not mistaken for it.
 */
export async function azuriteAnswers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return /^Azurite-Table\//.test(res.headers.get('server') ?? '');
  } catch {
    return false;
  }
}
