/** Configs that would break a careless encoding: whitespace at either end, backslashes, escapes, UTF-8. */
export const TRICKY_CONFIGS = [
  'upstream app {\n  server 10.0.0.1:80;\n}\n',
  '  leading and trailing blanks\t \n\n',
  'a backslash \\ and \\c and \\0101 and \\n stay as they are',
  'after a newline\n123 digits stay digits\r\n',
  'quotes \' " $HOME `id` %s %b %% are just text',
  'non-ASCII: café, 日本, 🙂',
  'x'.repeat(100_000),
];
