/**
 * Server-Sent Events read back: the frames of a response body, each with its
 * `event:` name and its `data:` line as text. The engine writes one data line
 * per frame (JSON), so multi-line data is not joined here.
 */
export interface SseFrame {
  event: string;
  data: string;
}

export async function* sseFrames(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      // Comment frames (keep-alives) carry neither.
      if (event !== undefined && data !== undefined) yield { event, data };
    }
  }
}
