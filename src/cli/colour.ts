import * as util from 'util';

/** The styles the table uses; each maps to `util.inspect.colors` formats. */
export type Style = 'error' | 'warning' | 'ok' | 'note' | 'heading' | 'dim';

const FORMATS: Record<Style, Array<'red' | 'yellow' | 'green' | 'cyan' | 'bold' | 'underline' | 'dim'>> = {
  error: ['red'],
  warning: ['yellow'],
  ok: ['green'],
  note: ['cyan'],
  heading: ['bold', 'underline'],
  dim: ['dim'],
};

/** Applies a style to text, or returns the text as it is. */
export type Paint = (style: Style, text: string) => string;

/** What decides whether to colour: the stream written to, the environment, and `--color` / `--no-color`. */
export interface ColourSetting {
  readonly isTTY?: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** True for `--color`, false for `--no-color`, undefined when neither was given. */
  readonly flag?: boolean;
}

/**
 * Whether to colour, the first rule that applies deciding:
 *
 * 1. `--color` colours and `--no-color` does not, whatever else says;
 * 2. `FORCE_COLOR` set and not empty colours even when not writing to a terminal (CI logs), unless
 *    it is `0` or `false`, which turn colour off even on a terminal (as Node.js and `chalk` read it);
 * 3. `NO_COLOR` set and not empty turns it off (https://no-color.org);
 * 4. otherwise only a terminal is coloured, and not a `TERM=dumb` one.
 */
export function shouldColour(setting: ColourSetting): boolean {
  if (setting.flag !== undefined) {
    return setting.flag;
  }
  const force = setting.env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    return force !== '0' && force.toLowerCase() !== 'false';
  }
  const noColor = setting.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') {
    return false;
  }
  return setting.isTTY === true && setting.env.TERM !== 'dumb';
}

/** The help of `--color` and `--no-color`, which every command that prints a table has (define both: with `--no-color` alone, commander defaults the flag to true). */
export const COLOR_OPTION_HELP = 'colour the table even when stdout is not a terminal (as FORCE_COLOR=1 does)';
export const NO_COLOR_OPTION_HELP = 'no colour (by default colour is used on a terminal only, unless NO_COLOR is set; FORCE_COLOR=1 forces it, FORCE_COLOR=0 turns it off)';

/** Node's `util.styleText`, applied whatever the stream (we decided above), or no styling at all. */
export function painter(enabled: boolean): Paint {
  const styleText = (util as { styleText?: typeof util.styleText }).styleText;
  if (!enabled || typeof styleText !== 'function') {
    return (_style, text) => text;
  }
  return (style, text) => (text.length === 0 ? text : styleText(FORMATS[style], text, { validateStream: false }));
}
