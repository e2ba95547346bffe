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

/** What decides whether to colour: the stream written to, the environment, and `--no-color`. */
export interface ColourSetting {
  readonly isTTY?: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** False when `--no-color` was given. */
  readonly flag?: boolean;
}

/**
 * Colour only when writing to a terminal, `NO_COLOR` is unset or empty (https://no-color.org)
 * and `--no-color` was not given.
 */
export function shouldColour(setting: ColourSetting): boolean {
  const noColor = setting.env.NO_COLOR;
  return setting.isTTY === true && setting.flag !== false && (noColor === undefined || noColor === '');
}

/** Node's `util.styleText`, applied whatever the stream (we decided above), or no styling at all. */
export function painter(enabled: boolean): Paint {
  const styleText = (util as { styleText?: typeof util.styleText }).styleText;
  if (!enabled || typeof styleText !== 'function') {
    return (_style, text) => text;
  }
  return (style, text) => (text.length === 0 ? text : styleText(FORMATS[style], text, { validateStream: false }));
}
