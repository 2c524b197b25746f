/**
 * List prices per million tokens, for reporting what a run cost. Cache writes (5-minute) bill at
 * 1.25× input and cache reads at 0.1×. `claude-sonnet-5` has no published price here: it is assumed
 * to cost what Sonnet 4.5 does, and `assumed` says so.
 */
export interface Price {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  assumed?: string;
}

const per = (input: number, output: number, assumed?: string): Price => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheRead: input * 0.1,
  ...(assumed ? { assumed } : {}),
});

/** Matched by substring of the model id, first match wins (Bedrock ids contain the same names). */
export const PRICES: Array<[RegExp, Price]> = [
  [/haiku-4-5|haiku-4\.5/, per(1, 5)],
  [/sonnet-4-5|sonnet-4\.5|sonnet-4/, per(3, 15)],
  [/sonnet-5/, per(3, 15, 'priced as Sonnet 4.5')],
  [/opus-4-5|opus-4\.5/, per(5, 25)],
];

export const priceFor = (model: string): Price | undefined => PRICES.find(([re]) => re.test(model))?.[1];

/** Dollars for one call's tokens: uncached input, cache writes, cache reads and output. */
export function costOf(
  price: Price,
  t: { uncached: number; cacheWrite: number; cacheRead: number; output: number },
): number {
  return (
    (t.uncached * price.input +
      t.cacheWrite * price.cacheWrite +
      t.cacheRead * price.cacheRead +
      t.output * price.output) /
    1_000_000
  );
}
