/*
 * What both compiled extensions (_accel.c, the reader; _gojson_accel.c, the
 * writer) need to read and fill the slots of the models: the offset of the
 * object slot a member descriptor describes.
 */
#ifndef IMAGEINSPECT_SLOTS_H
#define IMAGEINSPECT_SLOTS_H

#include <Python.h>
#include <structmember.h>

/* The offset of the object slot ``descr`` describes, which must belong to
 * ``owner`` (or one of its bases): -1 with an exception otherwise. */
static Py_ssize_t
slot_offset(PyObject *descr, PyTypeObject *owner)
{
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyErr_SetString(PyExc_TypeError, "a slot descriptor was expected");
        return -1;
    }
    if (!PyType_IsSubtype(owner, ((PyDescrObject *)descr)->d_type)) {
        PyErr_SetString(PyExc_TypeError, "the slot descriptor belongs to another class");
        return -1;
    }
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != T_OBJECT_EX) {
        PyErr_SetString(PyExc_TypeError, "an object slot was expected");
        return -1;
    }
    return member->offset;
}

#endif
