// Load a `cassim run --trace` file in Chrome DevTools' trace engine (the
// npm package @paulirish/trace_engine, the Performance panel's model) and
// print what it made of it as one JSON line:
//   {"errors": [what it logged with console.error/warn],
//    "slices": complete events on the CPU threads,
//    "flows": [[[ts, pid, tid] of each event of a flow], ...]}
// Usage: node trace-engine.mjs ENGINE-DIR TRACE.json
// ENGINE-DIR: the package's directory (.../node_modules/@paulirish/trace_engine).
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const [dir, file] = process.argv.slice(2);
const url = (f) => pathToFileURL(path.join(dir, f)).href;
const errors = [];
for (const k of ['error', 'warn'])
	console[k] = (...a) => errors.push(a.join(' '));

// The engine runs in a page; the package's own script supplies DOMRect.
const {polyfillDOMRect} = await import(url('analyze-trace.mjs'));
const Trace = await import(url('models/trace/trace.js'));
polyfillDOMRect();
const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents);
const data = model.parsedTrace().data;
let slices = 0;
for (const [, p] of data.Renderer.processes)
	for (const [, t] of p.threads)
		slices += t.entries.filter(e => e.ph === 'X').length;
const flows = data.Flows.flows.map(f => f.map(e => [e.ts, e.pid, e.tid]));
process.stdout.write(JSON.stringify({errors, slices, flows}) + '\n');
