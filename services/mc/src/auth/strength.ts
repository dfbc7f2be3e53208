import { COMMON_WORDS } from './strength-words';

/**
 * A compact zxcvbn-style guess estimator (the original uses a Go port of zxcvbn): the
 * password is covered by the cheapest sequence of patterns — dictionary words (also
 * reversed, capitalised or with l33t substitutions), sequences (`abc`, `4321`), repeats
 * (`aaaa`, `abab`), recent years — with brute force (10 guesses per character) between
 * them. As in zxcvbn a sequence of `l` patterns costs `l! · Π guesses + 10000^(l-1)`, so
 * gluing known pieces together does not look stronger than it is. Computed in log10 so
 * long passwords do not overflow.
 */
export function estimateGuesses(password: string): number {
  const chars = [...password].slice(0, MAX_ANALYSED);
  if (chars.length === 0) return 1;
  const log = minimumLogGuesses(chars);
  return Math.min(10 ** log, MAX_GUESSES);
}

/** Longer passwords are judged by their first part (already far beyond any threshold unless degenerate). */
const MAX_ANALYSED = 128;
const MAX_GUESSES = 1e300;
const MAX_REPEAT_UNIT = 32;
const BRUTEFORCE_CARDINALITY = 10;
const MIN_GUESSES_BEFORE_GROWING_SEQUENCE = 10_000;
const MIN_SUBMATCH_SINGLE = 10;
const MIN_SUBMATCH_MULTI = 50;
const REFERENCE_YEAR = 2020;
const MIN_YEAR_SPACE = 20;

const RANKS: ReadonlyMap<string, number> = new Map(COMMON_WORDS.map((w, i) => [w, i + 1]));
const MAX_WORD = Math.max(...COMMON_WORDS.map((w) => w.length));
const L33T: Readonly<Record<string, string>> = {
  '4': 'a',
  '@': 'a',
  '8': 'b',
  '(': 'c',
  '3': 'e',
  '6': 'g',
  '1': 'i',
  '!': 'i',
  '|': 'l',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
  '2': 'z',
};

/** A pattern covering chars[i..j] (inclusive) and the log10 of its guesses. */
interface Match {
  readonly i: number;
  readonly j: number;
  readonly logGuesses: number;
}

const log10 = Math.log10;
/** log10(10^a + 10^b). */
const logAdd = (a: number, b: number): number => Math.max(a, b) + log10(1 + 10 ** -Math.abs(a - b));

function nCk(n: number, k: number): number {
  let r = 1;
  for (let d = 1; d <= k; d++) r = (r * (n - k + d)) / d;
  return r;
}

/** zxcvbn's uppercase variations: lower 1, Capitalised/ALLCAPS/lasT 2, else the mixes. */
function uppercaseVariations(word: string): number {
  if (word === word.toLowerCase()) return 1;
  if (/^[A-Z][^A-Z]+$/.test(word) || /^[^A-Z]+[A-Z]$/.test(word) || /^[^a-z]+$/.test(word)) return 2;
  const u = [...word].filter((c) => /[A-Z]/.test(c)).length;
  const l = [...word].filter((c) => /[a-z]/.test(c)).length;
  let v = 0;
  for (let k = 1; k <= Math.min(u, l); k++) v += nCk(u + l, k);
  return Math.max(v, 1);
}

function dictionaryMatches(chars: readonly string[]): Match[] {
  const out: Match[] = [];
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < Math.min(n, i + MAX_WORD); j++) {
      const raw = chars.slice(i, j + 1).join('');
      const lower = raw.toLowerCase();
      const caseVar = uppercaseVariations(raw);
      const direct = RANKS.get(lower);
      if (direct !== undefined) out.push({ i, j, logGuesses: log10(direct * caseVar) });
      const reversed = RANKS.get([...lower].reverse().join(''));
      if (reversed !== undefined) out.push({ i, j, logGuesses: log10(reversed * caseVar * 2) });
      const subs = [...lower].filter((c) => L33T[c] !== undefined).length;
      if (subs > 0) {
        const unl33t = [...lower].map((c) => L33T[c] ?? c).join('');
        const rank = RANKS.get(unl33t);
        if (rank !== undefined) out.push({ i, j, logGuesses: log10(rank * caseVar * 2 ** subs) });
      }
    }
  }
  return out;
}

/** Runs of ≥ 3 characters with a constant step of ±1 or ±2 (`abc`, `9753`). */
function sequenceMatches(chars: readonly string[]): Match[] {
  const out: Match[] = [];
  const codes = chars.map((c) => c.codePointAt(0)!);
  let i = 0;
  while (i < codes.length - 2) {
    const delta = codes[i + 1]! - codes[i]!;
    let j = i + 1;
    if (delta !== 0 && Math.abs(delta) <= 2) {
      while (j + 1 < codes.length && codes[j + 1]! - codes[j]! === delta) j++;
    }
    if (j - i >= 2) {
      const first = chars[i]!;
      const base = 'aAzZ019'.includes(first) ? 4 : /\d/.test(first) ? 10 : /[a-z]/.test(first) ? 26 : 52;
      out.push({ i, j, logGuesses: log10(base * (j - i + 1) * (delta < 0 ? 2 : 1)) });
      i = j;
    } else i++;
  }
  return out;
}

/** A unit repeated (`aaaa`, `abcabc`): the unit's own guesses times the repeat count. */
function repeatMatches(chars: readonly string[], memo: Map<string, number>): Match[] {
  const out: Match[] = [];
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    for (let unit = 1; unit <= Math.min(MAX_REPEAT_UNIT, Math.floor((n - i) / 2)); unit++) {
      // only repeats that cannot be extended one character to the left
      if (i > 0 && chars[i - 1] === chars[i - 1 + unit]) continue;
      let count = 1;
      while (i + (count + 1) * unit <= n) {
        let same = true;
        for (let k = 0; k < unit && same; k++) same = chars[i + count * unit + k] === chars[i + k];
        if (!same) break;
        count++;
      }
      if (count >= 2 && (unit > 1 || count >= 3)) {
        const key = chars.slice(i, i + unit).join('');
        let unitLog = memo.get(key);
        if (unitLog === undefined) {
          unitLog = minimumLogGuesses(chars.slice(i, i + unit), memo);
          memo.set(key, unitLog);
        }
        out.push({ i, j: i + count * unit - 1, logGuesses: unitLog + log10(count) });
      }
    }
  }
  return out;
}

/** 19xx / 20xx: years near now are guessed first. */
function yearMatches(chars: readonly string[]): Match[] {
  const out: Match[] = [];
  const s = chars.join('');
  for (const m of s.matchAll(/(?=(19\d\d|20\d\d))/g)) {
    const i = [...s.slice(0, m.index)].length;
    const year = Number(m[1]);
    out.push({ i, j: i + 3, logGuesses: log10(Math.max(Math.abs(year - REFERENCE_YEAR), MIN_YEAR_SPACE)) });
  }
  return out;
}

function bruteforceLog(len: number, whole: boolean): number {
  const g = BRUTEFORCE_CARDINALITY ** len;
  return log10(whole ? g : Math.max(g, len === 1 ? MIN_SUBMATCH_SINGLE + 1 : MIN_SUBMATCH_MULTI + 1));
}

/**
 * zxcvbn's "most guessable match sequence" search: for every end position and sequence
 * length keep the cheapest product of guesses; brute force fills the gaps but two brute
 * force pieces never touch (they would be one piece).
 */
function minimumLogGuesses(chars: readonly string[], memo = new Map<string, number>()): number {
  const n = chars.length;
  const byEnd: Match[][] = Array.from({ length: n }, () => []);
  for (const m of [
    ...dictionaryMatches(chars),
    ...sequenceMatches(chars),
    ...repeatMatches(chars, memo),
    ...yearMatches(chars),
  ]) {
    const whole = m.i === 0 && m.j === n - 1;
    const min = m.j === m.i ? MIN_SUBMATCH_SINGLE : MIN_SUBMATCH_MULTI;
    byEnd[m.j]!.push({ ...m, logGuesses: whole ? m.logGuesses : Math.max(m.logGuesses, log10(min)) });
  }
  // best[k]: sequence length → {log product, its score, last match was brute force}
  const best: Map<number, { pi: number; g: number; bf: boolean }>[] = Array.from(
    { length: n },
    () => new Map(),
  );
  const logFact = [0];
  for (let l = 1; l <= n; l++) logFact.push(logFact[l - 1]! + log10(l));
  const growth = log10(MIN_GUESSES_BEFORE_GROWING_SEQUENCE);
  const update = (k: number, l: number, pi: number, bf: boolean): void => {
    const g = logAdd(logFact[l]! + pi, (l - 1) * growth);
    for (const [l2, e] of best[k]!) if (l2 <= l && e.g <= g) return;
    best[k]!.set(l, { pi, g, bf });
  };
  for (let k = 0; k < n; k++) {
    for (const m of byEnd[k]!) {
      if (m.i === 0) update(k, 1, m.logGuesses, false);
      else for (const [l, e] of best[m.i - 1]!) update(k, l + 1, e.pi + m.logGuesses, false);
    }
    update(k, 1, bruteforceLog(k + 1, k === n - 1), true);
    for (let i = 1; i <= k; i++) {
      for (const [l, e] of best[i - 1]!) {
        if (!e.bf) update(k, l + 1, e.pi + bruteforceLog(k - i + 1, false), true);
      }
    }
  }
  let min = Infinity;
  for (const e of best[n - 1]!.values()) min = Math.min(min, e.g);
  return min;
}
