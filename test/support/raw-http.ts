import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json: any;
}

/**
 * Writes `head` (and then `body`, if any) to a fresh TCP connection exactly as given, so that
 * request lines no HTTP client would produce (absolute-form targets, dot segments, odd Host
 * headers, a body shorter than its Content-Length) reach the server unchanged. Resolves with the
 * first response as soon as its headers and Content-Length bytes have arrived; rejects after
 * `timeoutMs` without one.
 */
export function rawHttp(port: number, head: string, body?: Buffer | string, timeoutMs = 5000, headRequest = /^HEAD /.test(head)): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (r: RawResponse) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      // A HEAD answer announces the length of a body it does not send.
      const length = headRequest ? 0 : Number(headers['content-length'] ?? 0);
      const rest = buf.subarray(end + 4);
      if (rest.length < length) return;
      const text = rest.subarray(0, length).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      finish({ status: Number(statusLine.split(' ')[1]), headers, body: text, json });
    });
    socket.write(head);
    if (body !== undefined) socket.write(body);
  });
}

/** A request head with CRLF line ends and the blank line that ends it. */
export function requestHead(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n\r\n`;
}
