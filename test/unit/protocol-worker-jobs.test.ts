// The real worker jobs on real models: in-process through runJob, and end to end through the
// WorkerPool running src/worker/worker.ts in a thread (transpiled on load, as mocha does).
import { strict as assert } from 'node:assert';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { WorkerPool } from '../../src/worker/pool';
import { clearModelCache, errorLine, runJob } from '../../src/worker/jobs';

const root = path.resolve(__dirname, '../..');
const resnet = path.join(root, 'test/fixtures/models/resnet18.onnx');

describe('protocol: worker jobs', () => {
  afterEach(() => clearModelCache());

  it('summarizes a model from its path', async () => {
    const stages: string[] = [];
    const r = await runJob({ type: 'summarize', path: resnet }, (d) => stages.push(d));
    assert.equal(r.byteLength, statSync(resnet).size);
    assert.ok(r.summary.nodeCount > 0);
    assert.equal(r.summary.layers.length, r.summary.nodeCount);
    assert.ok(r.summary.reluSites.length > 0, 'ResNet-18 has ReLU sites');
    assert.ok(stages.includes('Summarizing…'));
    // Plain data: survives structured cloning / JSON unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(r.summary)), r.summary);
  });

  it('summarizes bytes read by the host', async () => {
    const bytes = new Uint8Array(readFileSync(resnet));
    const r = await runJob({ type: 'summarize', path: '/remote/resnet18.onnx', bytes });
    assert.ok(r.summary.nodeCount > 0);
  });

  it('renders text with a line for every node', async () => {
    const { summary } = await runJob({ type: 'summarize', path: resnet });
    const r = await runJob({ type: 'text', path: resnet });
    const lines = r.text.split('\n');
    assert.equal(r.layerLines.length, summary.nodeCount);
    r.layerLines.forEach((line, i) => {
      assert.ok(line >= 0 && line < lines.length, `node ${i} has a line`);
      assert.ok(lines[line].includes(summary.layers[i].opType), `line ${line} shows ${summary.layers[i].opType}`);
    });
  });

  it('fails a corrupt model with a one-line message naming the file', async () => {
    const bytes = new Uint8Array(readFileSync(resnet)).slice(0, 200);
    await assert.rejects(
      runJob({ type: 'summarize', path: '/x/cut.onnx', bytes }),
      (e: unknown) => errorLine(e).includes('cut.onnx') && !errorLine(e).includes('\n'),
    );
  });

  it('rejects an unknown job type', async () => {
    await assert.rejects(runJob({ type: 'nope', path: resnet } as never), /unknown worker job type "nope"/);
  });

  it('runs through a real worker thread', async () => {
    const boot = `require(${JSON.stringify(path.join(root, 'test/register-ts.js'))}); require(${JSON.stringify(path.join(root, 'src/worker/worker.ts'))});`;
    const pool = new WorkerPool({ script: boot, size: 1, workerOptions: { eval: true } });
    try {
      const r = await pool.run({ type: 'summarize', path: resnet });
      assert.ok(r.summary.reluSites.length > 0);
      await assert.rejects(pool.run({ type: 'summarize', path: path.join(root, 'package.json') }), (e: Error) => e.message.includes('package.json') && !e.message.includes('\n'));
      await assert.rejects(pool.run({ type: 'summarize', path: '/nonexistent/m.onnx' }), /m\.onnx/);
    } finally {
      pool.dispose();
    }
  });
});
