#!/usr/bin/env bash
# Fetches and cleans more of Lectern's pretraining text: English prose from four Debian documentation packages
# (Debian 12 "bookworm"; all four names resolve there, so no substitute was needed), fetched with apt-get download
# and unpacked with dpkg-deb -x:
#  - python-sklearn-doc   the scikit-learn 1.2 user guide, API reference and example gallery (HTML);
#  - debian-reference-en  the Debian Reference (DocBook HTML, one page per chapter);
#  - postgresql-doc-15    the PostgreSQL 15 manual (DocBook HTML);
#  - python3.11-doc       the Python 3.11 documentation (HTML).
# If a name stops resolving (a later release), the newest postgresql-doc-N / python3.N-doc is used instead and
# named on stderr; the hold-out split below then follows the new package name.
# Each HTML page becomes one document of plain text (/usr/bin/python3, standard library html.parser only):
# <script>, <style>, <nav>, <header>, <footer>, role=navigation|search|banner|contentinfo and the themes' sidebars,
# navigation bars, related-links bars, footers, tables of contents and heading permalinks are dropped; headings,
# paragraphs, list items and table rows (cells joined by " | ") become lines, whitespace is collapsed; <pre> blocks
# of more than 5 lines and display math are dropped (shorter code stays, line by line); index, search and
# module-index pages are skipped, as are pages under 50 words; identical documents are kept once.
# Output (never committed, see .gitignore), documents separated by a line holding only <|endoftext|> as in corpus.sh:
#   model/data/corpus/docs.txt           training documents;
#   model/data/corpus/docs-heldout.txt   documents of the held-out families;
#   model/data/corpus/docs-sections.jsonl  {"package","family","split","title","text"} for every document (both
#       splits): title = the page's first <h1> (else its <title>, section numbers and " — site" suffix removed),
#       text = the first paragraphs of prose under it (at most about 120 words), for "section introduction ->
#       title" summary pairs. Pairs with an empty title or text are skipped.
#
# Man pages are an evaluation set and NEVER enter this text: any path with a man/ directory component or under
# /usr/share/man, and any *.1 .. *.9 or *.gz file, is skipped (only *.html is read in any case); PostgreSQL's
# reference pages (DocBook refentry pages: SQL commands, client and server applications, SPI functions) are
# skipped too, because they are the same text PostgreSQL ships as its man pages.
#
# Held out of the pretraining text, like corpus.sh: documents are grouped into families by their top-level section
# directory within the package's HTML tree (sklearn: modules/, auto_examples/, ...; Python: library/, tutorial/,
# ...); a page at the top of the tree belongs to the family named by its file name up to the first "-" or "."
# (sklearn's computing.html joins computing/; PostgreSQL's flat tree gives sql-*, functions-*, tutorial-*, ...;
# the Debian Reference gives one family per chapter). A family is held out when the first byte of
# md5(package + "/" + family) % 10 == 0. A document text that occurs in a held-out family is never in docs.txt.
#
# Size cap: docs.txt is kept to about 25 MB (DOCS_CAP_MB, UTF-8 bytes). Packages are filled whole in the priority
# order python-sklearn-doc, debian-reference-en, postgresql-doc-15, python3.11-doc, families in name order; the
# first family that would pass the cap and every family after it are left out of docs.txt (so whole families are
# dropped from the end). The cap does not touch docs-heldout.txt or docs-sections.jsonl. The bookworm packages give about
# 17 MB (2.6M words), so at 25 MB the cap drops nothing; DOCS_CAP_MB=5 keeps sklearn whole and little else.
#
#   model/corpus-docs.sh       # needs apt-get (root, for apt-get update if a download fails), dpkg-deb, /usr/bin/python3
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
raw="$here/data/raw/docs"
out="$here/data/corpus"
mkdir -p "$raw" "$out"

# The newest postgresql-doc-N / python3.N-doc when the wanted name is not in the index.
substitute() {
  local pattern
  case "$1" in
    postgresql-doc-*) pattern='^postgresql-doc-[0-9]+$' ;;
    python3.*-doc) pattern='^python3\.[0-9]+-doc$' ;;
    *) return 1 ;;
  esac
  apt-cache pkgnames | grep -E "$pattern" | sort -V | tail -n 1
}

packages=()
for wanted in python-sklearn-doc debian-reference-en postgresql-doc-15 python3.11-doc; do
  pkg="$wanted"
  if ! ls "$raw/${pkg}"_*.deb >/dev/null 2>&1; then
    if ! (cd "$raw" && apt-get download -qq -o APT::Sandbox::User=root "$pkg"); then
      apt-get update -qq >/dev/null
      if ! (cd "$raw" && apt-get download -qq -o APT::Sandbox::User=root "$pkg"); then
        pkg="$(substitute "$wanted" || true)"
        [ -n "$pkg" ] || { echo "no package for $wanted" >&2; exit 1; }
        echo "$wanted: not available, using $pkg instead" >&2
        ls "$raw/${pkg}"_*.deb >/dev/null 2>&1 || (cd "$raw" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
      fi
    fi
  fi
  if [ ! -d "$raw/$pkg" ]; then
    mkdir -p "$raw/$pkg.tmp"
    dpkg-deb -x "$(ls "$raw/${pkg}"_*.deb | head -n 1)" "$raw/$pkg.tmp"
    mv "$raw/$pkg.tmp" "$raw/$pkg"
  fi
  packages+=("$pkg")
done

DOCS_CAP_MB="${DOCS_CAP_MB:-25}" /usr/bin/python3 - "$raw" "$out" "${packages[@]}" <<'PY'
import hashlib, html.parser, json, os, re, sys
raw, out, packages = sys.argv[1], sys.argv[2], sys.argv[3:]
EOT = "<|endoftext|>"
CAP = float(os.environ["DOCS_CAP_MB"]) * 1_000_000
MIN_WORDS, MAX_PRE_LINES, PAIR_WORDS = 50, 5, 120

def is_man(path):
    parts = path.split(os.sep)
    name = parts[-1]
    return ("man" in parts[:-1] or "/usr/share/man/" in path.replace(os.sep, "/")
            or re.search(r"\.[1-9][a-z]*(\.gz)?$", name) is not None or name.endswith(".gz"))

SKIP_PAGE = re.compile(r"^(genindex.*|.*modindex|search|bookindex)\.html$")
SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "form", "button", "svg", "select",
             "template", "iframe", "object"}
SKIP_ROLES = {"navigation", "search", "banner", "contentinfo"}
SKIP_CLASS = re.compile(
    r"^(sphinxsidebar.*|related|footer|header|nav(header|footer|bar.*)|.*-(navbar|nav|footer)(-.*)?|mobile-nav"
    r"|menu-wrapper|nav-content|this-page-menu|toc|toctree-wrapper|.*sidebar-(global-)?toc.*|.*btn-toggle-toc"
    r"|headerlink|math|sphx-glr-(footer.*|download.*|signature|timing|thumbcontainer|thumbnails|script-out)"
    r"|sk-landing-.*|list-of-.*|viewcode-link)$")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
BLOCK = {"p", "div", "section", "article", "main", "body", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
         "dl", "dt", "dd", "tr", "table", "thead", "tbody", "tfoot", "caption", "blockquote", "figure",
         "figcaption", "aside", "address", "center", "hr", "br", "pre"}
CELL = {"td", "th"}
ASIDE = {"admonition", "note", "warning", "seealso", "topic", "sidebar", "caution", "important", "tip", "hint",
         "attention", "danger", "error", "versionadded", "versionchanged", "deprecated", "footnote", "rubric",
         "admonition-title", "impl-detail"}

class Page(html.parser.HTMLParser):
    """Collects (kind, text) blocks: kind is h1, h (h2-h6), p (a paragraph outside lists, notes, warnings and
    the like), pre or other."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.skip_at = [], None       # open tags; depth of the dropped element we are inside
        self.blocks, self.buf = [], []
        self.title, self.in_title = [], False
        self.pre, self.pre_at = None, None
        self.cells, self.cell_at = None, None      # cells of the current table row
        self.refentry = False
        self.aside_at = None                       # depth of the note/warning/... we are inside

    def kind(self):
        for t in reversed(self.stack):
            if t == "h1": return "h1"
            if t in ("h2", "h3", "h4", "h5", "h6"): return "h"
            if t == "p": return "other" if self.aside_at is not None or "li" in self.stack else "p"
            if t in BLOCK or t in CELL: return "other"
        return "other"

    def flush(self):
        text = " ".join("".join(self.buf).split())
        self.buf = []
        if not text:
            return
        if self.cells is not None:
            self.cells[-1].append(text) if self.cells else self.cells.append([text])
        else:
            self.blocks.append((self.kind(), text))

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag in ("br", "hr") and self.skip_at is None and self.pre is None and self.cells is None:
                self.flush()
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if "refentry" in classes:
            self.refentry = True
        if tag == "title" and "body" not in self.stack and "svg" not in self.stack:
            self.in_title = True
        elif self.skip_at is not None or self.pre is not None:
            pass
        elif (tag in SKIP_TAGS or (a.get("role") or "") in SKIP_ROLES
                or any(SKIP_CLASS.match(c) and (c != "math" or tag != "span") for c in classes)
                or (tag == "table" and "navigation" in (a.get("summary") or "").lower())):
            self.flush()
            self.skip_at = len(self.stack) + 1
        elif tag == "pre":
            self.flush()
            self.pre, self.pre_at = [], len(self.stack) + 1
        elif tag == "tr" and self.cells is None:
            self.flush()
            self.cells, self.cell_at = [], len(self.stack) + 1
        elif tag in CELL and self.cells is not None:
            self.flush()
            self.cells.append([])
        elif tag in BLOCK and self.cells is None:
            self.flush()
        if "classifier" in classes and self.skip_at is None and self.pre is None:
            self.buf.append(" : ")                 # numpydoc "name : type" (sklearn's parameter lists)
        self.stack.append(tag)
        if self.aside_at is None and ASIDE.intersection(classes):
            self.aside_at = len(self.stack)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            depth = len(self.stack)
            top = self.stack[-1]
            if top == "title":
                self.in_title = False
            elif self.skip_at is not None:
                if depth == self.skip_at:
                    self.skip_at = None
            elif self.pre is not None:
                if depth == self.pre_at:
                    lines = "".join(self.pre).strip("\n").split("\n")
                    if len(lines) <= MAX_PRE_LINES:
                        self.blocks.extend(("pre", l.rstrip()) for l in lines if l.strip())
                    self.pre = self.pre_at = None
            elif self.cells is not None and depth == self.cell_at:
                self.flush()
                row = " | ".join(" ".join(c) for c in self.cells if c)
                self.cells = self.cell_at = None
                if row:
                    self.blocks.append(("other", row))
            elif top in CELL and self.cells is not None:
                self.flush()
            elif top in BLOCK and self.cells is None:
                self.flush()
            if depth == self.aside_at:
                self.aside_at = None
            self.stack.pop()
            if top == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif self.skip_at is not None:
            return
        elif self.pre is not None:
            self.pre.append(data)
        else:
            self.buf.append(data)

def clean_title(t):
    t = " ".join(t.split())
    t = re.split(r" [—|] ", t)[0]                                   # " — Python 3.11.2 documentation"
    t = re.sub(r"^(?:(?:Chapter|Appendix|Part)\s+[0-9A-Z]+\.?|[0-9]+(?:\.[0-9]+)*\.?|[IVXL]+\.|[A-Z](?:\.[0-9]+)*\.)"
               r"\s+(?=\S)", "", t)
    return t.strip(" ¶#")

def intro(blocks):
    """Title and the first paragraphs under it, at most PAIR_WORDS words."""
    start = next((i for i, (k, _) in enumerate(blocks) if k == "h1"), None)
    title = clean_title(blocks[start][1]) if start is not None else ""
    if start is None:
        start = next((i for i, (k, _) in enumerate(blocks) if k in ("h1", "h")), -1)
    words = []
    for k, text in blocks[start + 1:]:
        if k != "p" and words:                     # the introduction ends at the first heading, code, list, ...
            break
        if k != "p" or len(text.split()) < 4 or text.endswith(":") or text.startswith("Source code:"):
            continue
        w = text.split()
        if len(words) + len(w) > PAIR_WORDS:
            if not words:                                   # one long paragraph: cut at a sentence end
                cut = " ".join(w[:PAIR_WORDS])
                m = re.match(r"(.*[.!?])(?:\s|$)", cut, re.S)
                words = (m.group(1) if m and len(m.group(1).split()) >= 20 else cut).split()
            break
        words += w
    return title, " ".join(words)

def family_of(rel):
    parts = rel.split(os.sep)
    if len(parts) > 1:
        return parts[0]
    return re.split(r"[-.]", parts[0])[0]

def is_test(package, family):
    return hashlib.md5(f"{package}/{family}".encode()).digest()[0] % 10 == 0

stats = {}
docs = []            # (package, family, rel, split, text, title, intro)
for package in packages:
    base = os.path.join(raw, package)
    pages = []
    st = stats[package] = dict(pages=0, short=0, man=0, refentry=0, skipped=0)
    for d, dirs, files in os.walk(base):
        dirs[:] = sorted(x for x in dirs if not x.startswith("_"))
        for name in files:
            path = os.path.join(d, name)
            if is_man(os.sep + os.path.relpath(path, base)):
                st["man"] += 1
                continue
            if name.endswith(".html") and not os.path.islink(path):
                pages.append(path)
    root = os.path.commonpath([os.path.dirname(p) for p in pages])
    for path in sorted(pages):
        rel = os.path.relpath(path, root)
        if SKIP_PAGE.match(os.path.basename(rel)):
            st["skipped"] += 1
            continue
        st["pages"] += 1
        with open(path, encoding="utf-8", errors="replace") as f:
            source = f.read()
        p = Page()
        p.feed(source)
        p.close()
        if p.refentry:
            st["refentry"] += 1
            continue
        lines = [t for _, t in p.blocks]
        text = "\n".join(lines)
        if len(text.split()) < MIN_WORDS:
            st["short"] += 1
            continue
        title, first = intro(p.blocks)
        if not title:
            title = clean_title("".join(p.title))
        family = family_of(rel)
        docs.append((package, family, rel, "test" if is_test(package, family) else "train", text, title, first))

# Deduplicate: a text in a held-out family is never in training; otherwise the first copy stays.
key = lambda text: hashlib.md5(text.encode()).digest()
test_keys = {key(d[4]) for d in docs if d[3] == "test"}
seen, unique = set(), []
for d in docs:
    k = (key(d[4]), d[3])
    if k in seen or (d[3] == "train" and k[0] in test_keys):
        stats[d[0]]["dup"] = stats[d[0]].get("dup", 0) + 1
        continue
    seen.add(k)
    unique.append(d)

# Cap: packages in priority order (the order given), families by name; stop at the first family that passes it.
order = {p: i for i, p in enumerate(packages)}
unique.sort(key=lambda d: (order[d[0]], d[1], d[2]))
families = {}
for d in unique:
    if d[3] == "train":
        families.setdefault((d[0], d[1]), []).append(d)
train, dropped, size, full = [], {}, 0, False
for (package, family), ds in families.items():
    fsize = sum(len(d[4].encode()) + len(EOT) + 2 for d in ds)
    if full or size + fsize > CAP:
        full = True
        dropped.setdefault(package, []).append(family)
        continue
    size += fsize
    train.extend(ds)
heldout = [d for d in unique if d[3] == "test"]

def write(name, ds):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for i, d in enumerate(ds):
            if i:
                f.write("\n" + EOT + "\n")
            f.write(d[4])
        f.write("\n")
    print(f"{name}: {len(ds)} documents, {sum(len(d[4].split()) for d in ds)} words", file=sys.stderr)

for package in packages:
    st = stats[package]
    tr = [d for d in train if d[0] == package]
    te = [d for d in heldout if d[0] == package]
    fams = sorted({d[1] for d in te})
    print(f"{package}: {len(tr)} documents, {sum(len(d[4].split()) for d in tr)} words, {len(te)} held-out documents "
          f"({sum(len(d[4].split()) for d in te)} words; families {', '.join(fams) or 'none'}); skipped: "
          f"{st['short']} pages under {MIN_WORDS} words, {st.get('dup', 0)} duplicates, {st['refentry']} refentry "
          f"(man page) pages, {st['skipped']} index/search pages, {st['man']} man-page or *.gz files", file=sys.stderr)
    if package in dropped:
        print(f"  cap: left out families {', '.join(dropped[package])}", file=sys.stderr)
write("docs.txt", train)
write("docs-heldout.txt", heldout)
pairs = set()
with open(os.path.join(out, "docs-sections.jsonl"), "w", encoding="utf-8") as f:
    n = {"train": 0, "test": 0}
    for d in unique:
        package, family, rel, split, text, title, first = d
        if not title or not first or (title, first) in pairs:
            continue
        pairs.add((title, first))
        n[split] += 1
        f.write(json.dumps({"package": package, "family": family, "split": split, "title": title, "text": first},
                           ensure_ascii=False) + "\n")
print(f"docs-sections.jsonl: {n['train'] + n['test']} pairs, {n['test']} in held-out families", file=sys.stderr)
PY
du -h "$out"/docs*.txt "$out"/docs-sections.jsonl
