#!/usr/bin/env python3
"""Check that no comment prose is copied from proton-c's installed headers.

proton-rs carries proton's names, numbers, signatures and behaviour, but not
the wording of its documentation. This script takes every sentence of at
least MIN_WORDS words from the comments of the proton headers installed under
/usr/include/proton (Debian's libqpid-proton*-dev: *.h, plus the C++ *.hpp)
and reports each one that appears in the comments of this repository:

    src/**/*.rs, src/ffi/headers/*.h, include/proton/*.h, tests/**/*.c,
    README.md (all of it)

Comparison is case-insensitive and ignores whitespace, punctuation and
markup (backticks, doxygen `::`/`@ref`, brackets), so a sentence only
reflowed or re-marked-up still counts as a copy.

    python3 tests/prose_check.py            # verbatim copies; exit 1 if any
    python3 tests/prose_check.py --near     # also near-copies (advisory)

Exit status: 0 when nothing is found or the proton headers are not
installed, 1 when copies are found. Near-copies (--near) are printed for
review but do not change the exit status.
"""

import argparse
import difflib
import os
import re
import sys
from pathlib import Path

PROTON_DIR = Path("/usr/include/proton")
MIN_WORDS = 6
ROOT = Path(__file__).resolve().parent.parent

# Doxygen commands that start a new piece of text (their argument, if any,
# is a name, and is dropped with the command).
DOXY_WITH_NAME = r"(?:param(?:\[[a-z, ]*\])?|tparam|defgroup|addtogroup|ingroup|copydoc|copybrief|copydetails|ref|see|sa|throws?|exception|class|struct|def|fn|var|typedef|enum|file|name|weakgroup|retval)"
DOXY_BARE = r"(?:return|returns|result|brief|details|note|warning|deprecated|internal|endinternal|pre|post|since|todo|remark|remarks|b|c|p|e|em|li|par|attention|code|endcode|verbatim|endverbatim|{|})"


# --------------------------------------------------------------------------
# Comment extraction
# --------------------------------------------------------------------------

def c_comments(text):
    """(line, text) for each comment line of C/C++ source; strings and char
    literals are skipped. Block comments lose their leading `*`s."""
    out = []
    i, n, line = 0, len(text), 1
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append((line, text[i + 2:j].lstrip("/!<")))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j
            body = text[i + 2:j]
            for k, l in enumerate(body.split("\n")):
                l = l.strip()
                l = re.sub(r"^[*!<]+", "", l) if k == 0 else re.sub(r"^\*+", "", l)
                out.append((line + k, l))
            line += body.count("\n")
            i = j + 2
        elif ch in "\"'":
            i += 1
            while i < n and text[i] != ch and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return out


RAW_STR = re.compile(r'b?r(#*)"')
CHAR_LIT = re.compile(r"b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^'\\\n])'")


def rust_comments(text):
    """(line, text) for each comment line of Rust source (`//`, `///`,
    `//!`, `/* */` nested); strings, raw strings and char literals are
    skipped."""
    out = []
    i, n, line = 0, len(text), 1
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append((line, text[i + 2:j].lstrip("/!")))
            i = j
            continue
        if text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            body = text[i + 2:j - 2]
            for k, l in enumerate(body.split("\n")):
                l = l.strip()
                l = re.sub(r"^[*!]+", "", l) if k == 0 else re.sub(r"^\*+", "", l)
                out.append((line + k, l))
            line += body.count("\n")
            i = j
            continue
        prev_ident = i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
        m = RAW_STR.match(text, i)
        if m and not prev_ident:
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            line += text.count("\n", i, j)
            i = j
            continue
        if ch == '"' or (ch == "b" and text.startswith('b"', i) and not prev_ident):
            j = i + (2 if ch == "b" else 1)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            line += text.count("\n", i, j)
            i = j + 1
            continue
        if ch == "'" or (ch == "b" and text.startswith("b'", i) and not prev_ident):
            m = CHAR_LIT.match(text, i)
            if m:
                i = m.end()
                continue
        i += 1
    return out


def markdown_text(text):
    return [(k + 1, l) for k, l in enumerate(text.split("\n"))]


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

WORD = re.compile(r"[a-z0-9_]+(?:'[a-z]+)?")


def words(s):
    """Lower-case words of `s`, markup and punctuation ignored."""
    return WORD.findall(s.lower())


def proton_sentences(path):
    """(line, sentence) for each sentence of the comments in one proton
    header."""
    text = path.read_text(errors="replace")
    pieces = []  # (line, text); None text = paragraph break
    in_code = False
    for line, l in c_comments(text):
        s = l.strip()
        if re.match(r"[@\\](code|verbatim)\b", s):
            in_code = True
        if in_code:
            if re.search(r"[@\\](endcode|endverbatim)\b", s):
                in_code = False
            pieces.append((line, None))
            continue
        if not s or re.match(r"^[-=*/]{3,}$", s):
            pieces.append((line, None))
            continue
        # A doxygen command, a list item or a table row starts a new piece.
        if re.match(r"^([@\\]\w|-\s|\d+\.\s|\|)", s):
            pieces.append((line, None))
        s = re.sub(r"[@\\]" + DOXY_WITH_NAME + r"\b\s*\S*", " \n ", s)
        s = re.sub(r"[@\\]" + DOXY_BARE + r"(?=\W|$)", " \n ", s)
        s = re.sub(r"<[^>]*>", " ", s)  # HTML tags
        pieces.append((line, s))

    sentences = []
    buf, start = [], None

    def flush():
        nonlocal buf, start
        if buf:
            joined = " ".join(t for _, t in buf)
            # split at sentence ends and at doxygen-command breaks
            for part in re.split(r"(?<=[.!?;:])\s+|\n", joined):
                w = words(part)
                if len(w) >= MIN_WORDS:
                    sentences.append((start, part.strip(), tuple(w)))
        buf, start = [], None

    for line, t in pieces:
        if t is None:
            flush()
            continue
        if start is None:
            start = line
        buf.append((line, t))
    flush()
    return sentences


# --------------------------------------------------------------------------
# Our side
# --------------------------------------------------------------------------

def our_files():
    files = []
    files += sorted((ROOT / "src").rglob("*.rs"))
    files += sorted((ROOT / "src" / "ffi" / "headers").glob("*.h"))
    files += sorted((ROOT / "include" / "proton").glob("*.h"))
    files += sorted((ROOT / "tests").rglob("*.c"))
    readme = ROOT / "README.md"
    if readme.exists():
        files.append(readme)
    return files


def comment_words(path):
    """The words of a file's comments as a list of (word, line); a gap of
    more than one line between comment lines becomes a break (None) so a
    match cannot span unrelated comments."""
    text = path.read_text(errors="replace")
    if path.suffix == ".rs":
        lines = rust_comments(text)
    elif path.suffix == ".md":
        lines = markdown_text(text)
    else:
        lines = c_comments(text)
    out, last = [], None
    for line, l in lines:
        if last is not None and line > last + 1:
            out.append((None, line))
        for w in words(l):
            out.append((w, line))
        last = line
    return out


def comment_sentences(path):
    """(line, sentence words) for our comments, for the near-copy check."""
    text = path.read_text(errors="replace")
    if path.suffix == ".rs":
        lines = rust_comments(text)
    elif path.suffix == ".md":
        lines = markdown_text(text)
    else:
        lines = c_comments(text)
    out, buf, start, last = [], [], None, None

    def flush():
        nonlocal buf, start
        if buf:
            for part in re.split(r"(?<=[.!?;:])\s+", " ".join(buf)):
                w = words(part)
                if len(w) >= MIN_WORDS:
                    out.append((start, tuple(w)))
        buf, start = [], None

    for line, l in lines:
        if (last is not None and line > last + 1) or not l.strip():
            flush()
        if l.strip():
            if start is None:
                start = line
            buf.append(l)
        last = line
    flush()
    return out


# --------------------------------------------------------------------------

def main():
    global MIN_WORDS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--near", action="store_true",
                    help="also list near-copies (similar sentences), advisory")
    ap.add_argument("--threshold", type=float, default=0.8,
                    help="similarity for --near (default 0.8)")
    ap.add_argument("--min-words", type=int, default=MIN_WORDS,
                    help=f"shortest sentence to compare (default {MIN_WORDS})")
    args = ap.parse_args()
    MIN_WORDS = args.min_words

    if not PROTON_DIR.is_dir():
        print(f"prose_check: {PROTON_DIR} not found (proton-c headers not installed); nothing to check")
        return 0

    headers = sorted(p for p in PROTON_DIR.rglob("*") if p.suffix in (".h", ".hpp"))
    proton = []  # (header, line, text, words)
    seen = set()
    for h in headers:
        for line, s, w in proton_sentences(h):
            if w not in seen:
                seen.add(w)
                proton.append((h, line, s, w))

    # Index our comment words by their first three words.
    ours = {}
    index = {}
    for f in our_files():
        cw = comment_words(f)
        ours[f] = cw
        ws = [w for w, _ in cw]
        for k in range(len(ws) - 2):
            index.setdefault((ws[k], ws[k + 1], ws[k + 2]), []).append((f, k))

    hits = []
    for h, hline, s, w in proton:
        for f, k in index.get(w[:3], ()):
            cw = ours[f]
            if k + len(w) <= len(cw) and all(cw[k + j][0] == w[j] for j in range(len(w))):
                hits.append((f, cw[k][1], h, hline, s))

    hits.sort(key=lambda x: (str(x[0]), x[1]))
    for f, line, h, hline, s in hits:
        print(f"{f.relative_to(ROOT)}:{line}: copied from {h}:{hline}: {s}")

    near = []
    if args.near:
        by_gram = {}
        for p in proton:
            w = p[3]
            for k in range(len(w) - 3):
                by_gram.setdefault(w[k:k + 4], set()).add(id(p))
        byid = {id(p): p for p in proton}
        hit_lines = {(f, line) for f, line, *_ in hits}
        for f in our_files():
            for line, w in comment_sentences(f):
                cands = set()
                for k in range(len(w) - 3):
                    cands |= by_gram.get(w[k:k + 4], set())
                best = None
                for c in cands:
                    p = byid[c]
                    r = difflib.SequenceMatcher(None, w, p[3], autojunk=False).ratio()
                    if r >= args.threshold and (best is None or r > best[0]):
                        best = (r, p)
                if best and (f, line) not in hit_lines:
                    r, (h, hline, s, _) = best
                    near.append((f, line, r, h, hline, s, " ".join(w)))
        for f, line, r, h, hline, s, mine in near:
            print(f"{f.relative_to(ROOT)}:{line}: near-copy ({r:.2f}) of {h}:{hline}: {s}\n    ours: {mine}")

    if hits:
        print(f"prose_check: {len(hits)} sentence(s) copied from proton's headers "
              f"({len(proton)} sentences of >= {MIN_WORDS} words from {len(headers)} headers checked)")
        return 1
    msg = (f"prose_check: no proton header sentences found in our comments "
           f"({len(proton)} sentences of >= {MIN_WORDS} words from {len(headers)} headers checked)")
    if args.near:
        msg += f"; {len(near)} near-copy candidate(s)"
    print(msg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
