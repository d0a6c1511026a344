// The model: its card and metrics, the training loss curve, a playground, the classifier and retraining.
import { h, field, clear } from './dom.js';
import { get, post, onSubmit, problemBox } from './api.js';
import { lineChart, barChart } from './charts.js';

/** A loss history somewhere in the metrics: an array of numbers or of {step, loss}, under a key that says loss. */
export function lossCurve(metrics) {
  const found = [];
  const visit = (value, key) => {
    if (Array.isArray(value) && value.length > 1 && /loss|history|curve/i.test(key)) {
      const points = value.map((p, i) => (typeof p === 'number' ? { x: i, y: p }
        : p && typeof p === 'object' ? { x: Number(p.step ?? i), y: Number(p.loss ?? p.train_loss ?? p.trainLoss) } : null))
        .filter((p) => p && Number.isFinite(p.x) && Number.isFinite(p.y));
      if (points.length > 1) found.push({ key, points });
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, k);
    }
  };
  visit(metrics, '');
  if (!found.length) return null;
  const { key, points } = found[0];
  // A few hundred points draw the shape; thousands only slow the page.
  const every = Math.ceil(points.length / 300);
  return { key, points: points.filter((p, i) => i % every === 0 || i === points.length - 1) };
}

function metricRows(metrics, prefix = '') {
  const rows = [];
  for (const [key, value] of Object.entries(metrics || {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === null || Array.isArray(value)) continue;
    if (typeof value === 'object') rows.push(...metricRows(value, name));
    else rows.push([name, typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(4) : String(value)]);
  }
  return rows;
}

export async function modelPage(root) {
  root.append(h('h1', {}, 'Model'));
  const card = h('section', { class: 'card wide', 'aria-labelledby': 'card-h' }, h('h2', { id: 'card-h' }, 'Model card'));
  root.append(card);
  let model;
  try {
    model = await get('/api/model');
  } catch (e) {
    card.append(e.status === 404 ? h('p', { class: 'muted' }, 'This server has no model endpoints yet.') : problemBox(e));
    return;
  }
  const rows = [['Name', model.name], ['Parameters', model.parameters != null ? Number(model.parameters).toLocaleString() : null],
    ['Vocabulary', model.vocabSize], ['Context length', model.contextLength], ['Device', model.device], ['Runtime', model.runtime],
    ['Labels', (model.labels || []).join(', ')]];
  card.append(h('dl', { class: 'facts' }, rows.filter(([, v]) => v != null && v !== '').map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])));
  if (model.deviceNote) card.append(h('p', { class: 'warn' }, model.deviceNote));
  const metrics = metricRows(model.metrics);
  if (metrics.length) {
    card.append(h('table', {}, h('caption', {}, 'Metrics'),
      h('tbody', {}, metrics.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))))));
  }
  const curve = lossCurve(model.metrics);
  if (curve) {
    const last = curve.points[curve.points.length - 1];
    root.append(h('section', { class: 'card wide', 'aria-labelledby': 'loss-h' }, h('h2', { id: 'loss-h' }, 'Training loss'),
      lineChart(curve.points, { label: `${curve.key}: from ${curve.points[0].y.toFixed(3)} at step ${curve.points[0].x} to ${last.y.toFixed(3)} at step ${last.x}`, numericX: true })));
  }
  if (model.monitoring) root.append(monitoringSection(model.monitoring));
  const grid = h('div', { class: 'grid' });
  root.append(grid);
  grid.append(playground(), classifier(model));
}

const pct = (v) => (v == null ? '–' : `${Math.round(v * 100)}%`);

/**
 * The classifier in use, from the user's own corrections (GET /api/model monitoring): corrections, agreement, and the
 * labels it gives against the mix it was trained on, with the population stability index.
 */
export function monitoringSection(m) {
  const section = h('section', { class: 'card wide', 'aria-labelledby': 'monitor-h', id: 'monitoring' },
    h('h2', { id: 'monitor-h' }, `The classifier in use (last ${m.windowDays} days)`));
  const driftText = m.drift == null
    ? `not measured yet (needs 20 labels given; ${m.predicted} so far)`
    : `${m.drift} (PSI ${m.psi.toFixed(3)}: under 0.1 none, 0.1–0.25 moderate, over 0.25 significant)`;
  section.append(h('dl', { class: 'facts' },
    [['Labels given', m.predicted], ['Labels you reviewed', m.reviewed], ['Corrected', m.corrections],
      ['Agreement with you', m.agreementRate == null ? 'nothing reviewed yet' : pct(m.agreementRate)],
      ['Corrections, all time', m.correctionsAllTime], ['Drift from the training mix', driftText]]
      .map(([k, v]) => [h('dt', {}, k), h('dd', { dataset: { figure: k } }, String(v))])));
  const labels = [...new Set([...Object.keys(m.trainingMix || {}), ...Object.keys(m.predictedMix || {})])].sort();
  if (labels.length) {
    if (Object.keys(m.predictedMix || {}).length) {
      section.append(barChart(labels.map((l) => ({
        tick: l, value: Math.round((m.predictedMix[l] || 0) * 100),
        title: `${l}: ${pct(m.predictedMix[l] || 0)} of the labels given, ${pct((m.trainingMix || {})[l] || 0)} of the training items`,
      })), { label: 'Share of each label among the labels given in the last 30 days', unit: '%' }));
    }
    section.append(h('table', { class: 'mix' }, h('caption', {}, 'Label mix: in use and in training'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'label'), h('th', { scope: 'col' }, 'given (30 days)'),
        h('th', { scope: 'col' }, 'trained on'))),
      h('tbody', {}, labels.map((l) => h('tr', {}, h('th', { scope: 'row' }, l),
        h('td', {}, pct((m.predictedMix || {})[l] || 0)), h('td', {}, pct((m.trainingMix || {})[l] || 0)))))));
  }
  section.append(h('p', { class: 'muted' }, 'Agreement counts only the labels you reviewed, and people mostly review the '
    + 'ones they disagree with: read it as a floor on accuracy. Correct a label by clicking its chip; "Retrain on my labels" '
    + 'learns from your corrections.'));
  return section;
}

function playground() {
  const output = h('pre', { class: 'output', 'aria-live': 'polite' });
  const speed = h('p', { class: 'muted', role: 'status' });
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
    const perSecond = result.tokensPerSecond != null ? result.tokensPerSecond
      : result.tookMs ? result.tokens / (result.tookMs / 1000) : null;
    speed.textContent = `${result.tokens} tokens in ${result.tookMs} ms` + (perSecond != null ? ` · ${perSecond.toFixed(1)} tokens/s` : '')
      + (result.seed != null ? ` · seed ${result.seed}` : '');
  });
  return h('section', { class: 'card wide', 'aria-labelledby': 'play-h' }, h('h2', { id: 'play-h' }, 'Playground'), form, speed, output);
}

function classifier(model) {
  const section = h('section', { class: 'card wide', 'aria-labelledby': 'classify-h' }, h('h2', { id: 'classify-h' }, 'Classifier'));
  const scores = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline' }, field('Text', h('input', { name: 'text', required: true })), h('button', { type: 'submit' }, 'Classify'));
  onSubmit(form, async (v) => {
    const result = await post('/api/llm/classify', { text: v.text });
    const entries = Object.entries(result.scores || {}).sort((a, b) => b[1] - a[1]);
    clear(scores).append(h('p', { class: 'big' + (result.unsure ? ' unsure' : '') },
      result.unsure ? `${result.label}? (unsure: ${Math.round(result.confidence * 100)}%)` : result.label),
      entries.length ? barChart(entries.map(([label, p]) => ({ label, value: Math.round(p * 100), tick: label, title: `${label}: ${(p * 100).toFixed(1)}%` })),
        { label: entries.map(([l, p]) => `${l} ${(p * 100).toFixed(0)}%`).join(', '), unit: '%' }) : null);
  });
  const labelsLine = h('p', { class: 'muted' }, labelsText(model));
  const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Retraining progress', hidden: true });
  const jobStatus = h('div', { role: 'status', 'aria-live': 'polite' });
  const retrain = h('button', { type: 'button' }, 'Retrain on my labels');
  retrain.addEventListener('click', async () => {
    retrain.disabled = true;
    clear(jobStatus);
    try {
      let jobId;
      try {
        ({ jobId } = await post('/api/model/retrain'));
      } catch (e) {
        // One of your jobs is already queued or running: follow that one instead.
        if (e.status === 409 && e.problem && e.problem.existingId) jobId = e.problem.existingId;
        else throw e;
      }
      const job = await follow(jobId, progress, jobStatus);
      if (job.status === 'done') {
        // The new classifier serves at once: show its labels.
        const fresh = await get('/api/model');
        labelsLine.textContent = labelsText(fresh);
      }
    } catch (e) {
      // A server without the retraining endpoint says 404: say so plainly instead of showing a problem box.
      progress.hidden = true;
      clear(jobStatus).append(e.status === 404 ? h('p', { class: 'muted' }, 'This server cannot retrain the model yet.') : problemBox(e));
    } finally {
      retrain.disabled = false;
    }
  });
  section.append(labelsLine, form, scores,
    h('p', {}, 'Labels you set on log items and notes become training data: retraining teaches your classifier your labels (at least two labels with two items each).'),
    retrain, progress, jobStatus);
  return section;
}

function labelsText(model) {
  if (!model.labels || !model.labels.length) return 'No classifier installed.';
  return (model.classifierVersion ? `Your labels (retrained, version ${model.classifierVersion}): ` : 'Labels: ') + model.labels.join(', ');
}

/** Polls a retraining job until it is done or failed, showing its progress; answers the last state. */
async function follow(jobId, progress, jobStatus) {
  progress.hidden = false;
  const line = h('p', {});
  clear(jobStatus).append(line);
  for (;;) {
    const job = await get(`/api/model/jobs/${jobId}`);
    // Progress as a fraction, whether the server counts 0..1 or 0..100.
    const fraction = job.progress > 1 ? job.progress / 100 : job.progress || 0;
    progress.value = fraction;
    line.textContent = `Retraining: ${job.status} (${Math.round(fraction * 100)}%)`;
    if (job.status === 'done') {
      progress.hidden = true;
      line.textContent = 'Retrained: your classifier now uses your labels.';
      const m = job.metrics || {};
      const rows = [['Items', m.examples], ['Labels', (m.labels || []).join(', ')],
        ['Accuracy on the training items', percent(m.trainAccuracy)],
        ['Accuracy on held-out items', m.heldOutAccuracy != null ? `${percent(m.heldOutAccuracy)} of ${m.heldOutExamples}` : 'too few items to hold some out'],
        ['Left out (fewer than 2 items)', (m.skippedLabels || []).join(', ')], ['Version', m.version]];
      jobStatus.append(h('dl', { class: 'facts' }, rows.filter(([, v]) => v != null && v !== '')
        .map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])));
      return job;
    }
    if (job.status === 'failed') {
      progress.hidden = true;
      line.textContent = 'Retraining failed; your previous classifier keeps serving.';
      jobStatus.append(h('p', { class: 'warn' }, job.error || 'No reason was given.'));
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function percent(x) {
  return x == null ? null : `${(x * 100).toFixed(1)}%`;
}

/** "Summarize" for a book's or a paper's notes, through the model. */
export function summarizeButton(label, body) {
  const out = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'secondary' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    clear(out);
    try {
      const result = await post('/api/llm/summarize', body);
      out.append(h('blockquote', { class: 'summary' }, result.summary), h('p', { class: 'muted' }, `${result.tookMs} ms`));
    } catch (e) {
      out.append(e.status === 404 ? h('p', { class: 'muted' }, 'This server has no model endpoints yet.') : problemBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'summarize' }, button, out);
}
