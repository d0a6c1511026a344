// Import a Goodreads CSV or a .bib file and see what happened to each row; download the backup and exports.
import { h, field, clear } from './dom.js';
import { post, onSubmit } from './api.js';

function importForm(title, path, accept, type) {
  const file = h('input', { name: 'file', type: 'file', accept, required: true });
  const report = h('div', { class: 'report', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-label': title }, h('h2', {}, title), field('File', file), h('button', { type: 'submit' }, 'Import'), report);
  onSubmit(form, async (v) => {
    clear(report);
    if (!v.file || !v.file.size) throw new Error('Choose a file first.');
    const result = await post(path, v.file, type);
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
      importForm('Goodreads CSV', '/api/import/goodreads', '.csv,text/csv', 'text/csv'),
      importForm('BibTeX (.bib)', '/api/import/bibtex', '.bib,.bibtex,text/plain', 'text/plain'),
      importForm('Restore a backup (JSON)', '/api/import', '.json,application/json', 'application/json'),
      h('section', { class: 'card', 'aria-labelledby': 'export-h' }, h('h2', { id: 'export-h' }, 'Download'),
        h('ul', {},
          h('li', {}, h('a', { href: '/api/export', download: 'lectern-backup.json' }, 'Full backup (JSON)')),
          h('li', {}, h('a', { href: '/api/export/goodreads', download: 'lectern-goodreads.csv' }, 'Books as Goodreads CSV')),
          h('li', {}, h('a', { href: '/api/export/bibtex', download: 'lectern.bib' }, 'Papers as BibTeX'))))));
}
