// Papers: a list by status, adding by arXiv id or link, notes, and the references found in them.
import { h, field, clear } from './dom.js';
import { get, post, patch, del, onSubmit, problemBox } from './api.js';
import { noteItem } from './books.js';
import { summarizeButton } from './model.js';

const STATUSES = [['reading', 'Reading'], ['to-read', 'To read'], ['read', 'Read']];

function statusSelect(value) {
  return h('select', { name: 'status' }, STATUSES.map(([s, label]) => h('option', { value: s, selected: s === value }, label)));
}

/** arXiv ids and arxiv.org links go to arxivId (the server normalises them); any other link is the paper's url. */
export function paperSource(text) {
  const value = String(text || '').trim();
  if (!value) return {};
  if (/^https?:\/\//i.test(value) && !/arxiv\.org/i.test(value)) return { url: value };
  return { arxivId: value };
}

export async function papersPage(root) {
  root.append(h('h1', {}, 'Papers'));
  const source = h('input', { name: 'arxivId', autocomplete: 'off', placeholder: '1706.03762 or https://arxiv.org/abs/1706.03762' });
  const form = h('form', { class: 'card', 'aria-labelledby': 'add-paper-h', novalidate: true },
    h('h2', { id: 'add-paper-h' }, 'Add a paper'),
    h('div', { class: 'row' },
      field('arXiv id or link', source),
      field('Title', h('input', { name: 'title', required: true, autocomplete: 'off' })),
      field('Authors', h('input', { name: 'authors', autocomplete: 'off' }), 'Separate several with commas'),
      field('Year', h('input', { name: 'year', type: 'number', inputmode: 'numeric' })),
      field('Status', statusSelect('to-read'))),
    h('button', { type: 'submit' }, 'Add paper'));
  onSubmit(form, async (v) => {
    const from = paperSource(v.arxivId);
    const paper = await post('/api/papers', {
      title: v.title, authors: v.authors.split(',').map((a) => a.trim()).filter(Boolean),
      year: v.year ? Number(v.year) : null, status: v.status, ...from,
    }).catch((e) => {
      // A non-arXiv link was sent as url: point its error back at the one field the user typed in.
      for (const err of (e.problem && e.problem.errors) || []) if (err.field === 'url') err.field = 'arxivId';
      throw e;
    });
    location.hash = `#/papers/${paper.id}`;
  });

  const search = h('input', { name: 'q', type: 'search', placeholder: 'Title or author' });
  const searchForm = h('form', { class: 'inline', role: 'search' }, field('Find a paper', search), h('button', { type: 'submit' }, 'Search'));
  const lists = h('div', { class: 'shelves' });
  async function load(q) {
    const papers = await get('/api/papers' + (q ? '?q=' + encodeURIComponent(q) : ''));
    clear(lists);
    for (const [status, label] of STATUSES) {
      const these = papers.filter((p) => p.status === status);
      lists.append(h('section', { class: 'shelf', 'aria-label': label },
        h('h2', {}, `${label} `, h('span', { class: 'count' }, `(${these.length})`)),
        these.length
          ? h('ul', { class: 'book-list' }, these.map((p) => h('li', {},
            h('a', { href: `#/papers/${p.id}` }, p.title),
            p.arxivId ? h('span', { class: 'chip' }, 'arXiv ' + p.arxivId) : null,
            p.authors.length ? h('span', { class: 'muted' }, ' · ' + p.authors.join(', ')) : null)))
          : h('p', { class: 'muted' }, 'None.')));
    }
  }
  onSubmit(searchForm, (v) => load(v.q));
  root.append(form, searchForm, lists);
  await load();
}

export async function paperPage(root, id) {
  const paper = await get(`/api/papers/${id}`);
  root.append(h('p', {}, h('a', { href: '#/papers' }, '← Papers')), h('h1', {}, paper.title),
    h('p', { class: 'muted' }, [paper.authors.join(', '), paper.year].filter(Boolean).join(' · ')),
    h('p', {},
      paper.arxivUrl ? h('a', { href: paper.arxivUrl, rel: 'noopener', target: '_blank' }, `arXiv:${paper.arxivId}${paper.arxivVersion ? 'v' + paper.arxivVersion : ''}`) : null,
      paper.url ? h('a', { href: paper.url, rel: 'noopener', target: '_blank', class: 'spaced' }, 'Link') : null,
      paper.doi ? h('span', { class: 'spaced' }, 'doi:' + paper.doi) : null));
  const statusForm = h('form', { class: 'inline' }, field('Status', statusSelect(paper.status)), h('button', { type: 'submit' }, 'Save'),
    h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!confirm(`Delete "${paper.title}"?`)) return;
      await del(`/api/papers/${id}`);
      location.hash = '#/papers';
    } }, 'Delete'));
  onSubmit(statusForm, async (v) => {
    await patch(`/api/papers/${id}`, { version: paper.version, status: v.status });
    root.dispatchEvent(new CustomEvent('refresh', { detail: 'select[name=status]' }));
  });
  const notesSection = h('section', { class: 'card', 'aria-labelledby': 'notes-h' }, h('h2', { id: 'notes-h' }, 'Notes'));
  const refsSection = h('section', { class: 'card', 'aria-labelledby': 'refs-h' }, h('h2', { id: 'refs-h' }, 'References'));
  root.append(statusForm, h('div', { class: 'grid' }, notesSection, refsSection));

  const refs = h('ul', { class: 'refs' });
  async function loadRefs() {
    const references = await get(`/api/papers/${id}/references`);
    clear(refs);
    if (!references.length) refs.append(h('li', { class: 'muted' }, 'arXiv ids and links in your notes show up here.'));
    for (const ref of references) {
      refs.append(h('li', {}, ref.paperId
        ? h('a', { href: `#/papers/${ref.paperId}` }, ref.title || `arXiv:${ref.arxivId}`)
        : h('a', { href: ref.arxivUrl || `https://arxiv.org/abs/${ref.arxivId}`, rel: 'noopener', target: '_blank' }, `arXiv:${ref.arxivId}`),
      ref.paperId ? h('span', { class: 'chip' }, 'in library') : null));
    }
  }
  refsSection.append(refs);

  const notes = h('ul', { class: 'notes' });
  const form = h('form', { novalidate: true }, field('Note', h('textarea', { name: 'text', rows: 3, required: true })), h('button', { type: 'submit' }, 'Add note'));
  onSubmit(form, async (v) => {
    notes.prepend(noteItem(await post(`/api/papers/${id}/notes`, { text: v.text })));
    form.reset();
    await loadRefs().catch(() => {});
  });
  notesSection.append(form, notes, summarizeButton('Summarize', { paperId: Number(id) }));
  await Promise.all([
    get(`/api/papers/${id}/notes`).then((list) => list.forEach((n) => notes.append(noteItem(n)))).catch((e) => notesSection.append(problemBox(e))),
    loadRefs().catch((e) => refsSection.append(problemBox(e))),
  ]);
}
