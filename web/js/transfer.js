// Import any file Lectern reads (recognized by its content) and see what happened to each row; download the exports.
import { h, field, clear } from './dom.js';
import { post, onSubmit } from './api.js';

/** The start of a file is enough for POST /api/import/detect to tell its format. */
const HEAD_BYTES = 64 * 1024;

function importForm() {
  const title = 'Import a file';
  const file = h('input', { name: 'file', type: 'file', accept: '.csv,.txt,.bib,.bibtex,.json,text/csv,text/plain,application/json', required: true });
  const report = h('div', { class: 'report', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': title }, h('h2', {}, title),
    h('p', {}, 'A Goodreads or StoryGraph export (CSV), a Kindle\u2019s My Clippings.txt, a BibTeX file, or a Lectern backup (JSON). Lectern tells them apart by their content.'),
    field('File', file), h('button', { type: 'submit' }, 'Import'), report);
  onSubmit(form, async (v) => {
    clear(report);
    if (!v.file || !v.file.size) throw new Error('Choose a file first.');
    const format = await post('/api/import/detect', await v.file.slice(0, HEAD_BYTES).text(), 'text/plain');
    report.append(h('p', {}, `Recognized as ${format.description}.`));
    const result = await post(format.endpoint, v.file, format.contentType);
    const failed = result.failed || [];
    report.append(
      h('p', { role: 'status' }, `${result.created} created, ${result.updated} updated, ${result.skipped} skipped, ${failed.length} failed.`),
      failed.length ? h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, failed.some((f) => f.row != null) ? 'Row' : 'Line'), h('th', { scope: 'col' }, 'Problem'))),
        h('tbody', {}, failed.map((f) => h('tr', {}, h('td', {}, f.row ?? f.line ?? ''), h('td', {}, f.message))))) : null);
  });
  return form;
}

export function transferPage(root) {
  root.append(h('h1', {}, 'Import and export'),
    h('div', { class: 'grid' },
      importForm(),
      h('section', { class: 'card', 'aria-labelledby': 'export-h' }, h('h2', { id: 'export-h' }, 'Download'),
        h('ul', {},
          h('li', {}, h('a', { href: '/api/export', download: 'lectern-backup.json' }, 'Full backup (JSON)')),
          h('li', {}, h('a', { href: '/api/export/goodreads', download: 'lectern-goodreads.csv' }, 'Books as Goodreads CSV')),
          h('li', {}, h('a', { href: '/api/export/storygraph', download: 'lectern-storygraph.csv' }, 'Books as StoryGraph CSV')),
          h('li', {}, h('a', { href: '/api/export/bibtex', download: 'lectern.bib' }, 'Papers as BibTeX')),
          h('li', {}, h('a', { href: '/api/export/obsidian', download: 'lectern-vault.zip' }, 'Everything as an Obsidian vault (zip)'))))));
}
