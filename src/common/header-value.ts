/** A request or message header's value: the first when the header was sent more than once. */
export function headerValue<T>(header: T | T[] | undefined): T | undefined {
  return Array.isArray(header) ? header[0] : header;
}
