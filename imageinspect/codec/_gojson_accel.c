/*
 * imageinspect.codec._gojson_accel: the optional compiled Go-JSON writer.
 *
 * encode() writes a value made of dict (str keys), list, tuple, str, int,
 * float, bool and None in one pass, in the bytes imageinspect/codec/gojson.py
 * writes with its pure path (orjson, then Go's escaping and Go's indent
 * layout): the pure path is the definition, this file is a faster way to
 * the same bytes.
 *
 * Anything it does not write itself -- another type (a subclass too), a
 * non-str key, a lone surrogate, nesting deeper than MAX_DEPTH, an indent or
 * prefix holding a line break, any Python error on the way -- makes the
 * whole call return NotImplemented, and gojson.py runs the pure path, which
 * owns every error and every unusual case. Floats are written by
 * orjson.dumps itself, so their spelling is orjson's by construction.
 *
 * References: the values are walked with borrowed references, as nothing
 * on the way runs Python code -- except the call to orjson.dumps for a
 * float, which allocates and so could start the cyclic GC, whose finalizers
 * could change a container being walked. So each container holds a
 * reference to itself while it is walked, a float while it is written, and
 * after the call nothing borrowed is used again: a list's items and size
 * are read afresh, PyDict_Next stays within the dict's current table, and
 * the sorted pairs of an object hold references of their own.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Containers nested deeper than this go to the pure path: orjson (and so the
 * pure path) stops at 254 levels, so everything written here is something
 * the pure path writes too. */
#define MAX_DEPTH 128

/* The longest indent unit or prefix written here (in bytes). */
#define MAX_UNIT 4096

/* Characters of a string handled per buffer reservation. */
#define CHUNK 1024

/* Worst-case output bytes per character: "\u00xx". */
#define MAX_CHAR_BYTES 6

/* What a write step returns. */
#define OK 0
#define ERROR (-1)    /* a Python exception is set */
#define HAND_BACK 1   /* no exception set: the pure path writes this value */

/* orjson.dumps: float -> bytes (set at import). */
static PyObject *float_writer = NULL;

/* The output buffer kept from one call to the next (up to SCRATCH_KEEP
 * bytes), so that encoding similar values again does not grow a buffer from
 * nothing each time: a call takes it (a nested call, should a finalizer run
 * one, finds none and makes its own) and gives it back. */
#define SCRATCH_KEEP (4 << 20)
static char *scratch = NULL;
static Py_ssize_t scratch_cap = 0;

/* The ASCII characters escaped without HTML escaping ('"', '\\', controls)
 * and with it (those and '<', '>', '&'). */
static unsigned char plain_escapes[128];
static unsigned char html_escapes[128];

typedef struct {
    char *buf;            /* the output (owned) */
    Py_ssize_t len;       /* bytes written */
    Py_ssize_t cap;       /* bytes allocated */
    const unsigned char *escapes; /* plain_escapes or html_escapes */
    int short_bf;
    int escape_fffd;
    int sort;
    int indented;
    char *unit;           /* the indent unit, UTF-8 (owned) */
    Py_ssize_t unit_len;
    char *prefix;         /* the prefix after each newline, UTF-8 (owned) */
    Py_ssize_t prefix_len;
    char *newline;        /* "\n" + prefix + unit * newline_depth (owned) */
    Py_ssize_t newline_depth;
} Writer;

typedef struct {
    PyObject *key;
    PyObject *value;
} Pair;

static const char hex_digits[] = "0123456789abcdef";

static int
grow(Writer *w, Py_ssize_t need)
{
    if (need > PY_SSIZE_T_MAX - w->len) {
        PyErr_NoMemory();
        return ERROR;
    }
    Py_ssize_t want = w->len + need;
    Py_ssize_t cap = w->cap < 4096 ? 4096 : w->cap;
    while (cap < want) {
        cap = cap > PY_SSIZE_T_MAX / 2 ? want : cap * 2;
    }
    char *buf = PyMem_Realloc(w->buf, (size_t)cap);
    if (buf == NULL) {
        PyErr_NoMemory();
        return ERROR;
    }
    w->buf = buf;
    w->cap = cap;
    return OK;
}

/* Room for n more bytes. */
static inline int
reserve(Writer *w, Py_ssize_t n)
{
    return w->cap - w->len >= n ? OK : grow(w, n);
}

static inline int
put(Writer *w, const char *bytes, Py_ssize_t n)
{
    if (reserve(w, n) < 0) {
        return ERROR;
    }
    memcpy(w->buf + w->len, bytes, (size_t)n);
    w->len += n;
    return OK;
}

static inline int
put_char(Writer *w, char c)
{
    if (reserve(w, 1) < 0) {
        return ERROR;
    }
    w->buf[w->len++] = c;
    return OK;
}

/* The writer's newline made long enough for depth levels. */
static int
build_newline(Writer *w, Py_ssize_t depth)
{
    /* depth <= MAX_DEPTH: write_value refuses deeper containers */
    Py_ssize_t levels = w->newline_depth < 4 ? 8 : 2 * w->newline_depth;
    if (levels > MAX_DEPTH) {
        levels = MAX_DEPTH;
    }
    if (levels < depth) {
        levels = depth;
    }
    /* unit_len, prefix_len <= MAX_UNIT and levels <= MAX_DEPTH: no overflow;
     * 8 bytes more, so that put_newline can copy whole words */
    Py_ssize_t size = 1 + w->prefix_len + w->unit_len * levels;
    char *line = PyMem_Malloc((size_t)size + 8);
    if (line == NULL) {
        PyErr_NoMemory();
        return ERROR;
    }
    line[0] = '\n';
    memcpy(line + 1, w->prefix, (size_t)w->prefix_len);
    for (Py_ssize_t i = 0; i < levels; i++) {
        memcpy(line + 1 + w->prefix_len + i * w->unit_len, w->unit, (size_t)w->unit_len);
    }
    memset(line + size, 0, 8);
    PyMem_Free(w->newline);
    w->newline = line;
    w->newline_depth = levels;
    return OK;
}

/* "\n" + prefix + unit * depth, when indenting. */
static inline int
put_newline(Writer *w, Py_ssize_t depth)
{
    if (!w->indented) {
        return OK;
    }
    if (depth > w->newline_depth && build_newline(w, depth) < 0) {
        return ERROR;
    }
    Py_ssize_t n = 1 + w->prefix_len + w->unit_len * depth;
    if (reserve(w, n + 8) < 0) {
        return ERROR;
    }
    /* whole words: the bytes past n are in the newline's padding and the
     * room reserved, and are overwritten by what comes next */
    char *p = w->buf + w->len;
    for (Py_ssize_t i = 0; i < n; i += 8) {
        memcpy(p + i, w->newline + i, 8);
    }
    w->len += n;
    return OK;
}

/* \uXXXX for a code point below 0x10000. */
static inline char *
put_u_escape(char *p, Py_UCS4 c)
{
    p[0] = '\\';
    p[1] = 'u';
    p[2] = hex_digits[(c >> 12) & 0xF];
    p[3] = hex_digits[(c >> 8) & 0xF];
    p[4] = hex_digits[(c >> 4) & 0xF];
    p[5] = hex_digits[c & 0xF];
    return p + 6;
}

/* The escape of an ASCII character marked in the writer's escapes. */
static inline char *
put_ascii_escape(const Writer *w, char *p, Py_UCS4 c)
{
    char short_form = 0;
    switch (c) {
    case '"':
        short_form = '"';
        break;
    case '\\':
        short_form = '\\';
        break;
    case '\n':
        short_form = 'n';
        break;
    case '\r':
        short_form = 'r';
        break;
    case '\t':
        short_form = 't';
        break;
    case '\b':
        short_form = w->short_bf ? 'b' : 0;
        break;
    case '\f':
        short_form = w->short_bf ? 'f' : 0;
        break;
    default:
        break;
    }
    if (short_form) {
        p[0] = '\\';
        p[1] = short_form;
        return p + 2;
    }
    return put_u_escape(p, c);
}

/* One non-ASCII code point: raw UTF-8, or an escape; NULL for a lone
 * surrogate (the pure path's error). */
static inline char *
put_non_ascii(const Writer *w, char *p, Py_UCS4 c)
{
    if (c < 0x800) {
        p[0] = (char)(0xC0 | (c >> 6));
        p[1] = (char)(0x80 | (c & 0x3F));
        return p + 2;
    }
    if (c < 0x10000) {
        if (c >= 0xD800 && c <= 0xDFFF) {
            return NULL;
        }
        if (c == 0x2028 || c == 0x2029 || (c == 0xFFFD && w->escape_fffd)) {
            return put_u_escape(p, c);
        }
        p[0] = (char)(0xE0 | (c >> 12));
        p[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        p[2] = (char)(0x80 | (c & 0x3F));
        return p + 3;
    }
    p[0] = (char)(0xF0 | (c >> 18));
    p[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    p[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    p[3] = (char)(0x80 | (c & 0x3F));
    return p + 4;
}

/* The n characters at s (of one string kind) into p, which has room for
 * MAX_CHAR_BYTES per character; NULL on a lone surrogate. */
#define WRITE_CHARS(TYPE)                                                                  \
    static char *write_chars_##TYPE(const Writer *w, char *p, const TYPE *s, Py_ssize_t n) \
    {                                                                                      \
        const unsigned char *escapes = w->escapes;                                         \
        for (Py_ssize_t i = 0; i < n; i++) {                                               \
            Py_UCS4 c = s[i];                                                              \
            if (c < 0x80) {                                                                \
                if (!escapes[c]) {                                                         \
                    *p++ = (char)c;                                                        \
                }                                                                          \
                else {                                                                     \
                    p = put_ascii_escape(w, p, c);                                         \
                }                                                                          \
            }                                                                              \
            else if ((p = put_non_ascii(w, p, c)) == NULL) {                               \
                return NULL;                                                               \
            }                                                                              \
        }                                                                                  \
        return p;                                                                          \
    }

WRITE_CHARS(Py_UCS1)
WRITE_CHARS(Py_UCS2)
WRITE_CHARS(Py_UCS4)

/* Whether none of the 8 ASCII bytes in x is escaped: no byte below 0x20,
 * no '"' or '\\', and with HTML escaping no '<', '>' or '&'. Each test is
 * exact for bytes below 0x80: (v - 0x01..) & ~v has a high bit set iff
 * some byte of v is zero, (x - 0x20..) & ~x iff some byte is below 0x20. */
static inline int
clean_word(uint64_t x, int html)
{
    const uint64_t ones = 0x0101010101010101ULL;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    uint64_t hit = ((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
    if (html) {
        uint64_t lt = x ^ (ones * '<'), gt = x ^ (ones * '>'), amp = x ^ (ones * '&');
        hit |= ((lt - ones) & ~lt) | ((gt - ones) & ~gt) | ((amp - ones) & ~amp);
    }
    return (hit & (ones * 0x80)) == 0;
}

/* Copies an ASCII string to p when none of its bytes is escaped (most
 * strings), 8 bytes at a time (the last 8 overlapping); 0 when some byte is
 * escaped (p then holds a part of the string, which is overwritten). */
static inline int
copy_clean_ascii(char *p, const Py_UCS1 *s, Py_ssize_t n, const unsigned char *escapes, int html)
{
    uint64_t word;
    if (n < 8) {
        for (Py_ssize_t i = 0; i < n; i++) {
            if (escapes[s[i]]) {
                return 0;
            }
            p[i] = (char)s[i];
        }
        return 1;
    }
    for (Py_ssize_t i = 0; i + 8 <= n; i += 8) {
        memcpy(&word, s + i, 8);
        if (!clean_word(word, html)) {
            return 0;
        }
        memcpy(p + i, &word, 8);
    }
    memcpy(&word, s + n - 8, 8);
    if (!clean_word(word, html)) {
        return 0;
    }
    memcpy(p + n - 8, &word, 8);
    return 1;
}

/* An ASCII string: copied whole when nothing is escaped, else 8 bytes at a
 * time while no byte is escaped. */
static int
write_ascii(Writer *w, const Py_UCS1 *s, Py_ssize_t n)
{
    /* room for the quotes and every byte unescaped; each escape makes room
     * for itself and the rest */
    if (reserve(w, n + 2) < 0) {
        return ERROR;
    }
    const unsigned char *escapes = w->escapes;
    const int html = escapes == html_escapes;
    char *p = w->buf + w->len;
    *p++ = '"';
    if (copy_clean_ascii(p, s, n, escapes, html)) {
        p[n] = '"';
        w->len = p + n + 1 - w->buf;
        return OK;
    }
    Py_ssize_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t word;
            memcpy(&word, s + i, 8);
            if (clean_word(word, html)) {
                memcpy(p, &word, 8);
                p += 8;
                i += 8;
                continue;
            }
        }
        Py_ssize_t stop = n - i >= 8 ? i + 8 : n;
        for (; i < stop; i++) {
            Py_UCS1 c = s[i];
            if (!escapes[c]) {
                *p++ = (char)c;
                continue;
            }
            w->len = p - w->buf;
            if (reserve(w, MAX_CHAR_BYTES + (n - i) + 1) < 0) {
                return ERROR;
            }
            p = put_ascii_escape(w, w->buf + w->len, c);
        }
    }
    *p++ = '"';
    w->len = p - w->buf;
    return OK;
}

static int
write_str(Writer *w, PyObject *s)
{
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(s) < 0) {
        return ERROR;
    }
#endif
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (PyUnicode_IS_ASCII(s)) {
        return write_ascii(w, PyUnicode_1BYTE_DATA(s), n);
    }
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    if (put_char(w, '"') < 0) {
        return ERROR;
    }
    for (Py_ssize_t i = 0; i < n; i += CHUNK) {
        Py_ssize_t count = n - i < CHUNK ? n - i : CHUNK;
        if (reserve(w, count * MAX_CHAR_BYTES) < 0) {
            return ERROR;
        }
        char *p = w->buf + w->len;
        switch (kind) {
        case PyUnicode_1BYTE_KIND:
            p = write_chars_Py_UCS1(w, p, (const Py_UCS1 *)data + i, count);
            break;
        case PyUnicode_2BYTE_KIND:
            p = write_chars_Py_UCS2(w, p, (const Py_UCS2 *)data + i, count);
            break;
        default:
            p = write_chars_Py_UCS4(w, p, (const Py_UCS4 *)data + i, count);
            break;
        }
        if (p == NULL) {
            return HAND_BACK; /* a lone surrogate: orjson refuses it */
        }
        w->len = p - w->buf;
    }
    return put_char(w, '"');
}

static int
write_int(Writer *w, PyObject *v)
{
    int overflow = 0;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (x == -1 && PyErr_Occurred()) {
        return ERROR;
    }
    if (!overflow) {
        char digits[24];
        char *end = digits + sizeof(digits);
        char *p = end;
        unsigned long long magnitude = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        do {
            *--p = (char)('0' + magnitude % 10);
            magnitude /= 10;
        } while (magnitude);
        if (x < 0) {
            *--p = '-';
        }
        return put(w, p, end - p);
    }
    /* past long long: its digits, as the pure path writes them (str()
     * of an exact int runs no Python code; past the digit limit it raises,
     * and the pure path raises the same error) */
    PyObject *text = PyObject_Str(v);
    if (text == NULL) {
        return ERROR;
    }
    Py_ssize_t size;
    const char *digits = PyUnicode_AsUTF8AndSize(text, &size);
    int result = digits == NULL ? ERROR : put(w, digits, size);
    Py_DECREF(text);
    return result;
}

static int
write_float(Writer *w, PyObject *v)
{
    Py_INCREF(v);
    PyObject *text = PyObject_CallOneArg(float_writer, v);
    Py_DECREF(v);
    if (text == NULL) {
        return ERROR;
    }
    int result = PyBytes_CheckExact(text) ? put(w, PyBytes_AS_STRING(text), PyBytes_GET_SIZE(text)) : HAND_BACK;
    Py_DECREF(text);
    return result;
}

static int write_value(Writer *w, PyObject *v, Py_ssize_t depth);

/* The items of a non-empty list or tuple (held by the caller). */
static int
write_items(Writer *w, PyObject *v, Py_ssize_t depth)
{
    int is_list = PyList_CheckExact(v);
    Py_ssize_t n = is_list ? PyList_GET_SIZE(v) : PyTuple_GET_SIZE(v);
    if (put_char(w, '[') < 0) {
        return ERROR;
    }
    /* a list's size is read afresh each time round (see the top) */
    for (Py_ssize_t i = 0; i < (is_list ? PyList_GET_SIZE(v) : n); i++) {
        if (i && put_char(w, ',') < 0) {
            return ERROR;
        }
        if (put_newline(w, depth + 1) < 0) {
            return ERROR;
        }
        int result = write_value(w, is_list ? PyList_GET_ITEM(v, i) : PyTuple_GET_ITEM(v, i), depth + 1);
        if (result != OK) {
            return result;
        }
    }
    if (put_newline(w, depth) < 0) {
        return ERROR;
    }
    return put_char(w, ']');
}

/* One member: newline, key, colon, value. */
static int
write_member(Writer *w, PyObject *key, PyObject *value, Py_ssize_t depth, int first)
{
    if (!first && put_char(w, ',') < 0) {
        return ERROR;
    }
    if (put_newline(w, depth + 1) < 0) {
        return ERROR;
    }
    int result = write_str(w, key);
    if (result != OK) {
        return result;
    }
    if (w->indented ? put(w, ": ", 2) < 0 : put_char(w, ':') < 0) {
        return ERROR;
    }
    return write_value(w, value, depth + 1);
}

static int
compare_pairs(const void *a, const void *b)
{
    /* exact str objects: PyUnicode_Compare cannot fail; code-point order,
     * which is the byte order of UTF-8 (orjson's OPT_SORT_KEYS) */
    return PyUnicode_Compare(((const Pair *)a)->key, ((const Pair *)b)->key);
}

static int
write_sorted_members(Writer *w, PyObject *v, Py_ssize_t depth)
{
    Py_ssize_t n = PyDict_GET_SIZE(v);
    Pair *pairs = PyMem_New(Pair, (size_t)n);
    if (pairs == NULL) {
        PyErr_NoMemory();
        return ERROR;
    }
    Py_ssize_t count = 0, pos = 0;
    PyObject *key, *value;
    int result = OK;
    while (count < n && PyDict_Next(v, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) {
            result = HAND_BACK;
            break;
        }
        pairs[count].key = Py_NewRef(key);
        pairs[count].value = Py_NewRef(value);
        count++;
    }
    if (result == OK) {
        qsort(pairs, (size_t)count, sizeof(Pair), compare_pairs);
        for (Py_ssize_t i = 0; i < count && result == OK; i++) {
            result = write_member(w, pairs[i].key, pairs[i].value, depth, i == 0);
        }
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_DECREF(pairs[i].key);
        Py_DECREF(pairs[i].value);
    }
    PyMem_Free(pairs);
    return result;
}

static int
write_members(Writer *w, PyObject *v, Py_ssize_t depth)
{
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    int first = 1;
    while (PyDict_Next(v, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) {
            return HAND_BACK;
        }
        /* the key is written before the value can run anything */
        int result = write_member(w, key, value, depth, first);
        if (result != OK) {
            return result;
        }
        first = 0;
    }
    return OK;
}

/* The members of a non-empty dict (held by the caller). */
static int
write_object(Writer *w, PyObject *v, Py_ssize_t depth)
{
    if (put_char(w, '{') < 0) {
        return ERROR;
    }
    int result = w->sort ? write_sorted_members(w, v, depth) : write_members(w, v, depth);
    if (result != OK) {
        return result;
    }
    if (put_newline(w, depth) < 0) {
        return ERROR;
    }
    return put_char(w, '}');
}

static int
write_value(Writer *w, PyObject *v, Py_ssize_t depth)
{
    PyTypeObject *type = Py_TYPE(v);
    if (type == &PyUnicode_Type) {
        return write_str(w, v);
    }
    if (type == &PyDict_Type || type == &PyList_Type || type == &PyTuple_Type) {
        if (depth >= MAX_DEPTH) {
            return HAND_BACK;
        }
        int is_dict = type == &PyDict_Type;
        if (Py_SIZE(v) == 0 && !is_dict) {
            return put(w, "[]", 2);
        }
        if (is_dict && PyDict_GET_SIZE(v) == 0) {
            return put(w, "{}", 2);
        }
        Py_INCREF(v); /* held while walked (see the top) */
        int result = is_dict ? write_object(w, v, depth) : write_items(w, v, depth);
        Py_DECREF(v);
        return result;
    }
    if (type == &PyLong_Type) {
        return write_int(w, v);
    }
    if (v == Py_None) {
        return put(w, "null", 4);
    }
    if (v == Py_True) {
        return put(w, "true", 4);
    }
    if (v == Py_False) {
        return put(w, "false", 5);
    }
    if (type == &PyFloat_Type) {
        return write_float(w, v);
    }
    return HAND_BACK;
}

/* A copy of the UTF-8 of an indent unit or prefix; HAND_BACK when it holds
 * a line break (the pure path's line rewriting treats those specially), is
 * very long, or is not an exact str. */
static int
copy_layout_text(PyObject *text, char **out, Py_ssize_t *out_len)
{
    if (!PyUnicode_CheckExact(text)) {
        return HAND_BACK;
    }
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
    if (utf8 == NULL) {
        return ERROR;
    }
    if (size > MAX_UNIT || memchr(utf8, '\n', (size_t)size) != NULL || memchr(utf8, '\r', (size_t)size) != NULL) {
        return HAND_BACK;
    }
    char *copy = PyMem_Malloc(size ? (size_t)size : 1);
    if (copy == NULL) {
        PyErr_NoMemory();
        return ERROR;
    }
    memcpy(copy, utf8, (size_t)size);
    *out = copy;
    *out_len = size;
    return OK;
}

static int
set_layout(Writer *w, PyObject *indent, PyObject *prefix)
{
    if (indent == Py_None) {
        return OK; /* compact: the prefix is not used */
    }
    w->indented = 1;
    if (PyLong_CheckExact(indent)) {
        int overflow = 0;
        long width = PyLong_AsLongAndOverflow(indent, &overflow);
        if (width == -1 && PyErr_Occurred()) {
            return ERROR;
        }
        if (overflow || width > MAX_UNIT) {
            return HAND_BACK;
        }
        if (width < 0) {
            width = 0; /* b" " * width */
        }
        w->unit = PyMem_Malloc(width ? (size_t)width : 1);
        if (w->unit == NULL) {
            PyErr_NoMemory();
            return ERROR;
        }
        memset(w->unit, ' ', (size_t)width);
        w->unit_len = width;
    }
    else {
        int result = copy_layout_text(indent, &w->unit, &w->unit_len);
        if (result != OK) {
            return result;
        }
    }
    return copy_layout_text(prefix, &w->prefix, &w->prefix_len);
}

static int
set_flag(PyObject *value, int *flag)
{
    int truth = PyObject_IsTrue(value);
    if (truth < 0) {
        return ERROR;
    }
    *flag = truth;
    return OK;
}

static int
set_up(Writer *w, PyObject *const *args)
{
    int escape_html = 0;
    if (set_flag(args[1], &escape_html) < 0 || set_flag(args[2], &w->short_bf) < 0 ||
        set_flag(args[5], &w->sort) < 0 || set_flag(args[6], &w->escape_fffd) < 0) {
        return ERROR;
    }
    w->escapes = escape_html ? html_escapes : plain_escapes;
    return set_layout(w, args[3], args[4]);
}

static PyObject *
encode(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError,
                        "encode(value, escape_html, short_bf, indent, prefix, sort, escape_fffd) takes 7 arguments");
        return NULL;
    }
    Writer w;
    memset(&w, 0, sizeof(w));
    w.buf = scratch; /* taken (NULL when none is kept) */
    w.cap = scratch_cap;
    scratch = NULL;
    scratch_cap = 0;
    int result = set_up(&w, args);
    if (result == OK) {
        result = write_value(&w, args[0], 0);
    }
    PyObject *data = NULL;
    if (result == OK) {
        data = PyBytes_FromStringAndSize(w.buf, w.len);
        if (data == NULL) {
            result = ERROR;
        }
    }
    if (scratch == NULL && w.cap <= SCRATCH_KEEP) {
        scratch = w.buf; /* given back */
        scratch_cap = w.cap;
    }
    else {
        PyMem_Free(w.buf);
    }
    PyMem_Free(w.unit);
    PyMem_Free(w.prefix);
    PyMem_Free(w.newline);
    if (result == OK) {
        return data;
    }
    if (result == ERROR) {
        if (!PyErr_ExceptionMatches(PyExc_Exception)) {
            return NULL; /* KeyboardInterrupt and the like go on up */
        }
        PyErr_Clear(); /* the pure path meets the same case and owns the error */
    }
    Py_RETURN_NOTIMPLEMENTED;
}

static PyMethodDef module_methods[] = {
    {"encode", (PyCFunction)(void (*)(void))encode, METH_FASTCALL,
     "encode(value, escape_html, short_bf, indent, prefix, sort, escape_fffd): Go's JSON bytes, "
     "or NotImplemented for what the pure path writes (see imageinspect/codec/gojson.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "imageinspect.codec._gojson_accel",
    .m_doc = "The optional compiled Go-JSON writer (see imageinspect/codec/gojson.py).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__gojson_accel(void)
{
    for (int c = 0; c < 0x20; c++) {
        plain_escapes[c] = html_escapes[c] = 1;
    }
    plain_escapes['"'] = html_escapes['"'] = 1;
    plain_escapes['\\'] = html_escapes['\\'] = 1;
    html_escapes['<'] = html_escapes['>'] = html_escapes['&'] = 1;
    if (float_writer == NULL) {
        PyObject *orjson = PyImport_ImportModule("orjson");
        if (orjson == NULL) {
            return NULL;
        }
        float_writer = PyObject_GetAttrString(orjson, "dumps");
        Py_DECREF(orjson);
        if (float_writer == NULL) {
            return NULL;
        }
    }
    return PyModule_Create(&module);
}
