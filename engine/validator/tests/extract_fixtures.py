#!/usr/bin/env python3
# Extracts module fixtures from .wast files for the decoder/validator check
# tool (check_fixtures). Binary modules are written as-is; text modules are
# assembled with wabt's wat2wasm (--no-check) when it can parse them.
# Output: <out>/manifest.tsv with lines "wasm-path TAB kind TAB message TAB source:line",
# kind = valid | malformed | invalid. Usage: extract_fixtures.py OUTDIR FILE.wast...
import os, subprocess, sys

def tokenize(src):
    i, n, line = 0, len(src), 1
    toks = []
    while i < n:
        c = src[i]
        if c == '\n': line += 1; i += 1
        elif c in ' \t\r': i += 1
        elif src.startswith(';;', i):
            while i < n and src[i] != '\n': i += 1
        elif src.startswith('(;', i):
            depth = 0
            while i < n:
                if src.startswith('(;', i): depth += 1; i += 2
                elif src.startswith(';)', i):
                    depth -= 1; i += 2
                    if depth == 0: break
                else:
                    if src[i] == '\n': line += 1
                    i += 1
        elif c in '()': toks.append((c, line, i)); i += 1
        elif c == '"':
            j = i + 1; buf = bytearray()
            while src[j] != '"':
                if src[j] == '\\':
                    e = src[j+1]
                    if e == 'n': buf += b'\n'; j += 2
                    elif e == 't': buf += b'\t'; j += 2
                    elif e == 'r': buf += b'\r'; j += 2
                    elif e in '"\'\\': buf += e.encode(); j += 2
                    elif e == 'u':
                        k = src.index('}', j)
                        buf += chr(int(src[j+3:k].replace('_', ''), 16)).encode('utf-8', 'surrogatepass'); j = k + 1
                    else: buf.append(int(src[j+1:j+3], 16)); j += 3
                else:
                    buf += src[j].encode('utf-8'); j += 1
            toks.append(('str', line, bytes(buf), i, j + 1)); i = j + 1
        else:
            j = i
            while j < n and src[j] not in ' \t\r\n()"': j += 1
            toks.append(('atom', line, src[i:j])); i = j
    return toks

def parse(toks):
    stack = [[]]
    for t in toks:
        if t[0] == '(': stack.append([('line', t[1]), ('start', t[2])])
        elif t[0] == ')':
            top = stack.pop(); stack[-1].append(top)
        else: stack[-1].append(t)
    return stack[0]

def atoms(form): return [x for x in form if isinstance(x, tuple) and x[0] in ('atom', 'str')]

def module_binary(form):
    items = [x for x in form[2:]]
    words = [x[2] for x in items if isinstance(x, tuple) and x[0] == 'atom']
    if not items or not (isinstance(items[0], tuple) and items[0] == ('atom', items[0][1], 'module')):
        return None
    if 'binary' in words:
        return b''.join(x[2] for x in items if isinstance(x, tuple) and x[0] == 'str')
    return None

def form_text(src, form):
    # source text of a parenthesised form: from its '(' to the matching ')'
    start = form[1][1]; depth = 0
    i = start; n = len(src)
    while i < n:
        c = src[i]
        if c == '"':
            i += 1
            while src[i] != '"': i += 2 if src[i] == '\\' else 1
        elif src.startswith(';;', i):
            while src[i] != '\n': i += 1
        elif src.startswith('(;', i):
            d = 0
            while True:
                if src.startswith('(;', i): d += 1; i += 2; continue
                if src.startswith(';)', i):
                    d -= 1; i += 2
                    if d == 0: break
                    continue
                i += 1
            continue
        elif c == '(': depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0: return src[start:i+1]
        i += 1
    return src[start:]

def head(form):
    x = form[2] if len(form) > 2 else None
    return x[2] if isinstance(x, tuple) and x[0] == 'atom' else None

def main():
    out = sys.argv[1]; os.makedirs(out, exist_ok=True)
    man = open(os.path.join(out, 'manifest.tsv'), 'w')
    stats = {}
    for path in sys.argv[2:]:
        src = open(path, encoding='utf-8').read()
        base = '_'.join(path.replace('.wast', '').split('/')[-2:])
        forms = parse(tokenize(src))
        count = 0
        for f in forms:
            if not isinstance(f, list): continue
            h = head(f); line = f[0][1]
            kind, mod, msg = None, None, ''
            if h == 'module': kind, mod = 'valid', f
            elif h in ('assert_malformed', 'assert_invalid'):
                kind = 'malformed' if h == 'assert_malformed' else 'invalid'
                mod = f[3] if isinstance(f[3], list) else None
                s = [x for x in f[2:] if isinstance(x, tuple) and x[0] == 'str']
                msg = s[-1][2].decode('utf-8', 'replace') if s else ''
            if kind is None or mod is None: continue
            words = [x[2] for x in mod[2:] if isinstance(x, tuple) and x[0] == 'atom']
            if 'quote' in words or 'instance' in words[:2]: continue
            count += 1
            wasm = os.path.join(out, f'{base}.{count}.wasm')
            data = module_binary(mod)
            how = 'binary'
            if data is None:
                text = form_text(src, mod)
                text = text.replace('(module definition', '(module', 1)
                wat = os.path.join(out, f'{base}.{count}.wat')
                open(wat, 'w').write(text)
                r = subprocess.run(['wat2wasm', '--enable-all', '--no-check', wat, '-o', wasm],
                                   capture_output=True)
                if r.returncode != 0:
                    stats['wabt-failed'] = stats.get('wabt-failed', 0) + 1
                    continue
                how = 'text'
            else:
                open(wasm, 'wb').write(data)
            stats[how] = stats.get(how, 0) + 1
            msg = msg.replace('\t', ' ').replace('\n', ' ')
            man.write(f'{wasm}\t{kind}\t{msg}\t{path}:{line}\t{how}\n')
    print(stats, file=sys.stderr)

main()
