/** Longest cell text an error message repeats; a 10 MB cell must not become a 10 MB message. */
export const MAX_QUOTED_CHARS = 80;

/** A cell as an error message quotes it: whole when short, else its start and its length. */
export function quoteCell(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return `'${text}'`;
  return `'${text.slice(0, MAX_QUOTED_CHARS)}…' (${text.length} characters)`;
}
