"""Generate the emitting function of each compiled map as Python source (the bulk path).

Interpreting a mapping declaration element by element costs a few function
calls per field; for tens of thousands of records a second that overhead is
most of the time. So, as fastjsonschema does for JSON Schema, each map's
emitter is written out once as a plain Python function: attribute reads,
``None`` checks, dict assignments, and calls only where a converter or a
non-trivial path needs one. The generated source is kept on the compiled map
(``emitter_source``) so it can be read and tested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sharedsvc.fhir.engine import ResourceMap
from sharedsvc.fhir.paths import ElementPath
from sharedsvc.fhir.structure import CODE_RE as _CODE_RE

if TYPE_CHECKING:
    from sharedsvc.fhir.engine import EmitContext, _CompiledMap, _FieldRef

__all__ = ["generate_emitter"]


class Emitter(Protocol):
    """The generated function: writes ``obj``'s elements into ``out``."""

    def __call__(
        self,
        obj: Any,
        out: dict[str, Any],
        ctx: EmitContext,
        pointer: str,
        primary: dict[str, str] | None = None,
    ) -> None: ...


def _simple_key(path: ElementPath) -> tuple[str, bool] | None:
    """The key of a one-step path without selector, and whether it repeats."""
    if len(path.alternatives) != 1 or len(path.alternatives[0]) != 1:
        return None
    step = path.alternatives[0][0]
    if step.sliced or step.index is not None:
        return None
    return step.name, step.is_list


def _fresh_expr(steps: tuple[Any, ...], value: str) -> str | None:
    """A literal that builds ``steps`` from nothing around ``value`` (None if not simple).

    It is used when the first element of the path is not yet in the output, which is
    the usual case, so most writes are one dict assignment.
    """
    expr = value
    for number in range(len(steps) - 1, -1, -1):
        step = steps[number]
        last = number == len(steps) - 1
        if step.index not in (None, 0):
            return None
        if not step.is_list:
            inner = expr
        elif step.sliced and last:
            inner = f"[{expr}]"
        elif step.sliced:
            # The new item carries the discriminator (a literal: strings only).
            inner = f"[{{{repr(step.new_item())[1:-1]}, **{expr}}}]"
        elif step.index == 0:
            inner = f"[{expr}]"
        else:
            inner = f"list({expr})"
        expr = inner if number == 0 else f"{{{step.name!r}: {inner}}}"
    return expr


def _getter_lines(ref: _FieldRef, indent: str) -> list[str]:
    if ref.name == ".":
        return [f"{indent}v = obj"]
    parts = ref.name.split(".")
    if len(parts) == 1:
        return [f"{indent}v = obj.{parts[0]}"]
    lines = [f"{indent}v = obj.{parts[0]}"]
    for part in parts[1:]:
        lines.append(f"{indent}v = v.{part} if v is not None else None")
    return lines


def _inline_lines(
    inline: tuple[str, Any], tag: str, here: str, body: str, namespace: dict[str, Any]
) -> list[str]:
    """Code that computes ``f`` from ``v`` for a converter with an inline hint."""
    kind, data = inline
    if kind == "date":
        return [f"{body}f = v.isoformat()"]
    if kind == "datetime":
        namespace[f"M{tag}"] = data
        return [
            f"{body}if v.utcoffset() in M{tag}:",
            f"{body}    f = v.isoformat()",
            f"{body}else:",
            f"{body}    f = E{tag}(v, ctx, {here})",
        ]
    if kind == "code":
        namespace[f"M{tag}"] = data
        return [
            f"{body}c = M{tag}.get(v)",
            f"{body}if c is None:",
            f"{body}    f = E{tag}(v, ctx, {here})",
            f"{body}else:",
            f"{body}    f = {{'coding': [c if ctx.share else dict(c)]}}",
        ]
    if kind == "datatype":
        namespace[f"M{tag}"] = data.compiled
        return [
            f"{body}f = {{}}",
            f"{body}M{tag}.emit_into(v, f, ctx, {here})",
            f"{body}if not f:",
            f"{body}    f = E{tag}(v, ctx, {here})",
        ]
    if kind == "many-datatype":
        namespace[f"M{tag}"] = data.compiled
        return [
            f"{body}f = []",
            f"{body}h = {here} + '/'",
            f"{body}for n, x in enumerate(v):",
            f"{body}    d = {{}}",
            f"{body}    M{tag}.emit_into(x, d, ctx, h + str(n))",
            f"{body}    if not d:",
            f"{body}        E{tag}(v, ctx, {here})",
            f"{body}    f.append(d)",
        ]
    if kind == "ref":
        namespace[f"M{tag}"] = data
        return [f"{body}f = M{tag}.compiled.emit_resource(v, ctx, {here})"]
    raise ValueError(f"unknown inline hint {kind!r}")


def _companion_link_lines(item: Any, tag: str, namespace: dict[str, Any]) -> list[str]:
    """Write the Reference to a companion made from the same object, in element order."""
    from sharedsvc.fhir.engine import _writer, companion_key, companion_made

    companion, path = item
    getters = [r.getter for _, refs, _, _ in companion.map.compiled.fields for r in refs]
    namespace[f"H{tag}"] = lambda obj: companion_made(companion, getters, obj)
    namespace[f"N{tag}"] = lambda pointer: companion_key(pointer, companion)
    namespace[f"W{tag}"] = _writer(path)
    steps = path.alternatives[0]
    fresh_expr = _fresh_expr(steps, "t")
    namespace[f"T{tag}"] = companion.map.fhir_type
    lines = [
        f"    if H{tag}(obj):",
        f"        t = {{'reference': ctx.urn(N{tag}(pointer)), 'type': T{tag}}}",
    ]
    if fresh_expr is not None:
        lines += [
            f"        if {steps[0].name!r} not in out:",
            f"            out[{steps[0].name!r}] = {fresh_expr}",
            "        else:",
            f"            W{tag}(out, t)",
        ]
    else:
        lines.append(f"        W{tag}(out, t)")
    return lines


def generate_emitter(compiled: _CompiledMap) -> tuple[Emitter, str]:
    """The emitter of a compiled map, and its source."""
    from sharedsvc.fhir.engine import (
        _copy,
        _empty,
        _primitive_checker,
        _raise_claimed,
        _raise_conflict,
        _writer,
        convert_is_text,
    )

    namespace: dict[str, Any] = {
        "_copy": _copy,
        "_empty": _empty,
        "_conflict": _raise_conflict,
        "_claimed": _raise_claimed,
    }
    lines: list[str] = []
    for number, (kind, item) in enumerate(compiled.ordered):
        tag = f"{number}"
        if kind == "companion":
            lines += _companion_link_lines(item, tag, namespace)
            continue
        if kind == "link":
            link, path = item
            namespace[f"W{tag}"] = _writer(path)
            source = "ctx.subject" if link.target == "subject" else "primary"
            steps = path.alternatives[0]
            fresh_expr = _fresh_expr(steps, "t")
            lines += [
                f"    t = {source}",
                "    if t is not None:",
                "        t = t if ctx.share else dict(t)",
            ]
            if fresh_expr is not None:
                lines += [
                    f"        if {steps[0].name!r} not in out:",
                    f"            out[{steps[0].name!r}] = {fresh_expr}",
                    "        else:",
                    f"            W{tag}(out, t)",
                ]
            else:
                lines.append(f"        W{tag}(out, t)")
            continue
        if kind == "fixed":
            fixed, path = item
            namespace[f"W{tag}"] = _writer(path)
            key = _simple_key(path)
            if fixed.derive is not None:
                namespace[f"D{tag}"] = fixed.derive
                source = "ctx.record" if fixed.of_record else "obj"
                lines += [f"    v = D{tag}({source})", "    if v is not None:"]
                if key is not None and not key[1]:
                    lines += [
                        f"        if {key[0]!r} in out:",
                        f"            W{tag}(out, v)",
                        "        else:",
                        f"            out[{key[0]!r}] = v",
                    ]
                else:
                    lines.append(f"        W{tag}(out, v)")
                continue
            namespace[f"C{tag}"] = fixed.value
            copy = isinstance(fixed.value, dict | list)
            value = f"(C{tag} if ctx.share else _copy(C{tag}))" if copy else f"C{tag}"
            key = _simple_key(path)
            if key is not None and not key[1]:
                lines += [
                    f"    if {key[0]!r} in out:",
                    f"        W{tag}(out, {value})",
                    "    else:",
                    f"        out[{key[0]!r}] = {value}",
                ]
            else:
                lines.append(f"    W{tag}(out, {value})")
            continue
        entry, refs, path, convert = item
        namespace[f"W{tag}"] = _writer(path)
        namespace[f"E{tag}"] = convert.emit
        namespace[f"L{tag}"] = entry.element
        if len(refs) > 1:
            getters = [r.getter for r in refs]
            for position, getter in enumerate(getters):
                namespace[f"G{tag}_{position}"] = getter
            values = ", ".join(f"G{tag}_{p}(obj)" for p in range(len(getters)))
            steps = path.alternatives[0]
            fresh_expr = _fresh_expr(steps, "f") if steps else None
            present = " or ".join(f"not _empty(v[{p}])" for p in range(len(getters)))
            lines += [
                f"    v = ({values},)",
                f"    if {present}:",
                f"        f = E{tag}(v, ctx, pointer)",
            ]
            if fresh_expr is not None:
                lines += [
                    f"        if f is not None and {steps[0].name!r} not in out:",
                    f"            out[{steps[0].name!r}] = {fresh_expr}",
                    f"        elif f is not None and not W{tag}(out, f):",
                    f"            _conflict(pointer, L{tag})",
                ]
            else:
                lines += [
                    f"        if f is not None and not W{tag}(out, f):",
                    f"            _conflict(pointer, L{tag})",
                ]
            continue
        ref = refs[0]
        here = f"pointer + {ref.pointer!r}" if ref.pointer else "pointer"
        lines += _getter_lines(ref, "    ")
        lines.append(
            "    if v is not None and v != []:" if ref.is_list else "    if v is not None:"
        )
        body = "        "
        inline = convert.inline
        if convert_is_text(convert):
            lines.append(f"{body}f = v")
        elif inline is not None:
            lines += _inline_lines(inline, tag, here, body, namespace)
        else:
            lines += [f"{body}f = E{tag}(v, ctx, {here})", f"{body}if f is not None:"]
            body += "    "
        check = None if convert.checked else _primitive_checker(path)
        if check is not None:
            namespace[f"K{tag}"] = check
            if path.target_type == "string" and not path.repeats:
                # Most strings have a non-space character: then they are valid FHIR strings.
                lines += [
                    f"{body}if type(f) is not str or not f or f.isspace():",
                    f"{body}    K{tag}(f, {here})",
                ]
            elif path.target_type == "string":
                lines += [
                    f"{body}for x in f:",
                    f"{body}    if type(x) is not str or not x or x.isspace():",
                    f"{body}        K{tag}(f, {here})",
                ]
            elif path.target_type == "code" and not path.repeats:
                namespace["_code_re"] = _CODE_RE
                lines += [
                    f"{body}if type(f) is not str or _code_re.fullmatch(f) is None:",
                    f"{body}    K{tag}(f, {here})",
                ]
            elif path.target_type == "boolean" and not path.repeats:
                lines += [
                    f"{body}if f is not True and f is not False:",
                    f"{body}    K{tag}(f, {here})",
                ]
            else:
                lines.append(f"{body}K{tag}(f, {here})")
        key = _simple_key(path)
        steps = path.alternatives[0]
        fresh_expr = _fresh_expr(steps, "f") if key is None and steps else None
        first = steps[0] if steps else None
        single = len(path.alternatives) == 1
        if (
            key is None
            and fresh_expr is not None
            and single
            and first
            and first.sliced
            and first.is_list
        ):
            # A slice of a repeating element: a new item is appended at once unless an
            # item of the slice exists, which the general writer then fills in.
            namespace[f"D{tag}"] = first
            item = fresh_expr[1:-1]
            test = (
                f"x.get({first.disc_path[0]!r}) == {first.disc_value!r}"
                if len(first.disc_path) == 1
                else f"D{tag}.matches(x)"
            )
            lines += [
                f"{body}lst = out.get({first.name!r})",
                f"{body}if lst is None:",
                f"{body}    out[{first.name!r}] = {fresh_expr}",
                f"{body}else:",
                f"{body}    for x in lst:",
                f"{body}        if {test}:",
                f"{body}            if not W{tag}(out, f):",
                f"{body}                _conflict({here}, L{tag})",
                f"{body}            break",
                f"{body}    else:",
                f"{body}        lst.append({item})",
            ]
        elif key is None and fresh_expr is not None:
            lines += [
                f"{body}if {steps[0].name!r} not in out:",
                f"{body}    out[{steps[0].name!r}] = {fresh_expr}",
                f"{body}elif not W{tag}(out, f):",
                f"{body}    _conflict({here}, L{tag})",
            ]
        elif key is None:
            lines += [f"{body}if not W{tag}(out, f):", f"{body}    _conflict({here}, L{tag})"]
        elif key[1]:
            fresh = "list(f)" if convert_is_text(convert) else "f"
            if path.siblings and path.siblings[0]:
                # An item that a sibling slice would claim could not be read back here.
                namespace[f"S{tag}"] = tuple(path.siblings[0])
                lines += [
                    f"{body}for x in f:",
                    f"{body}    if any(s.matches(x) for s in S{tag}):",
                    f"{body}        _claimed({here})",
                ]
            lines += [
                f"{body}if {key[0]!r} in out:",
                f"{body}    out[{key[0]!r}].extend(f)",
                f"{body}else:",
                f"{body}    out[{key[0]!r}] = {fresh}",
            ]
        else:
            lines += [
                f"{body}if {key[0]!r} in out:",
                f"{body}    if not W{tag}(out, f):",
                f"{body}        _conflict({here}, L{tag})",
                f"{body}else:",
                f"{body}    out[{key[0]!r}] = f",
            ]
    statements = lines or ["    pass"]
    source = "def emit_into(obj, out, ctx, pointer, primary=None):\n" + "\n".join(statements)
    source += "\n"
    if isinstance(compiled.spec, ResourceMap):
        source += "\n" + _resource_source(compiled, statements, namespace)
    exec(compile(source, f"<sharedsvc.fhir emitter {compiled.spec.name}>", "exec"), namespace)
    function: Emitter = namespace["emit_into"]
    if isinstance(compiled.spec, ResourceMap):
        compiled.emit_resource = namespace["emit_resource"]
    return function, source


def _resource_source(compiled: _CompiledMap, body: list[str], namespace: dict[str, Any]) -> str:
    """Source of ``emit_resource``: the resource, its body in FHIR order, its companions."""
    from sharedsvc.fhir.engine import _copy, _reordered, companion_key, companion_made

    spec = compiled.spec
    assert isinstance(spec, ResourceMap)
    namespace.update(
        {
            "RT": spec.fhir_type,
            "PROFILE": spec.profile,
            "META": compiled.meta,
            "_reordered": _reordered,
            "_copy": _copy,
        }
    )
    # A resource with security labels gets its own copy of them; others just the profile.
    meta_copy = "_copy(META)" if spec.security else "{'profile': [PROFILE]}"
    lines = [
        "def emit_resource(obj, ctx, pointer, primary=None, id_key=None):",
        "    full_url = ctx.urn(id_key or pointer or '/')",
        "    reference = {'reference': full_url, 'type': RT}",
        "    entries = ctx.entries",
        "    slot = len(entries)",
        "    entries.append(None)",
        "    out = {'resourceType': RT, 'id': full_url[9:],",
        "           'meta': META if ctx.share else " + meta_copy + "}",
        *body,
    ]
    for number, (companion, each, getters) in enumerate(compiled.companion_plan):
        namespace[f"CM{number}"] = companion.map
        if each is not None:
            namespace[f"CG{number}"] = each.getter
            lines += [
                f"    vs = CG{number}(obj)",
                "    if vs:",
                f"        base = pointer + {each.pointer + '/'!r}",
                "        for n, x in enumerate(vs):",
                f"            CM{number}.compiled.emit_resource(x, ctx, base + str(n), reference)",
            ]
        else:
            namespace[f"CH{number}"] = lambda obj, c=companion, g=getters: companion_made(c, g, obj)
            namespace[f"CK{number}"] = lambda pointer, c=companion: companion_key(pointer, c)
            # The link to a companion from this resource was written, in order, above.
            lines += [
                f"    if CH{number}(obj):",
                f"        CM{number}.compiled.emit_resource("
                f"obj, ctx, pointer, reference, CK{number}(pointer))",
            ]
    if compiled.needs_sort:
        lines.append("    out = _reordered(out, RT)")
    lines += ["    entries[slot] = {'fullUrl': full_url, 'resource': out}", "    return reference"]
    return "\n".join(lines) + "\n"
