// The model: its card, the training loss curve, and a playground for generating text.
import { h, field, clear } from './dom.js';
import { get, post, onSubmit, problemBox } from './api.js';
import { barChart } from './charts.js';

export async function modelPage(root) {
  root.append(h('h1', {}, 'Model'));
  const card = h('section', { class: 'card wide', 'aria-labelledby': 'card-h' }, h('h2', { id: 'card-h' }, 'Model card'));
  root.append(card);
  let model;
  try {
    model = await get('/api/model');
  } catch (e) {
    card.append(e.status === 404
      ? h('p', { class: 'muted' }, 'This server has no model endpoints yet.')
      : problemBox(e));
    return;
  }
  const rows = [['Name', model.name], ['Parameters', model.parameters != null ? Number(model.parameters).toLocaleString() : null],
    ['Vocabulary', model.vocabSize], ['Context length', model.contextLength], ['Device', model.device], ['Runtime', model.runtime],
    ['Labels', (model.labels || []).join(', ')]];
  card.append(h('dl', { class: 'facts' }, rows.filter(([, v]) => v != null && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])));
  const metrics = model.metrics || {};
  const scalars = Object.entries(metrics).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
  if (scalars.length) {
    card.append(h('table', {}, h('caption', {}, 'Metrics'), h('tbody', {}, scalars.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, String(v)))))));
  }
  // The loss curve, when the model reports one: an array of numbers or of {step, loss}.
  const curve = Object.entries(metrics).find(([k, v]) => /loss/i.test(k) && Array.isArray(v));
  if (curve) {
    const values = curve[1].map((p, i) => (typeof p === 'number' ? { step: i, loss: p } : p));
    root.append(h('section', { class: 'card wide', 'aria-labelledby': 'loss-h' }, h('h2', { id: 'loss-h' }, 'Training loss'),
      barChart(values.map((p) => ({ label: `step ${p.step}`, value: p.loss, title: `step ${p.step}: ${p.loss}` })), { label: `Training loss over ${values.length} points` })));
  }

  const output = h('pre', { class: 'output', 'aria-live': 'polite' });
  const form = h('form', { novalidate: true },
    field('Prompt', h('textarea', { name: 'prompt', rows: 3, required: true })),
    h('div', { class: 'row' },
      field('Max tokens', h('input', { name: 'maxTokens', type: 'number', value: 100, min: 1 })),
      field('Temperature', h('input', { name: 'temperature', type: 'number', value: 0.8, step: 0.1, min: 0 })),
      field('Top-k', h('input', { name: 'topK', type: 'number', value: 40, min: 0 })),
      field('Top-p', h('input', { name: 'topP', type: 'number', value: 0.95, step: 0.05, min: 0, max: 1 })),
      field('Seed', h('input', { name: 'seed', type: 'number' }))),
    h('button', { type: 'submit' }, 'Generate'));
  onSubmit(form, async (v) => {
    const body = { prompt: v.prompt };
    for (const key of ['maxTokens', 'temperature', 'topK', 'topP', 'seed']) if (v[key] !== '') body[key] = Number(v[key]);
    const result = await post('/api/llm/generate', body);
    clear(output).append(result.text);
    form.querySelector('.speed')?.remove();
    const perSecond = result.tookMs ? (result.tokens / (result.tookMs / 1000)).toFixed(1) : '?';
    form.append(h('p', { class: 'muted speed' }, `${result.tokens} tokens in ${result.tookMs} ms · ${perSecond} tokens/s`));
  });
  root.append(h('section', { class: 'card wide', 'aria-labelledby': 'play-h' }, h('h2', { id: 'play-h' }, 'Playground'), form, output));
}
