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
#include <structmember.h>

#include "_slots.h"
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

/* Comma, newline and key of one member. */
static int
begin_member(Writer *w, PyObject *key, Py_ssize_t depth, int first)
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
    return w->indented ? put(w, ": ", 2) : put_char(w, ':');
}

/* One member: newline, key, colon, value. */
static int
write_member(Writer *w, PyObject *key, PyObject *value, Py_ssize_t depth, int first)
{
    int result = begin_member(w, key, depth, first);
    return result != OK ? result : write_value(w, value, depth + 1);
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
    if (PyUnicode_Check(v)) {
        return write_str(w, v); /* a subclass (Digest, MediaType): orjson writes its text */
    }
    return HAND_BACK;
}

/* ------------------------------------------------------------------ models
 *
 * encode_models() writes models (the attrs classes of imageinspect.model)
 * straight to bytes, by a Plan per class and shape that
 * imageinspect/codec/write.py builds from the same tables as its Python
 * writers (Writer.model_writer): the bytes are those of encode() over what
 * the Python writer makes of the models. A Plan knows no JSON key or rule of
 * its own: keys, omission rules, nil and zero values, and how each value is
 * written (as it is, a nested model, a Python hook, ...) all come from
 * write.py. What it does not write itself -- an object of a subclass, an
 * object whose layout needs fields put back in their place (set after it was
 * read), many unknown keys -- it hands to that object's Python writer and
 * writes the plain value it returns; whatever else (a hook raising, a value
 * the plain writer hands back) makes the whole call return NotImplemented,
 * and the Python writer and the pure path run, and own the error.
 *
 * References: an object is held while it is written and so is each field
 * value (a hook runs Python code); FrozenMap's dict is reachable only
 * through the read-only proxy the map holds.
 */

enum { OMIT_NEVER, OMIT_EMPTY, OMIT_NIL, OMIT_STRUCT };
enum { V_PLAIN, V_MODEL, V_MODELS, V_HOOK, V_THAW, V_SORTED_MAP, V_KEY_SET, V_TIME_TEXT, V_TIME_STR };

/* Unknown keys in one object's source order, and unknown keys kept, up to
 * which this file writes an object's layout itself (beyond: the Python
 * writer, which has no quadratic step). */
#define MAX_UNKNOWN 8

/* FrozenMap (set by configure_models) and the offset of its _data slot;
 * Timestamp and the offsets of its _text and _str slots (the text it was
 * read from, and its str() once made). */
static PyTypeObject *frozen_map_type = NULL;
static Py_ssize_t frozen_map_data = -1;
static PyTypeObject *timestamp_type = NULL;
static Py_ssize_t timestamp_text = -1, timestamp_str = -1;

/* A mappingproxy's layout (Objects/descrobject.c; the same since 3.3): the
 * proxied mapping is its only field. */
typedef struct {
    PyObject_HEAD
    PyObject *mapping;
} ProxyLayout;

typedef struct {
    PyObject *key;        /* the key written (canonical layout) */
    Py_ssize_t offset;    /* the slot in the object */
    int omit;             /* OMIT_* (canonical layout) */
    int kind;             /* V_* */
    PyObject *nil;        /* written for None: never (canonical) */
    PyObject *zero;       /* written for None: struct (canonical) */
    PyObject *layout_nil; /* written for None in a source layout */
    PyObject *dflt;       /* the default a field left out must differ from to count as set (never) */
    PyObject *sub;        /* the Plan (V_MODEL, V_MODELS) or the hook (V_HOOK) */
} PlanField;

typedef struct Plan {
    PyObject_HEAD
    PyTypeObject *cls;
    PyObject *fallback;   /* the Python writer: object -> plain value */
    PlanField *fields;    /* every field the class's keys name */
    Py_ssize_t nfields;
    Py_ssize_t *canon;    /* indices into fields, in canonical key order */
    Py_ssize_t ncanon;
    PyObject *keys;       /* dict: every key the class reads -> field index */
    PyObject *canon_keys; /* dict: canonical key -> index into canon */
    Py_ssize_t extra_offset, order_offset, source_offset;
    int canonical;        /* source layouts ignored (rendering by rules) */
    int ready;
    PyObject *last_order;         /* the key order of the last layout written */
    Py_ssize_t *last_indices;     /* its field indices (order_indices) */
    Py_ssize_t last_unknown;
    unsigned long long written;   /* objects written here */
    unsigned long long handed;    /* objects handed to the Python writer */
} Plan;

static PyTypeObject PlanType;

static inline PyObject *
slot_value(PyObject *obj, Py_ssize_t offset)
{
    return *(PyObject **)((char *)obj + offset);
}

/* The dict of a FrozenMap (borrowed), or NULL (no exception) for anything else. */
static PyObject *
frozen_dict(PyObject *v)
{
    if (frozen_map_type == NULL || !Py_IS_TYPE(v, frozen_map_type)) {
        return NULL;
    }
    PyObject *proxy = slot_value(v, frozen_map_data);
    if (proxy == NULL || !Py_IS_TYPE(proxy, &PyDictProxy_Type)) {
        return NULL;
    }
    PyObject *dict = ((ProxyLayout *)proxy)->mapping;
    return PyDict_CheckExact(dict) ? dict : NULL;
}

static int
end_object(Writer *w, Py_ssize_t depth, int empty)
{
    if (!empty && put_newline(w, depth) < 0) {
        return ERROR;
    }
    return put_char(w, '}');
}

/* What imageinspect.model.frozen.thaw makes of v, written: a FrozenMap as
 * an object in its order, a tuple as an array, both all the way down;
 * anything else as it is. */
static int
write_thawed(Writer *w, PyObject *v, Py_ssize_t depth)
{
    PyObject *dict = frozen_dict(v);
    if (dict == NULL && !PyTuple_CheckExact(v)) {
        return frozen_map_type != NULL && PyObject_TypeCheck(v, frozen_map_type) ? HAND_BACK : write_value(w, v, depth);
    }
    if (depth >= MAX_DEPTH) {
        return HAND_BACK;
    }
    int result = OK;
    Py_INCREF(v);
    Py_XINCREF(dict); /* its map's slot could be set to another by code a float write starts */
    if (dict != NULL) {
        Py_ssize_t pos = 0;
        PyObject *key, *item;
        int first = 1;
        if (put_char(w, '{') < 0) {
            result = ERROR;
        }
        while (result == OK && PyDict_Next(dict, &pos, &key, &item)) {
            if (!PyUnicode_CheckExact(key)) {
                result = HAND_BACK;
                break;
            }
            result = begin_member(w, key, depth, first);
            if (result == OK) {
                result = write_thawed(w, item, depth + 1);
            }
            first = 0;
        }
        if (result == OK) {
            result = end_object(w, depth, first);
        }
    }
    else if (PyTuple_GET_SIZE(v) == 0) {
        result = put(w, "[]", 2);
    }
    else {
        if (put_char(w, '[') < 0) {
            result = ERROR;
        }
        for (Py_ssize_t i = 0; result == OK && i < PyTuple_GET_SIZE(v); i++) {
            if (i && put_char(w, ',') < 0) {
                result = ERROR;
            }
            else if (put_newline(w, depth + 1) < 0) {
                result = ERROR;
            }
            else {
                result = write_thawed(w, PyTuple_GET_ITEM(v, i), depth + 1);
            }
        }
        if (result == OK && (put_newline(w, depth) < 0 || put_char(w, ']') < 0)) {
            result = ERROR;
        }
    }
    Py_XDECREF(dict);
    Py_DECREF(v);
    return result;
}

static int
compare_str(const void *a, const void *b)
{
    return PyUnicode_Compare(*(PyObject *const *)a, *(PyObject *const *)b);
}

/* A tuple of keys as Go writes a map[string]struct{}: {"k": {}} in key
 * order, each key once (write.py's write_key_set). */
static int
write_key_set(Writer *w, PyObject *v, Py_ssize_t depth)
{
    if (!PyTuple_CheckExact(v)) {
        return HAND_BACK;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(v);
    if (n == 0) {
        return put(w, "{}", 2);
    }
    if (depth >= MAX_DEPTH) {
        return HAND_BACK;
    }
    PyObject **keys = PyMem_New(PyObject *, (size_t)n);
    if (keys == NULL) {
        PyErr_NoMemory();
        return ERROR;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        keys[i] = PyTuple_GET_ITEM(v, i);
        if (!PyUnicode_CheckExact(keys[i])) {
            PyMem_Free(keys);
            return HAND_BACK;
        }
    }
    Py_INCREF(v); /* holds the keys */
    qsort(keys, (size_t)n, sizeof(PyObject *), compare_str);
    int result = put_char(w, '{') < 0 ? ERROR : OK;
    int first = 1;
    for (Py_ssize_t i = 0; result == OK && i < n; i++) {
        if (i && PyUnicode_Compare(keys[i - 1], keys[i]) == 0) {
            continue;
        }
        result = begin_member(w, keys[i], depth, first);
        if (result == OK) {
            result = put(w, "{}", 2);
        }
        first = 0;
    }
    if (result == OK) {
        result = end_object(w, depth, 0);
    }
    Py_DECREF(v);
    PyMem_Free(keys);
    return result;
}

static int write_model(Writer *w, Plan *p, PyObject *obj, Py_ssize_t depth);

/* The plain value a Python function makes of v, written. */
static int
write_called(Writer *w, PyObject *function, PyObject *v, Py_ssize_t depth)
{
    PyObject *plain = PyObject_CallOneArg(function, v);
    if (plain == NULL) {
        return ERROR;
    }
    int result = write_value(w, plain, depth);
    Py_DECREF(plain);
    return result;
}

/* One field's value (not None), by its kind; the caller holds v. */
static int
write_field(Writer *w, const PlanField *f, PyObject *v, Py_ssize_t depth)
{
    switch (f->kind) {
    case V_PLAIN:
        return write_value(w, v, depth);
    case V_MODEL:
        return write_model(w, (Plan *)f->sub, v, depth);
    case V_MODELS: {
        if (!PyTuple_CheckExact(v)) {
            return HAND_BACK;
        }
        Py_ssize_t n = PyTuple_GET_SIZE(v);
        if (n == 0) {
            return put(w, "[]", 2);
        }
        if (depth >= MAX_DEPTH || put_char(w, '[') < 0) {
            return depth >= MAX_DEPTH ? HAND_BACK : ERROR;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            if ((i && put_char(w, ',') < 0) || put_newline(w, depth + 1) < 0) {
                return ERROR;
            }
            int result = write_model(w, (Plan *)f->sub, PyTuple_GET_ITEM(v, i), depth + 1);
            if (result != OK) {
                return result;
            }
        }
        if (put_newline(w, depth) < 0) {
            return ERROR;
        }
        return put_char(w, ']');
    }
    case V_HOOK:
        return write_called(w, f->sub, v, depth);
    case V_THAW:
        return write_thawed(w, v, depth);
    case V_SORTED_MAP: {
        PyObject *dict = frozen_dict(v);
        if (dict == NULL) {
            return HAND_BACK;
        }
        if (PyDict_GET_SIZE(dict) == 0) {
            return put(w, "{}", 2);
        }
        if (depth >= MAX_DEPTH || put_char(w, '{') < 0) {
            return depth >= MAX_DEPTH ? HAND_BACK : ERROR;
        }
        Py_INCREF(dict);
        int result = write_sorted_members(w, dict, depth);
        Py_DECREF(dict);
        return result != OK ? result : end_object(w, depth, 0);
    }
    case V_KEY_SET:
        return write_key_set(w, v, depth);
    case V_TIME_TEXT:
    case V_TIME_STR: {
        /* the text a Timestamp keeps (.text, or str() for a canonical
         * layout) when it has it; the hook makes it otherwise */
        PyObject *text = NULL;
        if (timestamp_type != NULL && Py_IS_TYPE(v, timestamp_type)) {
            text = slot_value(v, f->kind == V_TIME_TEXT ? timestamp_text : timestamp_str);
            if (f->kind == V_TIME_TEXT && text == Py_None) {
                text = slot_value(v, timestamp_str); /* .text is str() then */
            }
        }
        if (text != NULL && PyUnicode_CheckExact(text)) {
            return write_str(w, text);
        }
        return write_called(w, f->sub, v, depth);
    }
    default:
        return HAND_BACK;
    }
}

/* Python's truth of a value (omitempty): a FrozenMap by its dict's size. */
static int
truth(PyObject *v)
{
    if (v == Py_None) {
        return 0;
    }
    PyObject *dict = frozen_dict(v);
    return dict != NULL ? PyDict_GET_SIZE(dict) != 0 : PyObject_IsTrue(v);
}

/* The field's value, or NULL for an unset slot (the Python writer's
 * AttributeError: handed back). */
static inline PyObject *
field_value(PyObject *obj, const PlanField *f)
{
    return slot_value(obj, f->offset);
}

/* Whether a field the source did not have is set (write.py's _is_set): a
 * field that is must be put in its place, which the Python writer does. */
static int
is_set(const PlanField *f, PyObject *v)
{
    switch (f->omit) {
    case OMIT_EMPTY:
        return truth(v);
    case OMIT_NIL:
    case OMIT_STRUCT:
        return v != Py_None;
    default:
        return PyObject_RichCompareBool(v, f->dflt, Py_NE);
    }
}

/* The unknown keys kept that the object's writer writes at the end: each
 * key of extra that is not already written. written(key) says which are. */
typedef int (*written_test)(const Plan *p, PyObject *key, void *state);

static int
write_extra(Writer *w, const Plan *p, PyObject *dict, Py_ssize_t depth, int *first, written_test written, void *state)
{
    Py_ssize_t pos = 0;
    PyObject *key, *item;
    while (PyDict_Next(dict, &pos, &key, &item)) {
        if (!PyUnicode_CheckExact(key)) {
            return HAND_BACK;
        }
        int seen = written(p, key, state);
        if (seen < 0) {
            return ERROR;
        }
        if (seen) {
            continue;
        }
        int result = begin_member(w, key, depth, *first);
        if (result == OK) {
            result = write_thawed(w, item, depth + 1);
        }
        if (result != OK) {
            return result;
        }
        *first = 0;
    }
    return OK;
}

static int
canonical_written(const Plan *p, PyObject *key, void *state)
{
    PyObject *index = PyDict_GetItemWithError(p->canon_keys, key);
    if (index == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    return ((const char *)state)[PyLong_AsSsize_t(index)];
}

/* An object in the shape's canonical layout (write.py's _generate_canonical). */
static int
write_canonical(Writer *w, const Plan *p, PyObject *obj, Py_ssize_t depth)
{
    char small[64];
    char *written = p->ncanon <= 64 ? small : PyMem_Calloc((size_t)p->ncanon, 1);
    if (written == NULL) {
        PyErr_NoMemory();
        return ERROR;
    }
    memset(written, 0, p->ncanon <= 64 ? sizeof(small) : 0);
    int result = put_char(w, '{') < 0 ? ERROR : OK;
    int first = 1;
    for (Py_ssize_t c = 0; result == OK && c < p->ncanon; c++) {
        const PlanField *f = &p->fields[p->canon[c]];
        PyObject *v = field_value(obj, f);
        if (v == NULL) {
            result = HAND_BACK;
            break;
        }
        Py_INCREF(v);
        PyObject *nil = NULL;
        int skip = 0;
        switch (f->omit) {
        case OMIT_EMPTY: {
            int t = truth(v);
            if (t < 0) {
                result = ERROR;
            }
            skip = t == 0;
            break;
        }
        case OMIT_NIL:
            skip = v == Py_None;
            break;
        case OMIT_STRUCT:
            nil = f->zero;
            break;
        default:
            nil = f->nil;
            break;
        }
        if (result == OK && !skip) {
            result = begin_member(w, f->key, depth, first);
            if (result == OK) {
                result = v == Py_None && nil != NULL ? write_value(w, nil, depth + 1) : write_field(w, f, v, depth + 1);
            }
            first = 0;
            written[c] = 1;
        }
        Py_DECREF(v);
    }
    if (result == OK) {
        /* read after the fields, as the Python writer reads it (their hooks
         * may have run code), and held while written */
        PyObject *extra = slot_value(obj, p->extra_offset);
        PyObject *extra_dict = extra == NULL ? NULL : frozen_dict(extra);
        if (extra_dict == NULL) {
            result = HAND_BACK;
        }
        else if (PyDict_GET_SIZE(extra_dict)) {
            Py_INCREF(extra);
            result = write_extra(w, p, extra_dict, depth, &first, canonical_written, written);
            Py_DECREF(extra);
        }
    }
    if (result == OK) {
        result = end_object(w, depth, first);
    }
    if (written != small) {
        PyMem_Free(written);
    }
    return result;
}

typedef struct {
    PyObject *order;
    PyObject **written_by; /* per field: the key of the order that wrote it */
} LayoutState;

static int
layout_written(const Plan *p, PyObject *key, void *state)
{
    /* written iff a key of the order equal to it was: an unknown one (kept
     * in extra, so written), or the first key naming its field */
    const LayoutState *s = state;
    Py_ssize_t n = PyTuple_GET_SIZE(s->order);
    int in_order = 0;
    for (Py_ssize_t j = 0; j < n && !in_order; j++) {
        PyObject *k = PyTuple_GET_ITEM(s->order, j);
        in_order = k == key || PyUnicode_Compare(k, key) == 0;
    }
    if (!in_order) {
        return 0;
    }
    PyObject *index = PyDict_GetItemWithError(p->keys, key);
    if (index == NULL) {
        return PyErr_Occurred() ? -1 : 1;
    }
    PyObject *by = s->written_by[PyLong_AsSsize_t(index)];
    return by != NULL && (by == key || PyUnicode_Compare(by, key) == 0);
}

/* The field index of each key of order (-1: a key the class does not know)
 * into indices; the number of unknown keys, or -1 with an exception, or -2
 * for a key that is not an exact str. Objects read from one layout share
 * the key objects (orjson's key cache), so the plan keeps the last order's
 * indices and hands out a copy when the keys are the same objects. */
static Py_ssize_t
order_indices(Plan *p, PyObject *order, Py_ssize_t *indices)
{
    Py_ssize_t n = PyTuple_GET_SIZE(order);
    PyObject *last = p->last_order;
    if (last != NULL && PyTuple_GET_SIZE(last) == n) {
        Py_ssize_t j = 0;
        while (j < n && PyTuple_GET_ITEM(last, j) == PyTuple_GET_ITEM(order, j)) {
            j++;
        }
        if (j == n) {
            memcpy(indices, p->last_indices, (size_t)n * sizeof(Py_ssize_t));
            return p->last_unknown;
        }
    }
    Py_ssize_t unknown = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *key = PyTuple_GET_ITEM(order, j);
        if (!PyUnicode_CheckExact(key)) {
            return -2;
        }
        PyObject *index = PyDict_GetItemWithError(p->keys, key);
        if (index == NULL) {
            if (PyErr_Occurred()) {
                return -1;
            }
            indices[j] = -1;
            unknown++;
        }
        else {
            indices[j] = PyLong_AsSsize_t(index); /* checked in set_fields */
        }
    }
    Py_ssize_t *kept = PyMem_Malloc(n ? (size_t)n * sizeof(Py_ssize_t) : 1);
    if (kept != NULL) { /* no room: nothing kept, no error */
        memcpy(kept, indices, (size_t)n * sizeof(Py_ssize_t));
        PyMem_Free(p->last_indices);
        p->last_indices = kept;
        p->last_unknown = unknown;
        Py_XSETREF(p->last_order, Py_NewRef(order));
    }
    return unknown;
}

/* An object in the key order of its source (write.py's _generate_layout),
 * when no field set since reading has to be put in its place. */
static int
write_layout(Writer *w, Plan *p, PyObject *obj, PyObject *order, Py_ssize_t depth)
{
    /* read first, as the Python writer reads it, and held throughout: the
     * fields' hooks may run code that sets another */
    PyObject *extra = slot_value(obj, p->extra_offset);
    PyObject *extra_dict = extra == NULL ? NULL : frozen_dict(extra);
    if (extra_dict == NULL || !PyTuple_CheckExact(order)) {
        return HAND_BACK;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(order);
    if (PyDict_GET_SIZE(extra_dict) > MAX_UNKNOWN) {
        p->handed++;
        return write_called(w, p->fallback, obj, depth);
    }
    Py_INCREF(extra);
    PyObject *small_by[64];
    char small_seen[64];
    Py_ssize_t small_indices[64];
    int big = p->nfields > 64;
    PyObject **written_by = big ? PyMem_Calloc((size_t)p->nfields, sizeof(PyObject *)) : small_by;
    char *covered = big ? PyMem_Calloc((size_t)p->nfields, 1) : small_seen;
    Py_ssize_t *indices = n > 64 ? PyMem_Malloc((size_t)n * sizeof(Py_ssize_t)) : small_indices;
    int result = OK;
    if (written_by == NULL || covered == NULL || indices == NULL) {
        PyErr_NoMemory();
        result = ERROR;
        goto done;
    }
    if (!big) {
        memset(small_by, 0, sizeof(small_by));
        memset(small_seen, 0, sizeof(small_seen));
    }
    /* which fields the order names, and whether it has few unknown keys */
    Py_ssize_t unknown = order_indices(p, order, indices);
    if (unknown < 0) {
        result = unknown == -1 ? ERROR : HAND_BACK;
        goto done;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        if (indices[j] >= 0) {
            covered[indices[j]] = 1;
        }
    }
    int fall_back = unknown > MAX_UNKNOWN;
    for (Py_ssize_t c = 0; !fall_back && c < p->ncanon; c++) {
        const PlanField *f = &p->fields[p->canon[c]];
        if (covered[p->canon[c]]) {
            continue;
        }
        PyObject *v = field_value(obj, f);
        if (v == NULL) {
            result = HAND_BACK;
            goto done;
        }
        Py_INCREF(v);
        int set = is_set(f, v);
        Py_DECREF(v);
        if (set < 0) {
            result = ERROR;
            goto done;
        }
        fall_back = set;
    }
    if (fall_back) {
        p->handed++;
        result = write_called(w, p->fallback, obj, depth);
        goto done;
    }
    p->written++;
    if (put_char(w, '{') < 0) {
        result = ERROR;
        goto done;
    }
    int first = 1;
    for (Py_ssize_t j = 0; result == OK && j < n; j++) {
        PyObject *key = PyTuple_GET_ITEM(order, j);
        Py_ssize_t i = indices[j];
        if (i < 0) {
            PyObject *item = PyDict_GetItemWithError(extra_dict, key);
            if (item == NULL) {
                result = PyErr_Occurred() ? ERROR : OK;
                continue;
            }
            /* a key twice in the order is written once, where it first was */
            int again = 0;
            for (Py_ssize_t k = 0; k < j && !again; k++) {
                PyObject *before = PyTuple_GET_ITEM(order, k);
                again = before == key || PyUnicode_Compare(before, key) == 0;
            }
            if (again) {
                continue;
            }
            result = begin_member(w, key, depth, first);
            if (result == OK) {
                result = write_thawed(w, item, depth + 1);
            }
            first = 0;
            continue;
        }
        if (written_by[i] != NULL) {
            continue;
        }
        const PlanField *f = &p->fields[i];
        PyObject *v = field_value(obj, f);
        if (v == NULL) {
            result = HAND_BACK;
            break;
        }
        Py_INCREF(v);
        result = begin_member(w, key, depth, first);
        if (result == OK) {
            result = v == Py_None ? write_value(w, f->layout_nil, depth + 1) : write_field(w, f, v, depth + 1);
        }
        Py_DECREF(v);
        first = 0;
        written_by[i] = key;
    }
    if (result == OK && PyDict_GET_SIZE(extra_dict)) {
        LayoutState state = {order, written_by};
        result = write_extra(w, p, extra_dict, depth, &first, layout_written, &state);
    }
    if (result == OK) {
        result = end_object(w, depth, first);
    }
done:
    Py_DECREF(extra);
    if (big) {
        PyMem_Free(written_by);
        PyMem_Free(covered);
    }
    if (indices != small_indices) {
        PyMem_Free(indices);
    }
    return result;
}

/* One model by its plan (write.py's write_model): as read when unchanged
 * since, in its source's key order when read, else canonically. */
static int
write_model(Writer *w, Plan *p, PyObject *obj, Py_ssize_t depth)
{
    if (!p->ready || depth >= MAX_DEPTH) {
        return HAND_BACK;
    }
    if (!Py_IS_TYPE(obj, p->cls)) {
        /* a subclass (or not a model): what the Python writer makes of it */
        p->handed++;
        return write_called(w, p->fallback, obj, depth);
    }
    Py_INCREF(obj);
    int result;
    if (p->canonical) {
        p->written++;
        result = write_canonical(w, p, obj, depth);
    }
    else {
        PyObject *source = slot_value(obj, p->source_offset);
        PyObject *order = slot_value(obj, p->order_offset);
        if (source == NULL || order == NULL) {
            result = HAND_BACK;
        }
        else if (source != Py_None) {
            p->written++;
            result = write_value(w, source, depth);
        }
        else if (order != Py_None) {
            Py_INCREF(order);
            result = write_layout(w, p, obj, order, depth);
            Py_DECREF(order);
        }
        else {
            p->written++;
            result = write_canonical(w, p, obj, depth);
        }
    }
    Py_DECREF(obj);
    return result;
}

static void
Plan_clear_fields(Plan *p)
{
    for (Py_ssize_t i = 0; p->fields != NULL && i < p->nfields; i++) {
        PlanField *f = &p->fields[i];
        Py_CLEAR(f->key);
        Py_CLEAR(f->nil);
        Py_CLEAR(f->zero);
        Py_CLEAR(f->layout_nil);
        Py_CLEAR(f->dflt);
        Py_CLEAR(f->sub);
    }
    PyMem_Free(p->fields);
    p->fields = NULL;
    p->nfields = 0;
    PyMem_Free(p->canon);
    p->canon = NULL;
    p->ncanon = 0;
    Py_CLEAR(p->keys);
    Py_CLEAR(p->canon_keys);
    Py_CLEAR(p->last_order);
    PyMem_Free(p->last_indices);
    p->last_indices = NULL;
    p->ready = 0;
}

static int
Plan_traverse(Plan *p, visitproc visit, void *arg)
{
    Py_VISIT(p->cls);
    Py_VISIT(p->fallback);
    Py_VISIT(p->keys);
    Py_VISIT(p->canon_keys);
    Py_VISIT(p->last_order);
    for (Py_ssize_t i = 0; p->fields != NULL && i < p->nfields; i++) {
        Py_VISIT(p->fields[i].key);
        Py_VISIT(p->fields[i].nil);
        Py_VISIT(p->fields[i].zero);
        Py_VISIT(p->fields[i].layout_nil);
        Py_VISIT(p->fields[i].dflt);
        Py_VISIT(p->fields[i].sub);
    }
    return 0;
}

static int
Plan_clear(Plan *p)
{
    Py_CLEAR(p->cls);
    Py_CLEAR(p->fallback);
    Plan_clear_fields(p);
    return 0;
}

static void
Plan_dealloc(Plan *p)
{
    PyObject_GC_UnTrack(p);
    Plan_clear(p);
    Py_TYPE(p)->tp_free((PyObject *)p);
}

/* Plan(cls, fallback, extra, key_order, source, canonical): the three
 * descriptors are JSONObject's slots; then plan.set_fields(...) once. */
static int
Plan_init(Plan *p, PyObject *args, PyObject *kwargs)
{
    PyObject *cls, *fallback, *extra, *order, *source;
    int canonical;
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs)) {
        PyErr_SetString(PyExc_TypeError, "Plan takes no keyword arguments");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "O!OOOOp:Plan", &PyType_Type, &cls, &fallback, &extra, &order, &source, &canonical)) {
        return -1;
    }
    if (p->cls != NULL) {
        PyErr_SetString(PyExc_TypeError, "a plan is set up once");
        return -1;
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    Py_ssize_t e, o, s;
    if ((e = slot_offset(extra, type)) < 0 || (o = slot_offset(order, type)) < 0 || (s = slot_offset(source, type)) < 0) {
        return -1;
    }
    p->cls = (PyTypeObject *)Py_NewRef(cls);
    p->fallback = Py_NewRef(fallback);
    p->extra_offset = e;
    p->order_offset = o;
    p->source_offset = s;
    p->canonical = canonical;
    return 0;
}

/* plan.set_fields(fields, canon, keys)
 *   fields: ((key, descriptor, omit, kind, nil, zero, layout_nil, default, sub), ...)
 *   canon: (field index, ...) in canonical order
 *   keys: {key: field index} for every key the class reads */
static PyObject *
Plan_set_fields(Plan *p, PyObject *args)
{
    PyObject *fields, *canon, *keys;
    if (!PyArg_ParseTuple(args, "O!O!O!:set_fields", &PyTuple_Type, &fields, &PyTuple_Type, &canon, &PyDict_Type,
                          &keys)) {
        return NULL;
    }
    if (p->cls == NULL || p->fields != NULL) {
        PyErr_SetString(PyExc_TypeError, "fields are set once, on a set-up plan");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(fields), nc = PyTuple_GET_SIZE(canon);
    p->fields = PyMem_Calloc(n ? (size_t)n : 1, sizeof(PlanField));
    p->canon = PyMem_Calloc(nc ? (size_t)nc : 1, sizeof(Py_ssize_t));
    p->canon_keys = PyDict_New();
    p->keys = PyDict_Copy(keys);
    if (p->fields == NULL || p->canon == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    if (p->canon_keys == NULL || p->keys == NULL) {
        goto fail;
    }
    p->nfields = n;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key, *descr, *nil, *zero, *layout_nil, *dflt, *sub;
        int omit, kind;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(fields, i), "UOiiOOOOO", &key, &descr, &omit, &kind, &nil, &zero,
                              &layout_nil, &dflt, &sub)) {
            goto fail;
        }
        PlanField *f = &p->fields[i];
        if ((f->offset = slot_offset(descr, p->cls)) < 0) {
            goto fail;
        }
        if (omit < OMIT_NEVER || omit > OMIT_STRUCT || kind < V_PLAIN || kind > V_TIME_STR ||
            ((kind == V_MODEL || kind == V_MODELS) && !Py_IS_TYPE(sub, &PlanType)) ||
            ((kind == V_HOOK || kind == V_TIME_TEXT || kind == V_TIME_STR) && !PyCallable_Check(sub))) {
            PyErr_SetString(PyExc_ValueError, "an unknown omission rule or kind, or a kind without its plan or hook");
            goto fail;
        }
        f->key = Py_NewRef(key);
        f->omit = omit;
        f->kind = kind;
        f->nil = Py_NewRef(nil);
        f->zero = Py_NewRef(zero);
        f->layout_nil = Py_NewRef(layout_nil);
        f->dflt = Py_NewRef(dflt);
        f->sub = Py_NewRef(sub);
    }
    p->ncanon = nc;
    for (Py_ssize_t c = 0; c < nc; c++) {
        Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(canon, c));
        if (i == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (i < 0 || i >= n) {
            PyErr_SetString(PyExc_ValueError, "a canonical index names no field");
            goto fail;
        }
        p->canon[c] = i;
        PyObject *position = PyLong_FromSsize_t(c);
        if (position == NULL || PyDict_SetItem(p->canon_keys, p->fields[i].key, position) < 0) {
            Py_XDECREF(position);
            goto fail;
        }
        Py_DECREF(position);
    }
    Py_ssize_t pos = 0;
    PyObject *key, *index;
    while (PyDict_Next(p->keys, &pos, &key, &index)) {
        Py_ssize_t i = PyLong_Check(index) ? PyLong_AsSsize_t(index) : -1;
        if (!PyUnicode_CheckExact(key) || i < 0 || i >= n) {
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, "keys maps a str to a field index");
            goto fail;
        }
    }
    p->ready = 1;
    Py_RETURN_NONE;
fail:
    Plan_clear_fields(p);
    return NULL;
}

static PyObject *
Plan_counts(Plan *p, PyObject *Py_UNUSED(unused))
{
    return Py_BuildValue("KK", p->written, p->handed);
}

static PyMethodDef Plan_methods[] = {
    {"counts", (PyCFunction)Plan_counts, METH_NOARGS, "(objects written here, objects handed to the Python writer)"},
    {"set_fields", (PyCFunction)Plan_set_fields, METH_VARARGS,
     "set_fields(fields, canon, keys): the plan's fields (once, after the plan exists)."},
    {NULL},
};

static PyMemberDef Plan_members[] = {
    {"cls", T_OBJECT, offsetof(Plan, cls), READONLY, "the class it writes"},
    {"fallback", T_OBJECT, offsetof(Plan, fallback), READONLY, "the Python writer it hands objects to"},
    {NULL},
};

static PyTypeObject PlanType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "imageinspect.codec._gojson_accel.Plan",
    .tp_basicsize = sizeof(Plan),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "How one model class is written in one shape (see imageinspect/codec/write.py).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Plan_init,
    .tp_dealloc = (destructor)Plan_dealloc,
    .tp_traverse = (traverseproc)Plan_traverse,
    .tp_clear = (inquiry)Plan_clear,
    .tp_methods = Plan_methods,
    .tp_members = Plan_members,
};

/* A top-level model by the plan of its class in roots (HAND_BACK when
 * none), or a plain object that its Python writer wrote already. */
static int
write_root(Writer *w, PyObject *roots, PyObject *obj, Py_ssize_t depth)
{
    if (PyDict_CheckExact(obj)) {
        return write_value(w, obj, depth); /* written already */
    }
    Py_INCREF(obj); /* the lookup may run a metaclass's __eq__ */
    PyObject *plan = PyDict_GetItemWithError(roots, (PyObject *)Py_TYPE(obj));
    int result;
    if (plan == NULL) {
        result = PyErr_Occurred() ? ERROR : HAND_BACK;
    }
    else if (!Py_IS_TYPE(plan, &PlanType)) {
        result = HAND_BACK;
    }
    else {
        Py_INCREF(plan);
        result = write_model(w, (Plan *)plan, obj, depth);
        Py_DECREF(plan);
    }
    Py_DECREF(obj);
    return result;
}

/* value: a model, an array of them, or (lines) each item of the list on a
 * line of its own (gojson.encode_styled's "lines" container). */
static int
write_roots(Writer *w, PyObject *roots, PyObject *value, int lines)
{
    if (!PyList_CheckExact(value)) {
        return write_root(w, roots, value, 0);
    }
    if (PyList_GET_SIZE(value) == 0) {
        return lines ? OK : put(w, "[]", 2);
    }
    Py_INCREF(value);
    int result = lines || put_char(w, '[') == OK ? OK : ERROR;
    for (Py_ssize_t i = 0; result == OK && i < PyList_GET_SIZE(value); i++) {
        if (lines) {
            result = i && put_char(w, '\n') < 0 ? ERROR : write_root(w, roots, PyList_GET_ITEM(value, i), 0);
        }
        else if ((i && put_char(w, ',') < 0) || put_newline(w, 1) < 0) {
            result = ERROR;
        }
        else {
            result = write_root(w, roots, PyList_GET_ITEM(value, i), 1);
        }
    }
    if (result == OK && !lines && (put_newline(w, 0) < 0 || put_char(w, ']') < 0)) {
        result = ERROR;
    }
    Py_DECREF(value);
    return result;
}

static PyObject *
configure_models(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *fm, *data, *ts, *text, *str;
    if (!PyArg_ParseTuple(args, "O!OO!OO:configure_models", &PyType_Type, &fm, &data, &PyType_Type, &ts, &text,
                          &str)) {
        return NULL;
    }
    Py_ssize_t o_data, o_text, o_str;
    if ((o_data = slot_offset(data, (PyTypeObject *)fm)) < 0 || (o_text = slot_offset(text, (PyTypeObject *)ts)) < 0 ||
        (o_str = slot_offset(str, (PyTypeObject *)ts)) < 0) {
        return NULL; /* nothing changed */
    }
    Py_XSETREF(frozen_map_type, (PyTypeObject *)Py_NewRef(fm));
    frozen_map_data = o_data;
    Py_XSETREF(timestamp_type, (PyTypeObject *)Py_NewRef(ts));
    timestamp_text = o_text;
    timestamp_str = o_str;
    Py_RETURN_NONE;
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

/* Writes value (by roots when given: encode_models) with the settings in
 * args (encode's: value, escape_html, short_bf, indent, prefix, sort,
 * escape_fffd). */
static PyObject *
run(PyObject *const *args, PyObject *roots, int lines)
{
    Writer w;
    memset(&w, 0, sizeof(w));
    w.buf = scratch; /* taken (NULL when none is kept) */
    w.cap = scratch_cap;
    scratch = NULL;
    scratch_cap = 0;
    int result = set_up(&w, args);
    if (result == OK) {
        result = roots == NULL ? write_value(&w, args[0], 0) : write_roots(&w, roots, args[0], lines);
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

static PyObject *
encode(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError,
                        "encode(value, escape_html, short_bf, indent, prefix, sort, escape_fffd) takes 7 arguments");
        return NULL;
    }
    return run(args, NULL, 0);
}

static PyObject *
encode_models(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 8 || !PyDict_CheckExact(args[1])) {
        PyErr_SetString(PyExc_TypeError,
                        "encode_models(value, roots, escape_html, short_bf, indent, prefix, escape_fffd, lines) "
                        "takes 8 arguments, roots a dict");
        return NULL;
    }
    int lines = PyObject_IsTrue(args[7]);
    if (lines < 0) {
        return NULL;
    }
    if (frozen_map_type == NULL) {
        Py_RETURN_NOTIMPLEMENTED; /* not configured */
    }
    /* encode's arguments, with keys never sorted (models keep their order) */
    PyObject *settings[7] = {args[0], args[2], args[3], args[4], args[5], Py_False, args[6]};
    return run(settings, args[1], lines);
}

static PyMethodDef module_methods[] = {
    {"encode", (PyCFunction)(void (*)(void))encode, METH_FASTCALL,
     "encode(value, escape_html, short_bf, indent, prefix, sort, escape_fffd): Go's JSON bytes, "
     "or NotImplemented for what the pure path writes (see imageinspect/codec/gojson.py)."},
    {"encode_models", (PyCFunction)(void (*)(void))encode_models, METH_FASTCALL,
     "encode_models(value, roots, escape_html, short_bf, indent, prefix, escape_fffd, lines): a model, or a "
     "list of models (an array, or one per line), written by the Plan of its class in roots (see "
     "imageinspect/codec/write.py); NotImplemented for what the Python writer and the pure path write."},
    {"configure_models", configure_models, METH_VARARGS,
     "configure_models(FrozenMap, its _data slot, Timestamp, its _text and _str slots): the value classes "
     "models hold."},
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
    if (PyType_Ready(&PlanType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Plan", (PyObject *)&PlanType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    static const struct {
        const char *name;
        int value;
    } constants[] = {
        {"OMIT_NEVER", OMIT_NEVER}, {"OMIT_EMPTY", OMIT_EMPTY}, {"OMIT_NIL", OMIT_NIL},
        {"OMIT_STRUCT", OMIT_STRUCT}, {"V_PLAIN", V_PLAIN}, {"V_MODEL", V_MODEL},
        {"V_MODELS", V_MODELS}, {"V_HOOK", V_HOOK}, {"V_THAW", V_THAW},
        {"V_SORTED_MAP", V_SORTED_MAP}, {"V_KEY_SET", V_KEY_SET}, {"V_TIME_TEXT", V_TIME_TEXT},
        {"V_TIME_STR", V_TIME_STR},
    };
    for (size_t i = 0; i < sizeof(constants) / sizeof(constants[0]); i++) {
        if (PyModule_AddIntConstant(m, constants[i].name, constants[i].value) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
