/**
 * Policy regular expressions (`emailLocalPartPatterns`) that can never hang a run.
 *
 * A pattern such as `^(a+)+$` backtracks exponentially in JavaScript's engine: on a 50-character
 * local part a sweep or a real-time event would spin at 100% CPU for ever. Patterns are therefore
 * matched with V8's linear-time engine (the `l` flag, a Thompson-NFA engine that ships inside Node,
 * so it costs the Lambda bundles nothing; the pure-JS RE2 port `re2js` would add 147 KB minified and
 * push the real-time bundle past its 600 KB budget). That engine gives the same answers as the
 * ordinary one for the syntax it supports; a pattern it cannot run in linear time (backreferences,
 * lookahead, counted repetition nested too deep, and on Node 20 lookbehind) is refused when the policy is
 * loaded. Should a future Node drop the engine, catastrophic shapes (a repeated group that itself
 * repeats or alternates, `(a+)+`, `(a|aa)*`) are refused at load instead.
 */
import { setFlagsFromString } from 'node:v8';
import { UnsafePatternError } from '../errors.ts';

/** Why a pattern cannot be used; the policy loader puts it in its message, naming the field. */
export { UnsafePatternError };

let linearEngine: boolean | undefined;

/** Whether V8's linear-time engine is there (enabled on first use; the flag only adds the `l` flag). */
function hasLinearEngine(): boolean {
  if (linearEngine === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      // biome-ignore lint/complexity/useRegexLiterals: a literal with the `l` flag is a syntax error where the engine is missing
      linearEngine = new RegExp('a', 'l').flags.includes('l');
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/**
 * A repeated group that itself contains a quantifier or an alternation: the shape of every
 * exponential backtracking pattern (`(a+)+`, `(a*)*`, `(a|a)+`, `(\w+\s?)*`). Escapes and character
 * classes are skipped. Conservative: it also refuses some harmless patterns, which only matters when
 * the linear engine is missing.
 */
export function hasNestedRepetition(pattern: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  let lastClosedRisky = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      lastClosedRisky = false;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    const quantifier = ch === '*' || ch === '+' || ch === '{' || ch === '?';
    if (quantifier && lastClosedRisky && ch !== '?') return true;
    lastClosedRisky = false;
    if (ch === '[') inClass = true;
    else if (ch === '(') groups.push(false);
    else if (ch === ')') {
      const risky = groups.pop() ?? false;
      lastClosedRisky = risky;
      if (risky && groups.length > 0) groups[groups.length - 1] = true;
    } else if ((ch === '|' || (quantifier && ch !== '?')) && groups.length > 0) {
      groups[groups.length - 1] = true;
    }
  }
  return false;
}

/**
 * Compiles a policy pattern (no flags: case-sensitive, as written; the linear-time engine has no
 * case-insensitive mode) so that matching takes time linear in the input.
 * @throws SyntaxError when it is no regular expression at all.
 * @throws UnsafePatternError when it cannot be matched in linear time.
 */
export function compileSafePattern(pattern: string): RegExp {
  // An ordinary compile first, so a plain syntax error reads as one.
  new RegExp(pattern);
  if (hasLinearEngine()) {
    try {
      return new RegExp(pattern, 'l');
    } catch (error) {
      throw new UnsafePatternError(
        'cannot be matched in linear time (backreferences, lookahead, deeply nested counted repetition and, on Node 20, lookbehind are not supported, so a pattern can never hang a run)',
        { cause: error },
      );
    }
  }
  if (hasNestedRepetition(pattern)) {
    throw new UnsafePatternError('a repeated group that repeats or alternates inside, such as (a+)+, can take for ever to match; rewrite it without the nesting');
  }
  return new RegExp(pattern);
}

const compiledPatterns = new Map<string, RegExp>();

/**
 * {@link compileSafePattern}, compiled once per pattern: the rules match the same policy
 * patterns against every account. Patterns reach the rules only after the policy loader accepted them.
 */
export function policyPattern(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    regex = compileSafePattern(pattern);
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}
