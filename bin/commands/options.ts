import { InvalidArgumentError, Option } from 'commander';

/**
 * An option that takes one of a fixed set of values. The help lists them; any other value is
 * refused before the command runs (exit 2, the allowed values named). Case does not matter: the
 * value the command gets is spelled as in `values`.
 */
export function choice(flags: string, description: string, values: readonly string[]): Option {
  return new Option(flags, description).choices(values).argParser((given: string) => {
    const found = values.find((v) => v.toLowerCase() === given.toLowerCase());
    if (found === undefined) throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')}.`);
    return found;
  });
}
