/**
 * Python's `repr()` of a `str`, for the messages that quote one: `OSError.__str__`'s
 * filename (`Objects/exceptions.c` `OSError_str`) and the selectors' "Invalid file
 * object: …" (`Objects/unicodeobject.c` `unicode_repr`).
 *
 * @module
 */

/**
 * A string quoted the way Python's `repr(str)` quotes it: single quotes unless the
 * text has a single quote and no double one; backslash, the quote, `\n`, `\r`, `\t`
 * escaped, and the other C0 and C1 controls (and DEL) as `\xNN`.
 */
export function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      out += "\\x" + code.toString(16).padStart(2, "0");
    } else out += ch;
  }
  return out + quote;
}
