/**
 * The render thread: renders templates against the snapshot each request
 * carries, so that a slow or hostile template keeps this thread busy and not
 * the engine's (the control API, the tray and the hits keep answering). It
 * starts with an empty environment: what a template may read of the engine's
 * comes in the snapshot.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileTemplate, type CompiledTemplate } from '../template/index.js';
import { renderTemplate } from '../template/template.js';
import type { RenderReply, RenderRequest, WorkerReady } from './render-protocol.js';
import { SnapshotData } from './render-snapshot.js';

const progress = (workerData as { progress?: Int32Array } | undefined)?.progress;
let compiled: CompiledTemplate | undefined;

function compiledFor(name: string, source: string): CompiledTemplate {
  if (compiled?.name !== name || compiled.source !== source) compiled = compileTemplate(source, name);
  return compiled;
}

function render(request: RenderRequest): RenderReply {
  try {
    const data = new SnapshotData(request.snapshot);
    const result = renderTemplate(
      compiledFor(request.name, request.source),
      data,
      request.limits,
      progress ? { progress } : {},
    );
    return { id: request.id, ok: true, ...result, envMisses: [...data.envMisses] };
  } catch (error) {
    const reply: RenderReply = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
    const position = error as { line?: unknown; column?: unknown };
    if (typeof position.line === 'number') reply.line = position.line;
    if (typeof position.column === 'number') reply.column = position.column;
    return reply;
  }
}

parentPort?.on('message', (request: RenderRequest) => parentPort?.postMessage(render(request)));
parentPort?.postMessage({ ready: true } satisfies WorkerReady);
