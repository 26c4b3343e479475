/*
 * imageinspect.codec._accel: the optional compiled reader.
 *
 * A Reader fills the slots of one model class straight from the dict orjson
 * decoded, following a plan that imageinspect/codec/accel.py builds from the
 * same class shapes the pure generated readers come from: for each JSON key,
 * the slot it fills and how its value is checked (a str, a bool, a 64-bit
 * int, a list of str, a nested model, or a call to the pure leaf reader).
 * This file knows no JSON key, no class and no error text.
 *
 * Anything it does not handle itself -- an unknown key, a missing required
 * key, a value of an unexpected type, an integer out of range, a leaf reader
 * that raises -- makes the whole object (from the top, when nested) go to the
 * pure reader, which owns every error message: errors are the pure path's by
 * construction, and so is every object the fast path cannot build.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "_slots.h"

enum kind {
    K_STR = 0,         /* a str, exactly */
    K_BOOL = 1,        /* True or False */
    K_INT = 2,         /* an int within int64 */
    K_STR_TUPLE = 3,   /* a list of str, kept as a tuple */
    K_MODEL = 4,       /* a nested model: its own Reader, or a hook */
    K_MODEL_TUPLE = 5, /* a list of nested models, kept as a tuple */
    K_HOOK = 6,        /* the pure leaf reader: hook(value, arg) */
    K_TIME = 7,        /* an RFC 3339 time in Go's own spelling */
    K_STR_MAP = 8,     /* an object of str values, kept as a FrozenMap */
    K_KEY_SET = 9,     /* an object of {} values: its keys, sorted */
    K_INTERNED = 10,   /* a str already validated into an instance of arg (digests, media types) */
};

/* The value classes the compiled reader makes (set by configure_values):
 * Timestamp's slots and FrozenMap's. */
static PyTypeObject *timestamp_type = NULL;
static Py_ssize_t ts_ns, ts_offset, ts_str, ts_text;
static PyTypeObject *frozen_map_type = NULL;
static Py_ssize_t fm_data, fm_hash;
/* The pure leaf readers' cache of validated digests and media types by text
 * (imageinspect.codec.leaves._INTERNED): a hit is the value; a miss is the
 * pure reader's to validate and add. */
static PyObject *interned_values = NULL;

typedef struct {
    PyObject *key;       /* the JSON key */
    Py_ssize_t slot;     /* index into the reader's slots */
    int kind;
    int optional;        /* null is read as None */
    PyObject *hook;      /* K_MODEL / K_MODEL_TUPLE / K_HOOK */
    PyObject *arg;       /* the hook's second argument */
} Field;

typedef struct {
    Py_ssize_t offset;   /* where the slot lives in the object */
    PyObject *dflt;      /* the value when the key is missing; NULL: required */
    PyObject *converter; /* applied to the final value, or NULL */
} Slot;

typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    Field *fields;
    Py_ssize_t nfields;
    Slot *slots;
    Py_ssize_t nslots;
    Py_ssize_t extra_offset;
    Py_ssize_t key_order_offset;
    Py_ssize_t source_offset;
    PyObject *empty_extra;
    PyObject *pure;      /* pure(value, cls): the generated reader */
    Py_ssize_t in_use;            /* fills under way (the plan must not change meanwhile) */
    PyObject *key_index;          /* {field key: index into fields} */
    PyObject *last_keys;          /* the keys of the last object built, in order (its key_order) */
    Py_ssize_t *last_pos;         /* per field: the position of its key in last_keys, or -1 */
    int last_ready;               /* last_pos holds last_keys's positions (made when a layout repeats) */
    unsigned long long fast;      /* objects built here */
    unsigned long long fallbacks; /* objects handed to the pure reader */
} Reader;

static PyTypeObject ReaderType;
static PyObject *image_inspect_error = NULL; /* imageinspect.errors.ImageInspectError */

#define FALLBACK Py_NotImplemented

static inline void
put(PyObject *obj, Py_ssize_t offset, PyObject *value) /* steals value */
{
    PyObject **addr = (PyObject **)((char *)obj + offset);
    Py_XSETREF(*addr, value);
}

static inline PyObject *
get(PyObject *obj, Py_ssize_t offset)
{
    return *(PyObject **)((char *)obj + offset);
}

static PyObject *fill(Reader *r, PyObject *value);

static inline int
digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

static long long
days_from_civil(long long y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* A Timestamp for RFC 3339 text in Go's own spelling (what Go's
 * MarshalJSON writes: no trailing zero in the fraction, "Z" for UTC); any
 * other text -- valid or not -- is FALLBACK, for the pure reader. */
static PyObject *
read_time(PyObject *v)
{
    if (timestamp_type == NULL || !PyUnicode_CheckExact(v)) {
        return Py_NewRef(FALLBACK);
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(v) < 0) {
        return NULL;
    }
#endif
    if (!PyUnicode_IS_ASCII(v)) {
        return Py_NewRef(FALLBACK);
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(v);
    const char *s = (const char *)PyUnicode_DATA(v);
    int year, month, day, hour, minute, second, oh = 0, om = 0;
    if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        !digits(s, 4, &year) || !digits(s + 5, 2, &month) || !digits(s + 8, 2, &day) ||
        !digits(s + 11, 2, &hour) || !digits(s + 14, 2, &minute) || !digits(s + 17, 2, &second)) {
        return Py_NewRef(FALLBACK);
    }
    Py_ssize_t at = 19;
    long long nanos = 0;
    if (s[at] == '.') {
        Py_ssize_t start = ++at;
        while (at < n && s[at] >= '0' && s[at] <= '9') {
            at++;
        }
        Py_ssize_t count = at - start;
        if (count < 1 || count > 9 || s[at - 1] == '0') {
            return Py_NewRef(FALLBACK); /* none, too many, or a trailing zero: not Go's spelling */
        }
        for (Py_ssize_t i = start; i < at; i++) {
            nanos = nanos * 10 + (s[i] - '0');
        }
        for (Py_ssize_t i = count; i < 9; i++) {
            nanos *= 10;
        }
    }
    long long offset = 0;
    if (at == n - 1 && s[at] == 'Z') {
        offset = 0;
    }
    else if (at == n - 6 && (s[at] == '+' || s[at] == '-') && s[at + 3] == ':' && digits(s + at + 1, 2, &oh) &&
             digits(s + at + 4, 2, &om)) {
        if (oh > 23 || om > 59 || (oh == 0 && om == 0)) {
            return Py_NewRef(FALLBACK); /* out of range, or "+00:00" (kept as written) */
        }
        offset = (oh * 3600LL + om * 60LL) * (s[at] == '-' ? -1 : 1);
    }
    else {
        return Py_NewRef(FALLBACK);
    }
    int leap = (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
    if (month < 1 || month > 12 || day < 1 || day > (month == 2 && leap ? 29 : month_days[month - 1]) ||
        hour > 23 || minute > 59 || second > 59) {
        return Py_NewRef(FALLBACK);
    }
    long long seconds = days_from_civil(year, month, day) * 86400LL + hour * 3600LL + minute * 60LL + second - offset;
    PyObject *ns;
    if (seconds > -9000000000LL && seconds < 9000000000LL) {
        ns = PyLong_FromLongLong(seconds * 1000000000LL + nanos);
    }
    else { /* past int64 nanoseconds (years before 1678 or after 2262, Go's zero time) */
        PyObject *secs = PyLong_FromLongLong(seconds), *billion = PyLong_FromLong(1000000000L);
        PyObject *fraction = PyLong_FromLongLong(nanos);
        PyObject *scaled = (secs && billion) ? PyNumber_Multiply(secs, billion) : NULL;
        ns = (scaled && fraction) ? PyNumber_Add(scaled, fraction) : NULL;
        Py_XDECREF(secs);
        Py_XDECREF(billion);
        Py_XDECREF(fraction);
        Py_XDECREF(scaled);
    }
    if (ns == NULL) {
        return NULL;
    }
    PyObject *off = PyLong_FromLongLong(offset);
    PyObject *out = off ? timestamp_type->tp_alloc(timestamp_type, 0) : NULL;
    if (out == NULL) {
        Py_DECREF(ns);
        Py_XDECREF(off);
        return NULL;
    }
    put(out, ts_ns, ns);
    put(out, ts_offset, off);
    put(out, ts_str, Py_NewRef(Py_None));
    put(out, ts_text, Py_NewRef(Py_None));
    return out;
}

static PyObject *
read_str_map(PyObject *v)
{
    if (frozen_map_type == NULL || !PyDict_CheckExact(v)) {
        return Py_NewRef(FALLBACK);
    }
    Py_ssize_t pos = 0;
    PyObject *key, *item;
    while (PyDict_Next(v, &pos, &key, &item)) {
        if (!PyUnicode_CheckExact(item)) {
            return Py_NewRef(FALLBACK);
        }
    }
    PyObject *copy = PyDict_Copy(v);
    PyObject *proxy = copy ? PyDictProxy_New(copy) : NULL;
    Py_XDECREF(copy);
    PyObject *out = proxy ? frozen_map_type->tp_alloc(frozen_map_type, 0) : NULL;
    if (out == NULL) {
        Py_XDECREF(proxy);
        return NULL;
    }
    put(out, fm_data, proxy);
    put(out, fm_hash, Py_NewRef(Py_None));
    return out;
}

static PyObject *
read_key_set(PyObject *v)
{
    if (!PyDict_CheckExact(v)) {
        return Py_NewRef(FALLBACK);
    }
    Py_ssize_t pos = 0;
    PyObject *key, *item;
    while (PyDict_Next(v, &pos, &key, &item)) {
        if (!PyDict_CheckExact(item) || PyDict_GET_SIZE(item) != 0) {
            return Py_NewRef(FALLBACK);
        }
    }
    PyObject *keys = PyDict_Keys(v);
    if (keys == NULL || PyList_Sort(keys) < 0) {
        Py_XDECREF(keys);
        return NULL;
    }
    PyObject *out = PyList_AsTuple(keys);
    Py_DECREF(keys);
    return out;
}

/* A leaf or nested value, or FALLBACK (new reference), or NULL on an error
 * the pure path would raise too (anything but ImageInspectError). */
static PyObject *
call_hook(PyObject *hook, PyObject *value, PyObject *arg)
{
    PyObject *out = PyObject_CallFunctionObjArgs(hook, value, arg, NULL);
    if (out == NULL && PyErr_ExceptionMatches(image_inspect_error)) {
        PyErr_Clear();
        Py_INCREF(FALLBACK);
        return FALLBACK;
    }
    return out;
}

static PyObject *
read_model(PyObject *hook, PyObject *arg, PyObject *value)
{
    if (Py_IS_TYPE(hook, &ReaderType)) {
        PyObject *out = fill((Reader *)hook, value);
        if (out != FALLBACK) {
            return out;
        }
        Py_DECREF(out);
        /* this object alone to the pure reader; if it raises, the top
         * object goes to the pure reader, which locates the error */
        return call_hook(((Reader *)hook)->pure, value, (PyObject *)((Reader *)hook)->cls);
    }
    return call_hook(hook, value, arg);
}

static PyObject *
read_value(Field *f, PyObject *v)
{
    if (v == Py_None && f->optional) {
        Py_RETURN_NONE;
    }
    switch (f->kind) {
    case K_STR:
        if (PyUnicode_CheckExact(v)) {
            return Py_NewRef(v);
        }
        break;
    case K_BOOL:
        if (PyBool_Check(v)) {
            return Py_NewRef(v);
        }
        break;
    case K_INT:
        if (PyLong_CheckExact(v)) {
            int overflow = 0;
            PyLong_AsLongLongAndOverflow(v, &overflow);
            if (!overflow && !PyErr_Occurred()) {
                return Py_NewRef(v);
            }
            PyErr_Clear();
        }
        break;
    case K_STR_TUPLE:
        if (PyList_CheckExact(v)) {
            Py_ssize_t n = PyList_GET_SIZE(v);
            for (Py_ssize_t i = 0; i < n; i++) {
                if (!PyUnicode_CheckExact(PyList_GET_ITEM(v, i))) {
                    return Py_NewRef(FALLBACK);
                }
            }
            return PyList_AsTuple(v);
        }
        break;
    case K_MODEL:
        return read_model(f->hook, f->arg, v);
    case K_MODEL_TUPLE:
        if (PyList_CheckExact(v)) {
            /* a list that fills as it goes (no empty item for Python code a
             * hook runs to find), each source item held while it is read,
             * the source's length checked on every step (a hook may change it) */
            Py_ssize_t n = PyList_GET_SIZE(v);
            PyObject *items = PyList_New(0);
            if (items == NULL) {
                return NULL;
            }
            for (Py_ssize_t i = 0; i < n; i++) {
                if (PyList_GET_SIZE(v) != n) {
                    Py_DECREF(items);
                    return Py_NewRef(FALLBACK);
                }
                PyObject *source = Py_NewRef(PyList_GET_ITEM(v, i));
                PyObject *item = read_model(f->hook, f->arg, source);
                Py_DECREF(source);
                if (item == NULL || item == FALLBACK) {
                    Py_DECREF(items);
                    return item;
                }
                int failed = PyList_Append(items, item);
                Py_DECREF(item);
                if (failed) {
                    Py_DECREF(items);
                    return NULL;
                }
            }
            PyObject *out = PyList_AsTuple(items);
            Py_DECREF(items);
            return out;
        }
        break;
    case K_HOOK:
        return call_hook(f->hook, v, f->arg);
    case K_TIME: {
        PyObject *out = read_time(v);
        if (out == FALLBACK) { /* another spelling: the pure leaf reader decides */
            Py_DECREF(out);
            return call_hook(f->hook, v, f->arg);
        }
        return out;
    }
    case K_STR_MAP: {
        PyObject *out = read_str_map(v);
        if (out == FALLBACK) {
            Py_DECREF(out);
            return call_hook(f->hook, v, f->arg);
        }
        return out;
    }
    case K_INTERNED:
        if (interned_values != NULL && PyUnicode_CheckExact(v)) {
            PyObject *found = PyDict_GetItemWithError(interned_values, v); /* borrowed */
            if (found != NULL && Py_IS_TYPE(found, (PyTypeObject *)f->arg)) {
                return Py_NewRef(found);
            }
            if (found == NULL && PyErr_Occurred()) {
                return NULL;
            }
        }
        return call_hook(f->hook, v, f->arg);
    case K_KEY_SET: {
        PyObject *out = read_key_set(v);
        if (out == FALLBACK) {
            Py_DECREF(out);
            return call_hook(f->hook, v, f->arg);
        }
        return out;
    }
    }
    return Py_NewRef(FALLBACK);
}

/* Objects with more keys than this (or readers with more fields) are read
 * by a lookup per field. */
#define LAYOUT_MAX 64

static void
release(PyObject **values, Py_ssize_t n)
{
    for (Py_ssize_t j = 0; j < n; j++) {
        Py_DECREF(values[j]);
    }
}

/* Keeps keys as the last layout read, with the position of each field's
 * key in it (0, or -1 with an exception). */
static int
remember_layout(Reader *r, PyObject *keys)
{
    Py_ssize_t n = PyTuple_GET_SIZE(keys);
    if (n > LAYOUT_MAX || r->nfields > LAYOUT_MAX || r->key_index == NULL) {
        return 0;
    }
    /* built aside and kept at the end: a lookup could run code that reads
     * with this reader meanwhile */
    Py_ssize_t positions[LAYOUT_MAX];
    Py_ssize_t nfields = r->nfields;
    for (Py_ssize_t i = 0; i < nfields; i++) {
        positions[i] = -1;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *index = PyDict_GetItemWithError(r->key_index, PyTuple_GET_ITEM(keys, j));
        if (index == NULL) {
            if (PyErr_Occurred()) {
                return -1;
            }
            continue;
        }
        Py_ssize_t i = PyLong_AsSsize_t(index);
        if (i >= 0 && i < nfields) {
            positions[i] = j;
        }
    }
    if (r->nfields != nfields) {
        return 0; /* the plan changed meanwhile: nothing kept */
    }
    if (r->last_pos == NULL) {
        r->last_pos = PyMem_Malloc(LAYOUT_MAX * sizeof(Py_ssize_t));
        if (r->last_pos == NULL) {
            return 0; /* no room: nothing kept, no error */
        }
    }
    memcpy(r->last_pos, positions, (size_t)nfields * sizeof(Py_ssize_t));
    Py_XSETREF(r->last_keys, Py_NewRef(keys));
    r->last_ready = 1;
    return 0;
}

/* Whether the dict's keys are the tuple's objects, in order. */
static int
same_keys(PyObject *value, PyObject *keys)
{
    Py_ssize_t n = PyTuple_GET_SIZE(keys);
    if (PyDict_GET_SIZE(value) != n) {
        return 0;
    }
    Py_ssize_t pos = 0, j = 0;
    PyObject *key, *item;
    while (j < n && PyDict_Next(value, &pos, &key, &item) && key == PyTuple_GET_ITEM(keys, j)) {
        j++;
    }
    return j == n;
}

/* A new object of r->cls, FALLBACK (new reference), or NULL. */
static PyObject *
fill(Reader *r, PyObject *value)
{
    if (r->cls == NULL || r->fields == NULL || r->slots == NULL) {
        PyErr_SetString(PyExc_TypeError, "the reader has no plan (Reader(...) and set_fields() first)");
        return NULL;
    }
    if (!PyDict_CheckExact(value)) {
        return Py_NewRef(FALLBACK);
    }
    PyObject *obj = r->cls->tp_alloc(r->cls, 0);
    if (obj == NULL) {
        return NULL;
    }
    /* not visible to the garbage collector (nor to Python code a hook runs)
     * while its slots are being filled */
    int tracked = PyObject_IS_GC(obj) && PyObject_GC_IsTracked(obj);
    if (tracked) {
        PyObject_GC_UnTrack(obj);
    }
    r->in_use++;
    for (Py_ssize_t i = 0; i < r->nslots; i++) {
        if (r->slots[i].dflt != NULL) {
            put(obj, r->slots[i].offset, Py_NewRef(r->slots[i].dflt));
        }
    }
    /* An object with the keys of the last one built (the same key objects,
     * in the same order: orjson's key cache makes them so for objects of
     * one layout) shares its key_order tuple; from the second time a layout
     * is met, it is read by position, without a lookup per field (its
     * values held while hooks run). Objects of changing layouts pay one
     * comparison that stops at the first key that differs. */
    Py_ssize_t n = PyDict_GET_SIZE(value);
    PyObject *held[LAYOUT_MAX];
    Py_ssize_t pos_of[LAYOUT_MAX];
    PyObject *layout = NULL; /* read by position */
    PyObject *again = NULL;  /* the last layout, met again: its positions are made after this read */
    if (r->last_keys != NULL && n == PyTuple_GET_SIZE(r->last_keys) && n <= LAYOUT_MAX && r->nfields <= LAYOUT_MAX) {
        Py_ssize_t pos = 0, j = 0;
        PyObject *key, *item;
        while (j < n && PyDict_Next(value, &pos, &key, &item) && key == PyTuple_GET_ITEM(r->last_keys, j)) {
            held[j++] = item;
        }
        if (j == n && !r->last_ready) {
            again = Py_NewRef(r->last_keys);
        }
        else if (j == n) {
            layout = Py_NewRef(r->last_keys);
            memcpy(pos_of, r->last_pos, (size_t)r->nfields * sizeof(Py_ssize_t));
            for (j = 0; j < n; j++) {
                Py_INCREF(held[j]);
            }
        }
    }
    Py_ssize_t matched = 0;
    for (Py_ssize_t i = 0; i < r->nfields; i++) {
        Field *f = &r->fields[i];
        PyObject *v;
        if (layout != NULL) {
            if (pos_of[i] < 0) {
                continue;
            }
            v = held[pos_of[i]];
        }
        else if ((v = PyDict_GetItemWithError(value, f->key)) == NULL) { /* borrowed */
            if (PyErr_Occurred()) {
                goto error;
            }
            continue;
        }
        matched++;
        Py_INCREF(v); /* a hook may change the dict: the value stays alive while it is read */
        PyObject *read = read_value(f, v);
        Py_DECREF(v);
        if (read == NULL) {
            goto error;
        }
        if (read == FALLBACK) {
            Py_DECREF(read);
            goto fallback;
        }
        put(obj, r->slots[f->slot].offset, read);
    }
    if (matched != PyDict_GET_SIZE(value)) {
        goto fallback; /* unknown keys: the pure reader keeps them (and checks them) */
    }
    for (Py_ssize_t i = 0; i < r->nslots; i++) {
        if (get(obj, r->slots[i].offset) == NULL) {
            goto fallback; /* a required key is missing (checked before any converter runs, as the pure reader does) */
        }
    }
    for (Py_ssize_t i = 0; i < r->nslots; i++) {
        Slot *s = &r->slots[i];
        PyObject *current = get(obj, s->offset);
        if (s->converter != NULL) {
            PyObject *converted = PyObject_CallOneArg(s->converter, current);
            if (converted == NULL) {
                if (PyErr_ExceptionMatches(image_inspect_error)) {
                    PyErr_Clear();
                    goto fallback;
                }
                goto error;
            }
            put(obj, s->offset, converted);
        }
    }
    put(obj, r->extra_offset, Py_NewRef(r->empty_extra));
    if (layout != NULL) {
        /* still those keys and values after the hooks ran (only code a
         * caller gives the converter could change the dict) */
        Py_ssize_t pos = 0, j = 0;
        PyObject *key, *item;
        while (j < n && PyDict_Next(value, &pos, &key, &item) && key == PyTuple_GET_ITEM(layout, j) &&
               item == held[j]) {
            j++;
        }
        if (j != n || PyDict_GET_SIZE(value) != n) {
            goto fallback;
        }
    }
    n = PyDict_GET_SIZE(value);
    PyObject *keys = layout;
    if (keys != NULL) {
        release(held, n);
        layout = NULL;
    }
    else if (again != NULL && same_keys(value, again)) {
        keys = again; /* a layout met twice in a row: read by position from now on */
        again = NULL;
        if (remember_layout(r, keys) < 0) {
            Py_DECREF(keys);
            goto error;
        }
    }
    else {
        Py_CLEAR(again);
        keys = PyTuple_New(n);
        if (keys == NULL) {
            goto error;
        }
        Py_ssize_t pos = 0, at = 0;
        PyObject *key, *item;
        while (at < n && PyDict_Next(value, &pos, &key, &item)) {
            PyTuple_SET_ITEM(keys, at++, Py_NewRef(key));
        }
        if (at != n) {
            Py_DECREF(keys);
            goto fallback; /* the dict changed under a hook: the pure reader reads what is there */
        }
        Py_XSETREF(r->last_keys, Py_NewRef(keys)); /* positions are made if it comes again */
        r->last_ready = 0;
    }
    put(obj, r->key_order_offset, keys);
    put(obj, r->source_offset, Py_NewRef(value));
    r->fast++;
    r->in_use--;
    if (tracked) {
        PyObject_GC_Track(obj);
    }
    return obj;
    PyObject *outcome;
fallback:
    outcome = Py_NewRef(FALLBACK);
    goto undo;
error:
    outcome = NULL;
undo:
    Py_XDECREF(again);
    if (layout != NULL) {
        release(held, n);
        Py_DECREF(layout);
    }
    r->in_use--;
    if (tracked) {
        PyObject_GC_Track(obj);
    }
    Py_DECREF(obj);
    return outcome;
}

static PyObject *
Reader_call(Reader *r, PyObject *args, PyObject *kwargs)
{
    PyObject *value, *cls = Py_None;
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0) {
        PyErr_SetString(PyExc_TypeError, "a reader takes (value[, cls]) only");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O|O", &value, &cls)) {
        return NULL;
    }
    PyObject *out = fill(r, value);
    if (out != FALLBACK) {
        return out;
    }
    Py_DECREF(out);
    r->fallbacks++;
    return PyObject_CallFunctionObjArgs(r->pure, value, (PyObject *)r->cls, NULL);
}

static void
Reader_clear_plan(Reader *r)
{
    if (r->fields != NULL) {
        for (Py_ssize_t i = 0; i < r->nfields; i++) {
            Py_CLEAR(r->fields[i].key);
            Py_CLEAR(r->fields[i].hook);
            Py_CLEAR(r->fields[i].arg);
        }
        PyMem_Free(r->fields);
        r->fields = NULL;
    }
    if (r->slots != NULL) {
        for (Py_ssize_t i = 0; i < r->nslots; i++) {
            Py_CLEAR(r->slots[i].dflt);
            Py_CLEAR(r->slots[i].converter);
        }
        PyMem_Free(r->slots);
        r->slots = NULL;
    }
    r->nfields = r->nslots = 0;
    Py_CLEAR(r->key_index);
    Py_CLEAR(r->last_keys);
    r->last_ready = 0;
    PyMem_Free(r->last_pos);
    r->last_pos = NULL;
}

static int
Reader_traverse(Reader *r, visitproc visit, void *arg)
{
    Py_VISIT(r->cls);
    Py_VISIT(r->empty_extra);
    Py_VISIT(r->pure);
    Py_VISIT(r->key_index);
    Py_VISIT(r->last_keys);
    for (Py_ssize_t i = 0; r->fields != NULL && i < r->nfields; i++) {
        Py_VISIT(r->fields[i].key);
        Py_VISIT(r->fields[i].hook);
        Py_VISIT(r->fields[i].arg);
    }
    for (Py_ssize_t i = 0; r->slots != NULL && i < r->nslots; i++) {
        Py_VISIT(r->slots[i].dflt);
        Py_VISIT(r->slots[i].converter);
    }
    return 0;
}

static int
Reader_clear(Reader *r)
{
    Py_CLEAR(r->cls);
    Py_CLEAR(r->empty_extra);
    Py_CLEAR(r->pure);
    Reader_clear_plan(r);
    return 0;
}

static void
Reader_dealloc(Reader *r)
{
    PyObject_GC_UnTrack(r);
    Reader_clear(r);
    Py_TYPE(r)->tp_free((PyObject *)r);
}

/* Reader(cls, slots, extra, key_order, source, empty_extra, pure)
 *   slots: ((descriptor, default or NULL_MARK, converter or None), ...)
 *   extra, key_order, source: the slot descriptors of JSONObject's fields
 * then reader.set_fields(((key, slot, kind, optional, hook, arg), ...)):
 * fields are set after the reader exists, so that a class can nest itself. */
static PyObject *null_mark = NULL; /* the default of a required slot */

static int
Reader_init(Reader *r, PyObject *args, PyObject *Py_UNUSED(kwargs))
{
    PyObject *cls, *slots, *extra, *key_order, *source, *empty_extra, *pure;
    if (!PyArg_ParseTuple(args, "O!O!OOOOO:Reader", &PyType_Type, &cls, &PyTuple_Type, &slots, &extra, &key_order,
                          &source, &empty_extra, &pure)) {
        return -1;
    }
    if (r->cls != NULL) {
        PyErr_SetString(PyExc_TypeError, "a reader is set up once");
        return -1;
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    Py_ssize_t extra_offset, key_order_offset, source_offset;
    if ((extra_offset = slot_offset(extra, type)) < 0 || (key_order_offset = slot_offset(key_order, type)) < 0 ||
        (source_offset = slot_offset(source, type)) < 0) {
        return -1;
    }
    /* built aside, kept only when all of it is right */
    Py_ssize_t n = PyTuple_GET_SIZE(slots);
    Slot *built = PyMem_Calloc(n ? n : 1, sizeof(Slot));
    if (built == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *descr, *dflt, *converter;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(slots, i), "OOO", &descr, &dflt, &converter) ||
            (built[i].offset = slot_offset(descr, type)) < 0) {
            for (Py_ssize_t j = 0; j < i; j++) {
                Py_CLEAR(built[j].dflt);
                Py_CLEAR(built[j].converter);
            }
            PyMem_Free(built);
            return -1;
        }
        built[i].dflt = dflt == null_mark ? NULL : Py_NewRef(dflt);
        built[i].converter = converter == Py_None ? NULL : Py_NewRef(converter);
    }
    r->cls = (PyTypeObject *)Py_NewRef(cls);
    r->empty_extra = Py_NewRef(empty_extra);
    r->pure = Py_NewRef(pure);
    r->extra_offset = extra_offset;
    r->key_order_offset = key_order_offset;
    r->source_offset = source_offset;
    r->slots = built;
    r->nslots = n;
    return 0;
}

static PyObject *
Reader_set_fields(Reader *r, PyObject *fields)
{
    if (r->cls == NULL || r->in_use) {
        PyErr_SetString(PyExc_TypeError, "fields are set on a set-up reader that is not reading");
        return NULL;
    }
    if (!PyTuple_Check(fields)) {
        PyErr_SetString(PyExc_TypeError, "fields must be a tuple");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(fields);
    Field *out = PyMem_Calloc(n ? n : 1, sizeof(Field));
    if (out == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key, *hook, *arg;
        Py_ssize_t slot;
        int kind, optional;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(fields, i), "UniiOO", &key, &slot, &kind, &optional, &hook, &arg)) {
            goto fail;
        }
        if (slot < 0 || slot >= r->nslots || kind < K_STR || kind > K_INTERNED ||
            (kind == K_INTERNED && !PyType_Check(arg))) {
            PyErr_SetString(PyExc_ValueError, "a field names no slot, or an unknown kind");
            goto fail;
        }
        out[i].key = Py_NewRef(key);
        out[i].slot = slot;
        out[i].kind = kind;
        out[i].optional = optional;
        out[i].hook = Py_NewRef(hook);
        out[i].arg = Py_NewRef(arg);
    }
    PyObject *index = PyDict_New();
    if (index == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *at = PyLong_FromSsize_t(i);
        if (at == NULL || PyDict_SetItem(index, out[i].key, at) < 0) {
            Py_XDECREF(at);
            Py_DECREF(index);
            goto fail;
        }
        Py_DECREF(at);
    }
    Py_XSETREF(r->key_index, index);
    Py_CLEAR(r->last_keys); /* positions were of the old fields */
    r->last_ready = 0;
    for (Py_ssize_t i = 0; r->fields != NULL && i < r->nfields; i++) {
        Py_CLEAR(r->fields[i].key);
        Py_CLEAR(r->fields[i].hook);
        Py_CLEAR(r->fields[i].arg);
    }
    PyMem_Free(r->fields);
    r->fields = out;
    r->nfields = n;
    Py_RETURN_NONE;
fail:
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_CLEAR(out[i].key);
        Py_CLEAR(out[i].hook);
        Py_CLEAR(out[i].arg);
    }
    PyMem_Free(out);
    return NULL;
}

static PyObject *
Reader_counts(Reader *r, PyObject *Py_UNUSED(unused))
{
    return Py_BuildValue("KK", r->fast, r->fallbacks);
}

static PyMethodDef Reader_methods[] = {
    {"set_fields", (PyCFunction)Reader_set_fields, METH_O, "Set the plan's fields (after the reader exists)."},
    {"counts", (PyCFunction)Reader_counts, METH_NOARGS, "(objects built here, objects handed to the pure reader)"},
    {NULL},
};

static PyMemberDef Reader_members[] = {
    {"pure", T_OBJECT, offsetof(Reader, pure), READONLY, "the pure reader it hands objects to"},
    {"cls", T_OBJECT, offsetof(Reader, cls), READONLY, "the class it reads"},
    {NULL},
};

static PyTypeObject ReaderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "imageinspect.codec._accel.Reader",
    .tp_basicsize = sizeof(Reader),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "A compiled reader of one model class (see imageinspect/codec/accel.py).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Reader_init,
    .tp_call = (ternaryfunc)Reader_call,
    .tp_dealloc = (destructor)Reader_dealloc,
    .tp_traverse = (traverseproc)Reader_traverse,
    .tp_clear = (inquiry)Reader_clear,
    .tp_methods = Reader_methods,
    .tp_members = Reader_members,
};

static PyObject *
configure(PyObject *Py_UNUSED(module), PyObject *error)
{
    if (!PyType_Check(error) || !PyType_IsSubtype((PyTypeObject *)error, (PyTypeObject *)PyExc_Exception)) {
        PyErr_SetString(PyExc_TypeError, "an exception class was expected");
        return NULL;
    }
    Py_XSETREF(image_inspect_error, Py_NewRef(error));
    Py_RETURN_NONE;
}

static PyObject *
configure_values(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *ts, *d_ns, *d_offset, *d_str, *d_text, *fm, *d_data, *d_hash, *cache;
    if (!PyArg_ParseTuple(args, "O!OOOOO!OOO!", &PyType_Type, &ts, &d_ns, &d_offset, &d_str, &d_text, &PyType_Type,
                          &fm, &d_data, &d_hash, &PyDict_Type, &cache)) {
        return NULL;
    }
    PyTypeObject *t = (PyTypeObject *)ts, *f = (PyTypeObject *)fm;
    Py_ssize_t o_ns, o_offset, o_str, o_text, o_data, o_hash;
    if ((o_ns = slot_offset(d_ns, t)) < 0 || (o_offset = slot_offset(d_offset, t)) < 0 ||
        (o_str = slot_offset(d_str, t)) < 0 || (o_text = slot_offset(d_text, t)) < 0 ||
        (o_data = slot_offset(d_data, f)) < 0 || (o_hash = slot_offset(d_hash, f)) < 0) {
        return NULL; /* nothing changed */
    }
    ts_ns = o_ns;
    ts_offset = o_offset;
    ts_str = o_str;
    ts_text = o_text;
    fm_data = o_data;
    fm_hash = o_hash;
    Py_XSETREF(timestamp_type, (PyTypeObject *)Py_NewRef(ts));
    Py_XSETREF(frozen_map_type, (PyTypeObject *)Py_NewRef(fm));
    Py_XSETREF(interned_values, Py_NewRef(cache));
    Py_RETURN_NONE;
}

/* telling_escapes(data, end): which of the escapes \u003c \u003e \u0026
 * \u0008 \u000c \ufffd occur in data[:end], as bits 1, 2, 4, 8, 16, 32 --
 * what imageinspect/values/style.py's pattern finds (a backslash, 'u', four
 * hex digits in lower case, wherever the backslash is), by memchr. */
static PyObject *
telling_escapes(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyBytes_CheckExact(args[0]) || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "telling_escapes(bytes, int)");
        return NULL;
    }
    Py_ssize_t end = PyLong_AsSsize_t(args[1]);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_ssize_t size = PyBytes_GET_SIZE(args[0]);
    if (end < 0 || end > size) {
        end = end < 0 ? 0 : size;
    }
    const char *data = PyBytes_AS_STRING(args[0]);
    static const char *const telling[] = {"003c", "003e", "0026", "0008", "000c", "fffd"};
    long bits = 0;
    const char *p = data, *stop = data + end;
    while (p + 6 <= stop && (p = memchr(p, '\\', (size_t)(stop - p - 5))) != NULL) {
        if (p[1] == 'u') {
            for (int k = 0; k < 6; k++) {
                if (memcmp(p + 2, telling[k], 4) == 0) {
                    bits |= 1L << k;
                    break;
                }
            }
        }
        p++;
    }
    return PyLong_FromLong(bits);
}

static PyMethodDef module_methods[] = {
    {"telling_escapes", (PyCFunction)(void (*)(void))telling_escapes, METH_FASTCALL,
     "telling_escapes(data, end): the escapes that tell a Go encoder's settings, as bits "
     "(see imageinspect/values/style.py)."},
    {"configure", configure, METH_O, "configure(ImageInspectError): the errors that send an object to the pure reader."},
    {"configure_values", configure_values, METH_VARARGS,
     "configure_values(Timestamp, its 4 slot descriptors, FrozenMap, its 2, the interned values): "
     "the value classes made here."},
    {NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "imageinspect.codec._accel",
    .m_doc = "The optional compiled reader (see imageinspect/codec/accel.py).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__accel(void)
{
    if (PyType_Ready(&ReaderType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    null_mark = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    if (null_mark == NULL || PyModule_AddObjectRef(m, "REQUIRED", null_mark) < 0 ||
        PyModule_AddObjectRef(m, "Reader", (PyObject *)&ReaderType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    PyModule_AddIntConstant(m, "K_STR", K_STR);
    PyModule_AddIntConstant(m, "K_BOOL", K_BOOL);
    PyModule_AddIntConstant(m, "K_INT", K_INT);
    PyModule_AddIntConstant(m, "K_STR_TUPLE", K_STR_TUPLE);
    PyModule_AddIntConstant(m, "K_MODEL", K_MODEL);
    PyModule_AddIntConstant(m, "K_MODEL_TUPLE", K_MODEL_TUPLE);
    PyModule_AddIntConstant(m, "K_HOOK", K_HOOK);
    PyModule_AddIntConstant(m, "K_TIME", K_TIME);
    PyModule_AddIntConstant(m, "K_STR_MAP", K_STR_MAP);
    PyModule_AddIntConstant(m, "K_KEY_SET", K_KEY_SET);
    PyModule_AddIntConstant(m, "K_INTERNED", K_INTERNED);
    return m;
}
