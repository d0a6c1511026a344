// Daily log: a day's three sections with label chips, pasting or typing the log, and the days before.
import { h, field, clear, today, addDays, formatDay } from './dom.js';
import { get, getText, put, patch, onSubmit, problemBox } from './api.js';
import { labelChip } from './labels.js';

const SECTIONS = [['finished', 'Finished'], ['workingOn', 'Working on'], ['plan', 'Plan'], ['other', 'Other']];
const EXAMPLE = '[ML Grind] Finished: > read the attention paper Have been working on: > tokenizer Plan for today: > train a small model';

export async function logPage(root, date) {
  const day = date || today();
  const isToday = day === today();
  root.append(
    h('h1', {}, isToday ? "Today's log" : 'Log of ' + formatDay(day)),
    h('nav', { class: 'day-nav', 'aria-label': 'Days' },
      h('a', { href: `#/log/${addDays(day, -1)}` }, '← Previous day'),
      isToday ? null : h('a', { href: '#/log' }, 'Today'),
      isToday ? null : h('a', { href: `#/log/${addDays(day, 1)}` }, 'Next day →'),
      (() => {
        const picker = h('input', { type: 'date', name: 'day', value: day, max: today() });
        const form = h('form', { class: 'inline' }, field('Go to', picker), h('button', { type: 'submit' }, 'Go'));
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          if (picker.value) location.hash = `#/log/${picker.value}`;
        });
        return form;
      })()));

  const sections = h('section', { class: 'card wide log-view', 'aria-labelledby': 'sections-h', 'aria-live': 'polite' });
  const editor = h('section', { class: 'card', 'aria-labelledby': 'editor-h' });
  const past = h('section', { class: 'card', 'aria-labelledby': 'past-h' }, h('h2', { id: 'past-h' }, 'Past days'));
  const week = h('section', { class: 'card wide digest', id: 'digest', 'aria-labelledby': 'digest-h', 'aria-live': 'polite' },
    h('h2', { id: 'digest-h' }, 'This week'));
  root.append(h('div', { class: 'grid' }, sections, editor, week, past));

  // A range of one day answers [] rather than a 404 when the day has no log.
  const [log] = await get(`/api/logs?from=${day}&to=${day}`);
  renderSections(sections, log, day);
  const markdown = log ? await getText(`/api/logs/${day}`, 'text/markdown').catch(() => '') : '';

  const text = h('textarea', { name: 'body', rows: 10, placeholder: EXAMPLE, value: markdown });
  const form = h('form', { novalidate: true },
    h('h2', { id: 'editor-h' }, log ? 'Edit the log' : 'Write the log'),
    field('Paste the "[ML Grind]" text or type items', text,
      'Sections start with "Finished:", "Have been working on:" and "Plan for today:" (or ## headings); items after ">" or "-".'),
    h('button', { type: 'submit' }, 'Save log'));
  onSubmit(form, async (v) => {
    const saved = await put(`/api/logs/${day}`, v.body, 'text/plain');
    renderSections(sections, saved, day);
    sections.querySelector('h2').focus();
    loadDigest(week, day);
  });
  editor.append(form);
  loadDigest(week, day);

  const logs = await get(`/api/logs?from=${addDays(day, -29)}&to=${day}`).catch((e) => {
    past.append(problemBox(e));
    return [];
  });
  const days = logs.filter((l) => l.date !== day).reverse();
  past.append(days.length
    ? h('ul', { class: 'past-days' }, days.map((l) => h('li', {},
      h('a', { href: `#/log/${l.date}` }, formatDay(l.date)),
      h('span', { class: 'muted' }, ` · ${SECTIONS.reduce((n, [key]) => n + (l[key] || []).length, 0)} items`))))
    : h('p', { class: 'muted' }, 'No other logs in the 30 days before.'));
}

function renderSections(container, log, day) {
  clear(container).append(h('h2', { id: 'sections-h', tabindex: -1 }, 'Sections'));
  if (!log) {
    container.append(h('p', { class: 'muted' }, 'No log for this day yet.'));
    return;
  }
  for (const [key, title] of SECTIONS) {
    const items = log[key] || [];
    if (key === 'other' && !items.length) continue;
    container.append(h('section', { class: 'log-section', dataset: { section: key }, 'aria-label': title },
      h('h3', {}, title),
      items.length ? h('ul', {}, items.map((item) => itemRow(item, day))) : h('p', { class: 'muted' }, 'Nothing.')));
  }
}

function itemRow(item, day) {
  return h('li', { class: 'log-item' }, h('span', { class: 'text' }, item.text), ' ',
    labelChip(item, (label) => patch(`/api/logs/${day}/items/${item.id}`, { label })));
}

const DIGEST_SECTIONS = [['finished', 'Finished'], ['workingOn', 'Worked on'], ['plan', 'Planned']];

/** The week up to the day shown: per section, items by label with counts and days, and the model's headline. */
async function loadDigest(container, day) {
  const heading = container.querySelector('h2');
  try {
    const d = await get(`/api/logs/digest?from=${addDays(day, -6)}&to=${day}`);
    renderDigest(container, heading, d);
  } catch (e) {
    clear(container).append(heading, problemBox(e));
  }
}

export function renderDigest(container, heading, d) {
  clear(container).append(heading);
  container.append(h('p', { class: 'muted' },
    `${formatDay(d.from)} – ${formatDay(d.to)}: ${d.items} items on ${d.daysLogged} day${d.daysLogged === 1 ? '' : 's'} with a log.`));
  if (d.headline) container.append(h('p', { class: 'headline' }, h('span', { class: 'muted' }, 'Headline (written by the model): '), d.headline));
  if (!d.items) return;
  const dl = h('dl', { class: 'facts digest-sections' });
  for (const [key, title] of DIGEST_SECTIONS) {
    const s = d.sections[key];
    if (!s || !s.items) continue;
    const labels = Object.entries(s.labels).map(([label, c]) =>
      h('li', { dataset: { label } }, h('span', { class: 'chip label' }, label),
        ` ${c.items} item${c.items === 1 ? '' : 's'} on ${c.days} day${c.days === 1 ? '' : 's'}`));
    dl.append(h('dt', {}, `${title} (${s.items})`), h('dd', { dataset: { digestSection: key } }, h('ul', { class: 'plain' }, labels),
      h('p', { class: 'muted' }, s.examples.join(' · '))));
  }
  container.append(dl);
}
