"""Looking inside field annotations, for the generators (DDL, docs) and for error advice."""

from __future__ import annotations

import types
import typing


def unwrap(tp: object) -> tuple[object, bool]:
    """Strip Annotated and Optional: (inner type, whether None is allowed).

    A union of several non-None types is returned as it is.
    """
    optional = False
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = typing.get_args(tp)
            options = [a for a in args if a is not type(None)]
            optional = optional or len(options) < len(args)
            if len(options) != 1:
                return tp, optional
            tp = options[0]
        else:
            return tp, optional
